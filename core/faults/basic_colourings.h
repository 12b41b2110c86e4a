#pragma once
// The colourings every model has, read from its current (possibly flipped) effective weights:
// the bit itself, the bit's position in the word, the weight's magnitude, and how much the
// weight would change if the bit flipped. They keep pointers into the model: rebuild them when
// the model is replaced (a reset that copies weights in place, restoreWeights, keeps them valid).
#include "core/faults/bit_colouring.h"
#include "core/faults/bit_access.h"

#include <memory>
#include <vector>

namespace flipscope {

// Shared base: the model's flippable parameters, resolved once.
class ModelBitColouring : public BitColouring {
public:
    ModelBitColouring(const BitAccess& access);

protected:
    const LayerParameter& param(int tensor) const { return access_.parameter(tensor); }
    const std::vector<FlippableTensor>& tensors() const { return access_.tensors(); }

private:
    const BitAccess& access_;
};

class BitValueColouring : public ModelBitColouring {
public:
    using ModelBitColouring::ModelBitColouring;
    std::string name() const override { return "Bit value (0/1)"; }
    std::string description() const override { return "the stored bit: 0 or 1"; }
    bool isDiscrete() const override { return true; }
    BitValueRange range() const override { return {0.0, 1.0}; }
    double value(const BitRef& bit) const override;
    void parameterValues(int tensor, int64_t index, std::span<double> out) const override;
};

class BitPositionColouring : public ModelBitColouring {
public:
    using ModelBitColouring::ModelBitColouring;
    std::string name() const override { return "Bit position (LSB → MSB)"; }
    std::string description() const override { return "the bit's place in its word: 0 = LSB, highest = MSB (sign)"; }
    BitValueRange range() const override;
    double value(const BitRef& bit) const override { return bit.bit; }
};

class WeightMagnitudeColouring : public ModelBitColouring {
public:
    WeightMagnitudeColouring(const BitAccess& access);
    std::string name() const override { return "|weight|"; }
    std::string description() const override { return "magnitude of the (quantized) weight the bit belongs to"; }
    BitValueRange range() const override { return range_; }
    double value(const BitRef& bit) const override;
    void weightsChanged() override;

private:
    BitValueRange range_;
};

class FlipDeltaColouring : public ModelBitColouring {
public:
    FlipDeltaColouring(const BitAccess& access);
    std::string name() const override { return "Weight change if flipped"; }
    std::string description() const override { return "flipped weight minus weight: what a flip of this bit would do"; }
    bool isSigned() const override { return true; }
    BitValueRange range() const override { return range_; }
    double value(const BitRef& bit) const override;
    void parameterValues(int tensor, int64_t index, std::span<double> out) const override;
    void weightsChanged() override;

private:
    BitValueRange range_;
};

// The basic colourings above, in menu order.
std::vector<std::unique_ptr<BitColouring>> basicColourings(const BitAccess& access);

}  // namespace flipscope
