#pragma once
// Reading and flipping single bits of a model's quantized weights, in place.
// A flip edits LayerParameter::effective through the parameter's BitCodec and then tells the
// layer (Layer::onEffectiveChanged), so the next forward pass sees the faulty weight.
#include "core/model/model.h"

#include <cstdint>
#include <string>

namespace flipscope {

// One bit of one weight, by names: layer path, tensor, flat index (Keras row-major), bit (0 = LSB).
struct WeightBit {
    std::string layerPath;
    std::string tensor;
    int64_t index = 0;
    int bit = 0;
    bool operator==(const WeightBit&) const = default;
};

// "encoder/conv2d_0_m:kernel[12].b5", and back; parsing throws InputError naming the form.
std::string toString(const WeightBit& bit);
WeightBit parseWeightBit(const std::string& text);

// What one bit of one weight holds, and what the weight becomes when the bit flips.
struct BitState {
    float value = 0.0f;         // the effective (quantized) weight
    int64_t code = 0;           // its integer code
    std::string word;           // the code's bits, MSB first
    int bits = 0;               // code width
    bool isSigned = true;
    bool bitSet = false;        // the addressed bit is 1
    int64_t flippedCode = 0;    // the code with the addressed bit flipped
    float flippedValue = 0.0f;  // the weight with the addressed bit flipped
};

// The flippable parameter a bit address names; throws InputError when there is none or the
// tensor is not a fixed-point quantized one.
LayerParameter& flippableParameter(const Model& model, const std::string& layerPath, const std::string& tensor);

// The state of bit `bit` of parameter `index` of a flippable tensor (index and bit unchecked).
BitState bitStateOf(const LayerParameter& p, int64_t index, int bit);
// Flips that bit in place, tells `layer`, and returns the state before the flip (unchecked).
BitState flipParameterBit(Layer& layer, LayerParameter& p, int64_t index, int bit);

BitState inspectBit(const Model& model, const WeightBit& bit);

// Flips the bit in place and returns the state before the flip. Flipping the same bit again
// restores the weight exactly.
BitState flipBit(Model& model, const WeightBit& bit);

// Copies every parameter's effective tensor of `pristine` (a deep copy of `model` taken before
// any flip) back into `model`, in place, and tells each layer. Pointers into `model` stay valid.
// Throws InputError when the two models do not have the same layers and weights.
void restoreWeights(Model& model, const Model& pristine);

}  // namespace flipscope
