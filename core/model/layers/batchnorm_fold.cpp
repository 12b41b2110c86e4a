#include "core/model/layers/batchnorm_fold.h"

#include "core/model/layers/config_helpers.h"

#include <cmath>

namespace flipscope {

BatchNormConfig BatchNormConfig::fromConfig(const nlohmann::json& config) {
    BatchNormConfig bn;
    bn.epsilon = config.value("epsilon", 1e-3f);
    bn.center = config.value("center", true);
    bn.scale = config.value("scale", true);
    return bn;
}

std::vector<std::pair<std::string, Shape>> batchNormWeights(const BatchNormConfig& bn, int64_t channels) {
    std::vector<std::pair<std::string, Shape>> out;
    if (bn.scale) out.push_back({"gamma", {channels}});
    if (bn.center) out.push_back({"beta", {channels}});
    out.push_back({"moving_mean", {channels}});
    out.push_back({"moving_variance", {channels}});
    return out;
}

void batchNormInverse(const Layer& layer, const BatchNormConfig& bn, std::vector<float>& inv,
                      std::vector<float>& mean, std::vector<float>& beta) {
    const auto* var = layer.parameter("moving_variance");
    const auto* mu = layer.parameter("moving_mean");
    const auto* gamma = bn.scale ? layer.parameter("gamma") : nullptr;
    const auto* b = bn.center ? layer.parameter("beta") : nullptr;
    const int64_t n = var->stored.size();
    inv.assign(n, 0.0f);
    mean.assign(n, 0.0f);
    beta.assign(n, 0.0f);
    for (int64_t c = 0; c < n; ++c) {
        inv[c] = 1.0f / std::sqrt(var->stored[c] + bn.epsilon);
        if (gamma) inv[c] *= gamma->stored[c];
        mean[c] = mu->stored[c];
        if (b) beta[c] = b->stored[c];
    }
}

void Layer::declareKernelAndBias(Shape kernelShape, int64_t channels, bool useBias, const BatchNormConfig* fold) {
    const bool quantized = isQKerasClass(className_);
    declareParameter("kernel", std::move(kernelShape),
                     quantized ? readQuantizer(*this, config_, "kernel_quantizer", true) : std::nullopt);
    if (useBias || fold) {
        LayerParameter& bias = declareParameter(
            "bias", {channels}, quantized ? readQuantizer(*this, config_, "bias_quantizer", false) : std::nullopt);
        // A folding layer without use_bias has no bias in the file: fold from zero.
        if (!useBias && !bias.loaded) {
            bias.stored = Tensor({channels});
            bias.loaded = true;
        }
    }
    if (fold)
        for (auto& [name, shape] : batchNormWeights(*fold, channels)) declareParameter(name, shape).trainable = false;
}

void Layer::foldBatchNorm(const BatchNormConfig& bn, int64_t channels) {
    std::vector<float> inv, mean, beta;
    batchNormInverse(*this, bn, inv, mean, beta);
    for (auto& p : parameters_) p.effective = p.stored;
    LayerParameter& kernel = *parameter("kernel");
    LayerParameter& bias = *parameter("bias");  // declared (zero if absent) by declareKernelAndBias
    // The kernel's last axis is the output channel in both Dense (in, out) and Conv2D (kh, kw, in, out).
    for (int64_t i = 0; i < kernel.effective.size(); ++i) kernel.effective[i] = inv[i % channels] * kernel.stored[i];
    for (int64_t c = 0; c < channels; ++c) bias.effective[c] = inv[c] * (bias.stored[c] - mean[c]) + beta[c];
    quantizeEffective(kernel);
    quantizeEffective(bias);
}

}  // namespace flipscope
