// Reverse mode of inference batch norm: the BatchNormalization layer, and the batch norm folded
// into QDenseBatchnorm / QConv2DBatchnorm kernels (see core/model/layer_backward.h).
#include "core/model/layer_backward.h"
#include "core/model/layers/batchnorm.h"

#include <cmath>

namespace flipscope::backward_detail {
namespace {

std::span<const float> stored(const Layer& layer, const std::string& name) {
    const LayerParameter* p = layer.parameter(name);
    return p ? p->stored.values() : std::span<const float>();
}

// d/d(inv) -> gamma and variance, with inv = gamma / sqrt(variance + eps) (gamma = 1 without
// scale). `gamma` and `variance` are the values the forward pass used; the gradient reaches the
// stored ones through their quantizers' STE.
void inverseBackward(const Layer& layer, const BatchNormConfig& bn, std::span<const float> gamma,
                     std::span<const float> variance, const std::vector<double>& dInv, ParamGrads grads) {
    const int64_t channels = static_cast<int64_t>(dInv.size());
    std::vector<double> dGamma(channels), dVariance(channels);
    for (int64_t c = 0; c < channels; ++c) {
        const double r = 1.0 / std::sqrt(static_cast<double>(variance[c]) + bn.epsilon);
        const double g = bn.scale ? gamma[c] : 1.0;
        dGamma[c] = dInv[c] * r;
        dVariance[c] = dInv[c] * g * -0.5 * r * r * r;
    }
    if (bn.scale)
        addThroughQuantizer(*layer.parameter("gamma"), stored(layer, "gamma"), dGamma, grads[parameterIndex(layer, "gamma")]);
    addThroughQuantizer(*layer.parameter("moving_variance"), stored(layer, "moving_variance"), dVariance,
                        grads[parameterIndex(layer, "moving_variance")]);
}

std::span<const float> effective(const Layer& layer, const std::string& name) {
    const LayerParameter* p = layer.parameter(name);
    return p ? p->effective.values() : std::span<const float>();
}

}  // namespace

std::vector<Tensor> batchNormBackward(const BatchNormLayer& layer, const Tensor& x, const Tensor& dY, ParamGrads grads) {
    // y = x * inv + (beta - mean * inv), per channel, from the effective (maybe quantized) values.
    const BatchNormConfig& bn = layer.batchNorm();
    const Tensor& mean = layer.parameter("moving_mean")->effective;
    const Tensor& variance = layer.parameter("moving_variance")->effective;
    const int64_t channels = mean.size();
    std::vector<float> inv(channels);
    for (int64_t c = 0; c < channels; ++c) {
        inv[c] = 1.0f / std::sqrt(variance[c] + bn.epsilon);
        if (bn.scale) inv[c] *= layer.parameter("gamma")->effective[c];
    }
    Tensor dX(x.shape());
    std::vector<double> dInv(channels, 0.0), dOffset(channels, 0.0);
    for (int64_t i = 0; i < x.size(); ++i) {
        const int64_t c = i % channels;
        dX[i] = dY[i] * inv[c];
        dInv[c] += static_cast<double>(dY[i]) * x[i];
        dOffset[c] += dY[i];
    }
    std::vector<double> dMean(channels);
    for (int64_t c = 0; c < channels; ++c) {
        dMean[c] = -inv[c] * dOffset[c];
        dInv[c] -= mean[c] * dOffset[c];
    }
    if (bn.center)
        addThroughQuantizer(*layer.parameter("beta"), stored(layer, "beta"), dOffset, grads[parameterIndex(layer, "beta")]);
    addThroughQuantizer(*layer.parameter("moving_mean"), stored(layer, "moving_mean"), dMean,
                        grads[parameterIndex(layer, "moving_mean")]);
    inverseBackward(layer, bn, effective(layer, "gamma"), variance.values(), dInv, grads);
    return {std::move(dX)};
}

void kernelBiasBackward(const Layer& layer, const BatchNormConfig* fold, int64_t channels,
                        std::span<const double> dKernelEffective, std::span<const double> dBiasEffective,
                        ParamGrads grads) {
    const LayerParameter& kernel = *layer.parameter("kernel");
    const LayerParameter* bias = layer.parameter("bias");
    const int k = parameterIndex(layer, "kernel"), b = parameterIndex(layer, "bias");
    if (!fold) {
        addThroughQuantizer(kernel, kernel.stored.values(), dKernelEffective, grads[k]);
        if (bias) addThroughQuantizer(*bias, bias->stored.values(), dBiasEffective, grads[b]);
        return;
    }
    // kernel' = inv * kernel, bias' = inv * (bias - mean) + beta; both then quantized (STE).
    std::vector<float> inv, mean, beta;
    batchNormInverse(layer, *fold, inv, mean, beta);
    const int64_t size = kernel.stored.size();
    std::vector<float> kernelFolded(size), biasFolded(channels);
    for (int64_t i = 0; i < size; ++i) kernelFolded[i] = inv[i % channels] * kernel.stored[i];
    for (int64_t c = 0; c < channels; ++c) biasFolded[c] = inv[c] * (bias->stored[c] - mean[c]) + beta[c];
    std::vector<double> dKf, dBf;
    addThroughQuantizer(kernel, kernelFolded, dKernelEffective, dKf);
    addThroughQuantizer(*bias, biasFolded, dBiasEffective, dBf);

    std::vector<double> dKernel(size), dBias(channels), dMean(channels), dInv(channels, 0.0);
    for (int64_t i = 0; i < size; ++i) {
        dKernel[i] = inv[i % channels] * dKf[i];
        dInv[i % channels] += kernel.stored[i] * dKf[i];
    }
    for (int64_t c = 0; c < channels; ++c) {
        dBias[c] = inv[c] * dBf[c];
        dMean[c] = -inv[c] * dBf[c];
        dInv[c] += (static_cast<double>(bias->stored[c]) - mean[c]) * dBf[c];
    }
    auto add = [&](const char* name, const std::vector<double>& d) {
        std::vector<double>& g = grads[parameterIndex(layer, name)];
        g.resize(d.size(), 0.0);
        for (size_t i = 0; i < d.size(); ++i) g[i] += d[i];
    };
    add("kernel", dKernel);
    add("bias", dBias);
    add("moving_mean", dMean);
    if (fold->center) add("beta", dBf);
    inverseBackward(layer, *fold, stored(layer, "gamma"), stored(layer, "moving_variance"), dInv, grads);
}

}  // namespace flipscope::backward_detail
