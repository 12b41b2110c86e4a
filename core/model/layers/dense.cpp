#include "core/model/layers/dense.h"

#include "core/model/layers/config_helpers.h"

#include <spdlog/spdlog.h>

namespace flipscope {

DenseLayer::DenseLayer(const std::string& className, const nlohmann::json& config)
    : LayerImpl(className, config) {
    units_ = configValue("units").get<int64_t>();
    useBias_ = configOr("use_bias", true);
    foldsBatchNorm_ = className == "QDenseBatchnorm";
    if (foldsBatchNorm_) bn_ = BatchNormConfig::fromConfig(config);
    activation_ = Activation::fromConfig(config.value("activation", nlohmann::json("linear")), name_);
    if (config.value("ber", 0.0) != 0.0)
        spdlog::warn("layer '{}': FKeras ber={} is ignored; Flipscope injects faults itself", name_,
                     config["ber"].dump());
}

Shape DenseLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() != 1 || inputs[0].empty()) fail("expects one input with at least one axis");
    in_ = inputs[0].back();
    const bool q = isQKerasClass(className_);
    declareParameter("kernel", {in_, units_}, q ? readQuantizer(*this, config_, "kernel_quantizer", true) : std::nullopt);
    if (useBias_ || foldsBatchNorm_) {
        LayerParameter& bias =
            declareParameter("bias", {units_}, q ? readQuantizer(*this, config_, "bias_quantizer", false) : std::nullopt);
        // A folding layer without use_bias has no bias in the file: fold from zero.
        if (!useBias_ && !bias.loaded) {
            bias.stored = Tensor({units_});
            bias.loaded = true;
        }
    }
    if (foldsBatchNorm_)
        for (auto& [name, shape] : batchNormWeights(bn_, units_)) declareParameter(name, shape).trainable = false;
    Shape out = inputs[0];
    out.back() = units_;
    setShapes(inputs, out);
    return out;
}

void DenseLayer::prepare() {
    if (!foldsBatchNorm_) return Layer::prepare();
    LayerParameter* bias = parameter("bias");  // zero from build() when use_bias is false
    std::vector<float> inv, mean, beta;
    batchNormInverse(*this, bn_, inv, mean, beta);
    for (auto& p : parameters_) p.effective = p.stored;
    LayerParameter& kernel = *parameter("kernel");
    for (int64_t i = 0; i < kernel.effective.size(); ++i) kernel.effective[i] = inv[i % units_] * kernel.stored[i];
    for (int64_t c = 0; c < units_; ++c) bias->effective[c] = inv[c] * (bias->stored[c] - mean[c]) + beta[c];
    quantizeEffective(kernel);
    quantizeEffective(*bias);
}

void DenseLayer::affine(const float* x, int64_t rows, float* out) const {
    const float* w = parameters_[0].effective.data();
    const float* b = (useBias_ || foldsBatchNorm_) ? parameter("bias")->effective.data() : nullptr;
    std::vector<double> acc(units_);
    for (int64_t r = 0; r < rows; ++r) {
        std::fill(acc.begin(), acc.end(), 0.0);
        const float* xr = x + r * in_;
        for (int64_t k = 0; k < in_; ++k) {
            const double xk = xr[k];
            if (xk == 0.0) continue;  // adds exactly nothing
            const float* wk = w + k * units_;
            for (int64_t j = 0; j < units_; ++j) acc[j] += xk * static_cast<double>(wk[j]);
        }
        float* o = out + r * units_;
        for (int64_t j = 0; j < units_; ++j) {
            o[j] = static_cast<float>(acc[j]);
            if (b) o[j] = o[j] + b[j];
        }
    }
}

void DenseLayer::affineUnit(const float* x, int64_t rows, int64_t unit, float* out) const {
    const float* w = parameters_[0].effective.data();
    const LayerParameter* bias = parameter("bias");
    for (int64_t r = 0; r < rows; ++r) {
        double acc = 0.0;
        const float* xr = x + r * in_;
        for (int64_t k = 0; k < in_; ++k) {
            const double xk = xr[k];
            if (xk == 0.0) continue;
            acc += xk * static_cast<double>(w[k * units_ + unit]);
        }
        out[r] = static_cast<float>(acc);
        if (bias) out[r] = out[r] + bias->effective[unit];
    }
}

Tensor DenseLayer::forward(const std::vector<const Tensor*>& inputs) const {
    const Tensor& x = *inputs[0];
    Shape outShape = x.shape();
    outShape.back() = units_;
    Tensor y(outShape);
    affine(x.data(), x.size() / in_, y.data());
    activation_.apply(y);
    return y;
}

}  // namespace flipscope
