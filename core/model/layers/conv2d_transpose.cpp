#include "core/model/layers/conv2d_transpose.h"

#include "core/model/layers/config_helpers.h"

namespace flipscope {

Conv2DTransposeLayer::Conv2DTransposeLayer(const std::string& className, const nlohmann::json& config)
    : LayerImpl(className, config) {
    requireChannelsLast(*this, config);
    filters_ = configValue("filters").get<int64_t>();
    kernel_ = readPair(*this, configValue("kernel_size"), "kernel_size");
    if (config.contains("strides")) strides_ = readPair(*this, config["strides"], "strides");
    if (config.contains("dilation_rate") && readPair(*this, config["dilation_rate"], "dilation_rate") != std::array<int64_t, 2>{1, 1})
        fail("dilated Conv2DTranspose is not supported");
    if (config.contains("output_padding") && !config["output_padding"].is_null())
        outputPadding_ = readPair(*this, config["output_padding"], "output_padding");
    padding_ = configOr<std::string>("padding", "valid");
    useBias_ = configOr("use_bias", true);
    activation_ = Activation::fromConfig(config.value("activation", nlohmann::json("linear")), name_);
}

Shape Conv2DTransposeLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() != 1 || inputs[0].size() != 3) fail("expects one input of shape (height, width, channels)");
    inH_ = inputs[0][0];
    inW_ = inputs[0][1];
    inC_ = inputs[0][2];
    try {
        rows_ = transposedWindow(inH_, kernel_[0], strides_[0], padding_, outputPadding_[0]);
        cols_ = transposedWindow(inW_, kernel_[1], strides_[1], padding_, outputPadding_[1]);
    } catch (const std::exception& e) {
        fail(e.what());
    }
    declareKernelAndBias({kernel_[0], kernel_[1], filters_, inC_}, filters_, useBias_, nullptr);
    Shape out{rows_.out, cols_.out, filters_};
    setShapes(inputs, out);
    return out;
}

void Conv2DTransposeLayer::affine(const float* x, int64_t n, float* out) const {
    const float* k = parameter("kernel")->effective.data();
    const float* b = useBias_ ? parameter("bias")->effective.data() : nullptr;
    const int64_t outPlane = rows_.out * cols_.out * filters_;
    std::vector<double> acc(outPlane);
    for (int64_t s = 0; s < n; ++s) {
        std::fill(acc.begin(), acc.end(), 0.0);
        const float* xs = x + s * inH_ * inW_ * inC_;
        // Scatter each input pixel through the kernel, in input order.
        for (int64_t ih = 0; ih < inH_; ++ih) {
            for (int64_t iw = 0; iw < inW_; ++iw) {
                const float* xp = xs + (ih * inW_ + iw) * inC_;
                for (int64_t di = 0; di < kernel_[0]; ++di) {
                    const int64_t oh = ih * strides_[0] + di - rows_.padBefore;
                    if (oh < 0 || oh >= rows_.out) continue;
                    for (int64_t dj = 0; dj < kernel_[1]; ++dj) {
                        const int64_t ow = iw * strides_[1] + dj - cols_.padBefore;
                        if (ow < 0 || ow >= cols_.out) continue;
                        double* a = acc.data() + (oh * cols_.out + ow) * filters_;
                        const float* kp = k + (di * kernel_[1] + dj) * filters_ * inC_;
                        for (int64_t co = 0; co < filters_; ++co) {
                            const float* kc = kp + co * inC_;
                            double sum = 0.0;
                            for (int64_t ci = 0; ci < inC_; ++ci) sum += static_cast<double>(xp[ci]) * kc[ci];
                            a[co] += sum;
                        }
                    }
                }
            }
        }
        float* ys = out + s * outPlane;
        for (int64_t i = 0; i < outPlane; ++i) {
            ys[i] = static_cast<float>(acc[i]);
            if (b) ys[i] = ys[i] + b[i % filters_];
        }
    }
}

Tensor Conv2DTransposeLayer::forward(const std::vector<const Tensor*>& inputs) const {
    const Tensor& x = *inputs[0];
    const int64_t n = x.dim(0);
    Tensor y({n, rows_.out, cols_.out, filters_});
    affine(x.data(), n, y.data());
    activation_.apply(y);
    return y;
}

}  // namespace flipscope
