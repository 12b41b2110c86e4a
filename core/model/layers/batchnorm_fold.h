#pragma once
// Batch-norm folding shared by QConv2DBatchnorm and QDenseBatchnorm (reference 3.4):
// inv = rsqrt(var + eps) * gamma; kernel' = inv * kernel (per output channel = last axis);
// bias' = inv * (bias - mean) + beta. The folded tensors are quantized afterwards.
#include "core/model/layer.h"

namespace flipscope {

struct BatchNormConfig {
    float epsilon = 1e-3f;
    bool center = true;
    bool scale = true;
    static BatchNormConfig fromConfig(const nlohmann::json& config);
};

// Declares gamma/beta/moving_mean/moving_variance of `channels` entries on `layer`.
std::vector<std::pair<std::string, Shape>> batchNormWeights(const BatchNormConfig& bn, int64_t channels);

// The per-channel multiplier inv and offset (beta - mean*inv) of inference batch norm.
void batchNormInverse(const Layer& layer, const BatchNormConfig& bn, std::vector<float>& inv, std::vector<float>& mean,
                      std::vector<float>& beta);

}  // namespace flipscope
