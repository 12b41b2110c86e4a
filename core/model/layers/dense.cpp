#include "core/model/layers/dense.h"


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
    declareKernelAndBias({in_, units_}, units_, useBias_, foldsBatchNorm_ ? &bn_ : nullptr);
    Shape out = inputs[0];
    out.back() = units_;
    setShapes(inputs, out);
    return out;
}

void DenseLayer::prepare() {
    if (foldsBatchNorm_) foldBatchNorm(bn_, units_);
    else Layer::prepare();
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
