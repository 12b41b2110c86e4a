#include "core/model/layers/conv2d.h"

#include "core/model/layers/config_helpers.h"

#include <spdlog/spdlog.h>

#include <vector>

namespace flipscope {

Conv2DLayer::Conv2DLayer(const std::string& className, const nlohmann::json& config) : LayerImpl(className, config) {
    requireChannelsLast(*this, config);
    filters_ = configValue("filters").get<int64_t>();
    kernel_ = readPair(*this, configValue("kernel_size"), "kernel_size");
    if (config.contains("strides")) strides_ = readPair(*this, config["strides"], "strides");
    if (config.contains("dilation_rate")) dilation_ = readPair(*this, config["dilation_rate"], "dilation_rate");
    padding_ = configOr<std::string>("padding", "valid");
    useBias_ = configOr("use_bias", true);
    if (configOr<int64_t>("groups", 1) != 1) fail("grouped convolution (groups > 1) is not supported");
    if (config.contains("mask") && !config["mask"].is_null()) fail("QConv2D 'mask' is not supported");
    foldsBatchNorm_ = className == "QConv2DBatchnorm";
    if (foldsBatchNorm_) bn_ = BatchNormConfig::fromConfig(config);
    activation_ = Activation::fromConfig(config.value("activation", nlohmann::json("linear")), name_);
    if (config.value("ber", 0.0) != 0.0)
        spdlog::warn("layer '{}': FKeras ber={} is ignored; Flipscope injects faults itself", name_,
                     config["ber"].dump());
}

Shape Conv2DLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() != 1 || inputs[0].size() != 3)
        fail("expects one input of shape (height, width, channels), found " +
             (inputs.empty() ? std::string("none") : shapeToString(inputs[0])));
    inH_ = inputs[0][0];
    inW_ = inputs[0][1];
    inC_ = inputs[0][2];
    try {
        rows_ = convWindow(inH_, kernel_[0], strides_[0], dilation_[0], padding_);
        cols_ = convWindow(inW_, kernel_[1], strides_[1], dilation_[1], padding_);
    } catch (const std::exception& e) {
        fail(e.what());
    }
    if (rows_.out <= 0 || cols_.out <= 0) fail("input " + shapeToString(inputs[0]) + " is smaller than the kernel");
    declareKernelAndBias({kernel_[0], kernel_[1], inC_, filters_}, filters_, useBias_, foldsBatchNorm_ ? &bn_ : nullptr);
    Shape out{rows_.out, cols_.out, filters_};
    setShapes(inputs, out);
    return out;
}

void Conv2DLayer::prepare() {
    if (foldsBatchNorm_) foldBatchNorm(bn_, filters_);
    else Layer::prepare();
}

namespace {

// One output pixel's taps inside the input: where each reads its input channels and where its
// kernel rows start, in (di, dj) order.
struct Tap {
    const float* input;
    const float* kernel;
};

// Output channels [co, co + Width) of one output pixel: per channel a double sum from 0.0 of
// x * k over the taps in order and, within a tap, the non-zero inputs in channel order - the
// terms and order of affineChannel - with the Width sums in registers side by side.
template <int Width>
inline void sumChannels(const std::vector<Tap>& taps, int64_t inC, int64_t filters, int64_t co, float* out) {
    double acc[Width] = {};
    for (const Tap& tap : taps)
        for (int64_t ci = 0; ci < inC; ++ci) {
            const double xv = tap.input[ci];
            if (xv == 0.0) continue;
            const float* kc = tap.kernel + ci * filters + co;
            for (int w = 0; w < Width; ++w) acc[w] += xv * static_cast<double>(kc[w]);
        }
    for (int w = 0; w < Width; ++w) out[co + w] = static_cast<float>(acc[w]);
}

}  // namespace

// Output channels go eight (then four, then one) at a time with their sums in registers: one
// channel at a time, or all of them in an array, would add to memory on every term.
void Conv2DLayer::affine(const float* x, int64_t rows, float* out) const {
    const float* k = parameter("kernel")->effective.data();
    const LayerParameter* biasParam = parameter("bias");
    const float* b = biasParam ? biasParam->effective.data() : nullptr;
    const int64_t inSample = inH_ * inW_ * inC_;
    const int64_t outSample = rows_.out * cols_.out * filters_;
    std::vector<Tap> taps;
    taps.reserve(kernel_[0] * kernel_[1]);
    for (int64_t r = 0; r < rows; ++r) {
        const float* xs = x + r * inSample;
        float* os = out + r * outSample;
        for (int64_t oh = 0; oh < rows_.out; ++oh) {
            for (int64_t ow = 0; ow < cols_.out; ++ow) {
                taps.clear();
                for (int64_t di = 0; di < kernel_[0]; ++di) {
                    const int64_t ih = oh * strides_[0] + di * dilation_[0] - rows_.padBefore;
                    if (ih < 0 || ih >= inH_) continue;  // zero padding
                    for (int64_t dj = 0; dj < kernel_[1]; ++dj) {
                        const int64_t iw = ow * strides_[1] + dj * dilation_[1] - cols_.padBefore;
                        if (iw < 0 || iw >= inW_) continue;
                        taps.push_back({xs + (ih * inW_ + iw) * inC_, k + (di * kernel_[1] + dj) * inC_ * filters_});
                    }
                }
                float* o = os + (oh * cols_.out + ow) * filters_;
                int64_t co = 0;
                for (; co + 8 <= filters_; co += 8) sumChannels<8>(taps, inC_, filters_, co, o);
                for (; co + 4 <= filters_; co += 4) sumChannels<4>(taps, inC_, filters_, co, o);
                for (; co < filters_; ++co) sumChannels<1>(taps, inC_, filters_, co, o);
                if (b)
                    for (co = 0; co < filters_; ++co) o[co] = o[co] + b[co];
            }
        }
    }
}

void Conv2DLayer::affineChannel(const float* x, int64_t rows, int64_t channel, float* out) const {
    const float* k = parameter("kernel")->effective.data();
    const LayerParameter* biasParam = parameter("bias");
    const int64_t inSample = inH_ * inW_ * inC_;
    const int64_t positions = rows_.out * cols_.out;
    for (int64_t r = 0; r < rows; ++r) {
        const float* xs = x + r * inSample;
        for (int64_t oh = 0; oh < rows_.out; ++oh) {
            for (int64_t ow = 0; ow < cols_.out; ++ow) {
                double acc = 0.0;
                for (int64_t di = 0; di < kernel_[0]; ++di) {
                    const int64_t ih = oh * strides_[0] + di * dilation_[0] - rows_.padBefore;
                    if (ih < 0 || ih >= inH_) continue;
                    for (int64_t dj = 0; dj < kernel_[1]; ++dj) {
                        const int64_t iw = ow * strides_[1] + dj * dilation_[1] - cols_.padBefore;
                        if (iw < 0 || iw >= inW_) continue;
                        const float* xp = xs + (ih * inW_ + iw) * inC_;
                        const float* kp = k + (di * kernel_[1] + dj) * inC_ * filters_ + channel;
                        for (int64_t ci = 0; ci < inC_; ++ci) {
                            const double xv = xp[ci];
                            if (xv == 0.0) continue;
                            acc += xv * static_cast<double>(kp[ci * filters_]);
                        }
                    }
                }
                float& o = out[r * positions + oh * cols_.out + ow];
                o = static_cast<float>(acc);
                if (biasParam) o = o + biasParam->effective[channel];
            }
        }
    }
}

Tensor Conv2DLayer::forward(const std::vector<const Tensor*>& inputs) const {
    const Tensor& x = *inputs[0];
    const int64_t n = x.dim(0);
    Tensor y({n, rows_.out, cols_.out, filters_});
    affine(x.data(), n, y.data());
    activation_.apply(y);
    return y;
}

}  // namespace flipscope
