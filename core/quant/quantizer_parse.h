#pragma once
// Reading quantizers from a model's JSON: the dict form {"class_name": ..., "config": {...}}
// and QKeras's string form "quantized_bits(6,0,alpha=1)" (parsed as QKeras's safe_eval does).
#include "core/quant/quantizer.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flipscope {

// Where a quantizer came from, for error messages ("layer 'fc1', kernel_quantizer").
struct QuantizerContext {
    std::string layer;
    std::string field;
    std::string describe() const;
};

// Returns nullopt for JSON null. Throws UnsupportedError naming the layer and quantizer for
// anything Flipscope cannot reproduce exactly; never falls back to float silently.
std::optional<QuantizerSpec> parseQuantizer(const nlohmann::json& value, const QuantizerContext& where);
QuantizerSpec parseQuantizerString(const std::string& text, const QuantizerContext& where);

// True when a string names a QKeras quantizer rather than a plain Keras activation ("relu").
bool isQuantizerName(const std::string& text);

// QKeras turns a Q-layer kernel quantizer with alpha=None into alpha="auto_po2", symmetric
// (reference 1.1). Apply this to kernel/depthwise/pointwise quantizers when building layers.
void applyKernelQuantizerDefaults(QuantizerSpec& spec);

}  // namespace flipscope
