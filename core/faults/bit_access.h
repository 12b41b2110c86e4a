#pragma once
// Fast access to the bits of a model's flippable tensors by BitRef: the parameters are resolved
// once, so reading a weight or a bit costs no name lookups (the GUI reads thousands per frame).
// Keeps pointers into the model: valid while the model lives and is not rebuilt (restoreWeights
// keeps them valid).
#include "core/faults/bit_flip.h"
#include "core/faults/flippable_tensors.h"

#include <optional>
#include <vector>

namespace flipscope {

class BitAccess {
public:
    explicit BitAccess(Model& model);

    const std::vector<FlippableTensor>& tensors() const { return tensors_; }
    const LayerParameter& parameter(int tensor) const { return *params_[tensor].parameter; }
    bool contains(const BitRef& ref) const;

    float weight(int tensor, int64_t index) const { return params_[tensor].parameter->effective[index]; }
    float maxAbsWeight() const;  // over every flippable tensor (0 when there is none)
    BitState state(const BitRef& ref) const;  // throws InputError when ref is out of range
    // Flips in place (see flipBit) and returns the state before the flip.
    BitState flip(const BitRef& ref);

    WeightBit named(const BitRef& ref) const;
    std::optional<BitRef> find(const WeightBit& bit) const;

private:
    struct Bound {
        Layer* layer = nullptr;
        LayerParameter* parameter = nullptr;
    };
    void check(const BitRef& ref) const;

    std::vector<FlippableTensor> tensors_;
    std::vector<Bound> params_;
};

}  // namespace flipscope
