// Derivatives of the element-wise activations (declared in core/model/layer_backward.h).
#include "core/model/layer_backward.h"

#include <cmath>

namespace flipscope {

float quantizerGradient(const QuantizerSpec& spec, float x) {
    if (spec.kind != QuantizerKind::Relu) return 1.0f;  // x + stop_gradient(xq - x): identity
    // QKeras: x_u = relu(x) if x <= 2^integer - 2^(integer-bits) else that maximum (a constant);
    // the output is x_u + stop_gradient(xq - x_u), so only x_u carries a gradient.
    const float top = std::ldexp(1.0f, spec.integer) - std::ldexp(1.0f, spec.integer - spec.bits);
    return x > 0.0f && x <= top ? 1.0f : 0.0f;
}

void activationBackward(const Activation& activation, const Tensor& pre, const Tensor& post, Tensor& grad) {
    float* g = grad.data();
    const float* x = pre.data();
    const float* y = post.data();
    const int64_t n = grad.size();
    switch (activation.kind()) {
    case Activation::Kind::Linear:
        return;
    case Activation::Kind::Relu:
        for (int64_t i = 0; i < n; ++i)
            if (!(x[i] > 0.0f)) g[i] = 0.0f;
        return;
    case Activation::Kind::Sigmoid:
        for (int64_t i = 0; i < n; ++i) g[i] *= y[i] * (1.0f - y[i]);
        return;
    case Activation::Kind::HardSigmoid:  // clip(0.2x + 0.5, 0, 1): tf.clip_by_value passes inside [0, 1]
        for (int64_t i = 0; i < n; ++i) {
            const float v = 0.2f * x[i] + 0.5f;
            g[i] = v >= 0.0f && v <= 1.0f ? 0.2f * g[i] : 0.0f;
        }
        return;
    case Activation::Kind::Tanh:
        for (int64_t i = 0; i < n; ++i) g[i] *= 1.0f - y[i] * y[i];
        return;
    case Activation::Kind::Softplus:
        for (int64_t i = 0; i < n; ++i) g[i] *= 1.0f / (1.0f + std::exp(-x[i]));
        return;
    case Activation::Kind::Elu:
        for (int64_t i = 0; i < n; ++i) g[i] *= x[i] > 0.0f ? 1.0f : y[i] + 1.0f;
        return;
    case Activation::Kind::Swish:
        for (int64_t i = 0; i < n; ++i) {
            const float s = 1.0f / (1.0f + std::exp(-x[i]));
            g[i] *= s * (1.0f + x[i] * (1.0f - s));
        }
        return;
    case Activation::Kind::Softmax: {  // along the last axis: dx = y * (dy - sum(dy * y))
        const int64_t width = grad.rank() ? grad.dim(-1) : n;
        for (int64_t row = 0; row + width <= n; row += width) {
            double dot = 0.0;
            for (int64_t i = row; i < row + width; ++i) dot += static_cast<double>(g[i]) * y[i];
            for (int64_t i = row; i < row + width; ++i) g[i] = y[i] * static_cast<float>(g[i] - dot);
        }
        return;
    }
    case Activation::Kind::Quantizer:
        for (int64_t i = 0; i < n; ++i) g[i] *= quantizerGradient(*activation.quantizer(), x[i]);
        return;
    }
}

}  // namespace flipscope
