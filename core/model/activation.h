#pragma once
// An element-wise activation as Keras/QKeras names it: a Keras function ("relu", "softmax", ...)
// or a QKeras quantizer used as activation ("quantized_relu(6,0)").
#include "core/model/tensor.h"
#include "core/quant/quantizer.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace flipscope {

class Activation {
public:
    enum class Kind { Linear, Relu, Sigmoid, HardSigmoid, Tanh, Softmax, Softplus, Elu, Swish, Quantizer };

    Activation() = default;
    static Activation linear() { return {}; }
    // From a layer config's `activation` value (string or quantizer dict). `layer` names the
    // layer in error messages; unknown activations are an UnsupportedError.
    static Activation fromConfig(const nlohmann::json& value, const std::string& layer);

    Kind kind() const { return kind_; }
    const std::optional<QuantizerSpec>& quantizer() const { return quantizer_; }
    bool isLinear() const { return kind_ == Kind::Linear; }
    std::string describe() const;

    // Applies in place; softmax works along the last axis.
    void apply(Tensor& t) const;

private:
    Kind kind_ = Kind::Linear;
    std::optional<QuantizerSpec> quantizer_;
};

}  // namespace flipscope
