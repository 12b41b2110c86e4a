#include "core/model/layers/pooling.h"

#include "core/model/layers/config_helpers.h"

#include <algorithm>
#include <limits>

namespace flipscope {

Pooling2DLayer::Pooling2DLayer(const std::string& className, const nlohmann::json& config)
    : LayerImpl(className, config) {
    requireChannelsLast(*this, config);
    max_ = className == "MaxPooling2D";
    if (config.contains("pool_size")) pool_ = readPair(*this, config["pool_size"], "pool_size");
    strides_ = config.contains("strides") && !config["strides"].is_null() ? readPair(*this, config["strides"], "strides")
                                                                         : pool_;
    padding_ = configOr<std::string>("padding", "valid");
}

Shape Pooling2DLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() != 1 || inputs[0].size() != 3) fail("expects one input of shape (height, width, channels)");
    inH_ = inputs[0][0];
    inW_ = inputs[0][1];
    channels_ = inputs[0][2];
    try {
        rows_ = convWindow(inH_, pool_[0], strides_[0], 1, padding_);
        cols_ = convWindow(inW_, pool_[1], strides_[1], 1, padding_);
    } catch (const std::exception& e) {
        fail(e.what());
    }
    Shape out{rows_.out, cols_.out, channels_};
    setShapes(inputs, out);
    return out;
}

// Each output pixel takes its window's pixels in row-major order with all channels side by side:
// every channel meets its values in the same order as alone, so the maxima and the float sums
// (then divided by the count) are the same; a max pool keeps no sum.
Tensor Pooling2DLayer::forward(const std::vector<const Tensor*>& inputs) const {
    const Tensor& x = *inputs[0];
    const int64_t n = x.dim(0);
    Tensor y({n, rows_.out, cols_.out, channels_});
    const float start = max_ ? -std::numeric_limits<float>::infinity() : 0.0f;
    for (int64_t s = 0; s < n; ++s) {
        const float* xs = x.data() + s * inH_ * inW_ * channels_;
        float* ys = y.data() + s * rows_.out * cols_.out * channels_;
        for (int64_t oh = 0; oh < rows_.out; ++oh)
            for (int64_t ow = 0; ow < cols_.out; ++ow) {
                float* out = ys + (oh * cols_.out + ow) * channels_;
                std::fill(out, out + channels_, start);
                int count = 0;
                for (int64_t di = 0; di < pool_[0]; ++di) {
                    const int64_t ih = oh * strides_[0] + di - rows_.padBefore;
                    if (ih < 0 || ih >= inH_) continue;
                    for (int64_t dj = 0; dj < pool_[1]; ++dj) {
                        const int64_t iw = ow * strides_[1] + dj - cols_.padBefore;
                        if (iw < 0 || iw >= inW_) continue;
                        const float* v = xs + (ih * inW_ + iw) * channels_;
                        if (max_)
                            for (int64_t c = 0; c < channels_; ++c) out[c] = std::max(out[c], v[c]);
                        else
                            for (int64_t c = 0; c < channels_; ++c) out[c] += v[c];
                        ++count;
                    }
                }
                if (!max_)
                    for (int64_t c = 0; c < channels_; ++c) out[c] = out[c] / static_cast<float>(count);
            }
    }
    return y;
}

GlobalPooling2DLayer::GlobalPooling2DLayer(const std::string& className, const nlohmann::json& config)
    : LayerImpl(className, config) {
    requireChannelsLast(*this, config);
    max_ = className == "GlobalMaxPooling2D";
    keepDims_ = configOr("keepdims", false);
}

Shape GlobalPooling2DLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() != 1 || inputs[0].size() != 3) fail("expects one input of shape (height, width, channels)");
    cells_ = inputs[0][0] * inputs[0][1];
    channels_ = inputs[0][2];
    Shape out = keepDims_ ? Shape{1, 1, channels_} : Shape{channels_};
    setShapes(inputs, out);
    return out;
}

Tensor GlobalPooling2DLayer::forward(const std::vector<const Tensor*>& inputs) const {
    const Tensor& x = *inputs[0];
    const int64_t n = x.dim(0);
    Shape shape = outputShape_;
    shape.insert(shape.begin(), n);
    Tensor y(shape);
    for (int64_t s = 0; s < n; ++s)
        for (int64_t c = 0; c < channels_; ++c) {
            float acc = max_ ? -std::numeric_limits<float>::infinity() : 0.0f;
            for (int64_t p = 0; p < cells_; ++p) {
                const float v = x[(s * cells_ + p) * channels_ + c];
                acc = max_ ? std::max(acc, v) : acc + v;
            }
            y[s * channels_ + c] = max_ ? acc : acc / static_cast<float>(cells_);
        }
    return y;
}

}  // namespace flipscope
