#include "core/model/layers/batchnorm.h"

#include "core/model/layers/config_helpers.h"

#include <cmath>

namespace flipscope {

BatchNormLayer::BatchNormLayer(const std::string& className, const nlohmann::json& config)
    : LayerImpl(className, config), bn_(BatchNormConfig::fromConfig(config)) {
    const auto axis = config.value("axis", nlohmann::json(-1));
    const bool lastAxis = (axis.is_number_integer() && (axis.get<int>() == -1 || axis.get<int>() >= 1)) ||
                          (axis.is_array() && axis.size() == 1);
    if (!lastAxis) fail("batch normalization over axis " + axis.dump() + " is not supported (only the channel axis)");
}

Shape BatchNormLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() != 1 || inputs[0].empty()) fail("expects one input");
    const int64_t channels = inputs[0].back();
    const bool q = className_ == "QBatchNormalization";
    auto quantizerFor = [&](const std::string& key) {
        return q ? readQuantizer(*this, config_, key, false) : std::nullopt;
    };
    if (q && config_.contains("inverse_quantizer") && !config_["inverse_quantizer"].is_null())
        fail("QBatchNormalization with inverse_quantizer is not supported");
    for (auto& [name, shape] : batchNormWeights(bn_, channels)) {
        const std::string key = name == "moving_mean" ? "mean_quantizer"
                                : name == "moving_variance" ? "variance_quantizer"
                                                            : name + "_quantizer";
        declareParameter(name, shape, quantizerFor(key)).trainable = name == "gamma" || name == "beta";
    }
    setShapes(inputs, inputs[0]);
    return inputs[0];
}

void BatchNormLayer::prepare() {
    Layer::prepare();  // quantizes gamma/beta/mean/variance where a quantizer is set
    onEffectiveChanged();
}

void BatchNormLayer::onEffectiveChanged() {
    const int64_t n = parameter("moving_variance")->effective.size();
    multiplier_.assign(n, 0.0f);
    offset_.assign(n, 0.0f);
    for (int64_t c = 0; c < n; ++c) {
        float inv = 1.0f / std::sqrt(parameter("moving_variance")->effective[c] + bn_.epsilon);
        if (bn_.scale) inv *= parameter("gamma")->effective[c];
        const float beta = bn_.center ? parameter("beta")->effective[c] : 0.0f;
        multiplier_[c] = inv;
        offset_[c] = beta - parameter("moving_mean")->effective[c] * inv;
    }
}

Tensor BatchNormLayer::forward(const std::vector<const Tensor*>& inputs) const {
    Tensor y = *inputs[0];
    const size_t n = multiplier_.size();
    for (int64_t i = 0; i < y.size(); ++i) y[i] = y[i] * multiplier_[i % n] + offset_[i % n];
    return y;
}

}  // namespace flipscope
