#pragma once
// The bits a campaign may flip: every bit of every selected quantized tensor (kernels only by
// default, as in the FKeras study). A bit is addressed as (tensor, flat parameter index in Keras
// row-major order, bit position with 0 = LSB) and also by a dense global index: tensors in layer
// order (kernel before bias), then parameters in order, then bits MSB first.
#include "core/model/model.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace flipscope {

struct BitSpaceFilter {
    std::vector<std::string> layers;          // names or paths; empty = every layer
    std::set<std::string> tensors{"kernel"};  // parameter names; empty = every quantized tensor
    std::set<int> bitPositions;               // from the LSB; empty = every bit
};

struct BitSpaceTensor {
    std::string layerPath;  // "encoder/conv2d_0_m"
    std::string tensor;     // "kernel"
    int64_t params = 0;
    int bitWidth = 0;
    // The size of the tensor's last axis (a Dense or Conv2D kernel's output units; 1 when not
    // known): parameter index = row * units + unit. Plans go through a tensor unit by unit.
    int64_t units = 1;
    std::vector<int> bits;  // selected bit positions, MSB first
    int64_t offset = 0;     // global index of this tensor's first bit
    int64_t size() const { return params * static_cast<int64_t>(bits.size()); }
};

struct BitAddress {
    int tensor = 0;     // index into BitSpace::tensors()
    int64_t index = 0;  // flat parameter index
    int bit = 0;        // 0 = LSB
    bool operator==(const BitAddress&) const = default;
};

class BitSpace {
public:
    BitSpace() = default;
    // Throws InputError when a named layer does not exist or nothing is selected.
    BitSpace(const Model& model, const BitSpaceFilter& filter = {});
    // A bit space as recorded without its model (a results file's, core/faults/bit_space_json.h).
    // Offsets are recomputed in order. Throws InputError when a tensor has no bits.
    explicit BitSpace(std::vector<BitSpaceTensor> tensors);

    const std::vector<BitSpaceTensor>& tensors() const { return tensors_; }
    int64_t size() const { return size_; }
    int64_t globalIndex(const BitAddress& address) const;
    BitAddress address(int64_t globalIndex) const;
    // Index into tensors(), or -1.
    int findTensor(const std::string& layerPath, const std::string& tensor) const;
    std::string describe(const BitAddress& address) const;  // "encoder/conv2d_0_m kernel[5] bit 3"

private:
    std::vector<BitSpaceTensor> tensors_;
    int64_t size_ = 0;
};

// A bit space tensor resolved on one model instance (each worker thread has its own copy).
struct BoundTensor {
    Layer* layer = nullptr;
    LayerParameter* parameter = nullptr;
};
std::vector<BoundTensor> bindBitSpace(const BitSpace& space, Model& model);

}  // namespace flipscope
