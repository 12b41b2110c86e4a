#include "core/model/activation.h"

#include "core/common/error.h"
#include "core/model/sigmoid.h"
#include "core/quant/quantizer_parse.h"

#include <cmath>
#include <map>

namespace flipscope {

namespace {
const std::map<std::string, Activation::Kind>& kerasActivations() {
    static const std::map<std::string, Activation::Kind> names = {
        {"linear", Activation::Kind::Linear},   {"relu", Activation::Kind::Relu},
        {"sigmoid", Activation::Kind::Sigmoid}, {"hard_sigmoid", Activation::Kind::HardSigmoid},
        {"tanh", Activation::Kind::Tanh},       {"softmax", Activation::Kind::Softmax},
        {"softplus", Activation::Kind::Softplus}, {"elu", Activation::Kind::Elu},
        {"swish", Activation::Kind::Swish},     {"silu", Activation::Kind::Swish},
    };
    return names;
}
}  // namespace

Activation Activation::fromConfig(const nlohmann::json& value, const std::string& layer) {
    Activation a;
    if (value.is_null()) return a;
    std::string name;
    if (value.is_string()) {
        name = value.get<std::string>();
    } else if (value.is_object() && value.contains("class_name")) {
        name = value["class_name"].get<std::string>();
        if (!isQuantizerName(name) && value.contains("config") && value["config"].contains("name"))
            name = value["config"]["name"].get<std::string>();
    } else {
        throw InputError("layer '" + layer + "': cannot read activation " + value.dump());
    }
    if (isQuantizerName(name)) {
        a.kind_ = Kind::Quantizer;
        a.quantizer_ = parseQuantizer(value, {layer, "activation"});
        return a;
    }
    const auto it = kerasActivations().find(name);
    if (it == kerasActivations().end()) {
        std::string known;
        for (const auto& [k, v] : kerasActivations()) known += (known.empty() ? "" : ", ") + k;
        throw UnsupportedError("layer '" + layer + "': activation '" + name + "' is not supported (supported: " +
                               known + ", and the QKeras quantizers)");
    }
    a.kind_ = it->second;
    return a;
}

std::string Activation::describe() const {
    if (kind_ == Kind::Quantizer) return quantizer_->toString();
    for (const auto& [name, kind] : kerasActivations())
        if (kind == kind_) return name;
    return "?";
}

void Activation::apply(Tensor& t) const {
    auto a = t.array();
    switch (kind_) {
    case Kind::Linear:
        return;
    case Kind::Relu:
        a = a.max(0.0f);
        return;
    case Kind::Sigmoid:
        applySigmoid(t.data(), static_cast<size_t>(t.size()));
        return;
    case Kind::HardSigmoid:  // Keras 2: clip(0.2x + 0.5, 0, 1)
        for (float& v : t.values()) v = std::clamp(0.2f * v + 0.5f, 0.0f, 1.0f);
        return;
    case Kind::Tanh:
        for (float& v : t.values()) v = std::tanh(v);
        return;
    case Kind::Softplus:
        for (float& v : t.values()) v = std::log1p(std::exp(v));
        return;
    case Kind::Elu:
        for (float& v : t.values()) v = v > 0 ? v : std::expm1(v);
        return;
    case Kind::Swish:
        for (float& v : t.values()) v = v / (1.0f + std::exp(-v));
        return;
    case Kind::Softmax: {
        const int64_t n = t.rank() ? t.dim(-1) : t.size();
        for (int64_t row = 0; row + n <= t.size(); row += n) {
            float* x = t.data() + row;
            float mx = x[0];
            for (int64_t i = 1; i < n; ++i) mx = std::max(mx, x[i]);
            float sum = 0.0f;
            for (int64_t i = 0; i < n; ++i) sum += (x[i] = std::exp(x[i] - mx));
            for (int64_t i = 0; i < n; ++i) x[i] /= sum;
        }
        return;
    }
    case Kind::Quantizer:
        quantize(*quantizer_, t.values(), t.shape());
        return;
    }
}

}  // namespace flipscope
