#pragma once
// The bit-flippable tensors of a model (fixed-point quantized weights) in Model::visit order,
// each layer's tensors in their order, and a compact reference to one bit of one of them: what
// the GUI's bit grid and the per-bit colourings address. Bits are numbered as BitCodec numbers
// them: 0 = LSB, bits - 1 = MSB (the sign bit of a signed code).
#include "core/model/model.h"

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

namespace flipscope {

struct FlippableTensor {
    std::string layerPath;  // "encoder/conv2d_0_m"
    std::string tensor;     // "kernel", "bias", ...
    Shape shape;
    std::string quantizer;  // QKeras string form
    int bits = 0;           // code width
    bool isSigned = true;   // two's-complement code: the MSB is the sign bit
    int64_t params = 0;
};

std::vector<FlippableTensor> flippableTensors(const Model& model);

// One bit: the `tensor`-th entry of flippableTensors(), flat parameter `index` (Keras row-major
// order), bit `bit` (0 = LSB).
struct BitRef {
    int tensor = -1;
    int64_t index = 0;
    int bit = 0;
    bool valid() const { return tensor >= 0; }
    bool operator==(const BitRef&) const = default;
    auto operator<=>(const BitRef&) const = default;
};

// The row-major multi-dimensional index of a flat index in `shape`, e.g. {1, 2, 0, 5}.
std::vector<int64_t> unflattenIndex(int64_t flat, const Shape& shape);

}  // namespace flipscope
