#include "core/quant/quantizer.h"

#include "core/common/error.h"

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <sstream>

#include <immintrin.h>

namespace flipscope {
namespace {

// tf.round: round half to even. nearbyintf honours the current rounding mode, which is
// round-to-nearest-even unless someone changed it; we never do.
inline float roundHalfEven(float x) { return std::nearbyintf(x); }

inline float pow2(int e) { return std::ldexp(1.0f, e); }

// QKeras's straight-through sum `x + stop_gradient(qnoise * (-x + xq))`, evaluated in float32.
// For inputs far outside the range this is not exactly xq (reference 1.2); we reproduce that.
inline float steSum(float x, float xq, float qnoise) {
    volatile float diff = -x + xq;  // volatile: keep the float32 rounding of each step
    volatile float scaled = qnoise * diff;
    return x + scaled;
}

inline float signOf(float x) { return x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f); }

int64_t channelCount(const Shape& shape, int64_t size) {
    if (shape.empty()) return 1;
    int64_t last = shape.back();
    return last > 0 && size % last == 0 ? last : 1;
}

float fixedAlpha(const QuantizerSpec& spec, int64_t channel) {
    if (spec.alpha != AlphaMode::Fixed || spec.alphaValues.empty()) return 1.0f;
    if (spec.alphaValues.size() == 1) return spec.alphaValues[0];
    return spec.alphaValues[channel % spec.alphaValues.size()];
}

void quantizeBitsFixed(const QuantizerSpec& spec, std::span<float> values, const Shape& shape,
                       std::vector<float>* scalesOut) {
    const int kn = spec.keepNegative ? 1 : 0;
    const int unsignedBits = spec.bits - kn;
    const int64_t channels = channelCount(shape, values.size());
    if (spec.alpha == AlphaMode::Fixed && spec.alphaValues.size() > 1 &&
        static_cast<int64_t>(spec.alphaValues.size()) != channels)
        throw InputError(spec.toString() + ": " + std::to_string(spec.alphaValues.size()) +
                         " alpha values for a tensor with " + std::to_string(channels) + " channels");
    if (unsignedBits <= 0) {  // binary: sign(x) with 0 -> +1
        for (size_t i = 0; i < values.size(); ++i) {
            const float x = values[i];
            float xq = x >= 0 ? 1.0f : -1.0f;
            if (!kn) xq = (xq + 1.0f) / 2.0f;
            xq = fixedAlpha(spec, i % channels) * xq;
            values[i] = steSum(x, xq, spec.qnoiseFactor);
        }
        return;
    }
    const float m = pow2(unsignedBits);
    const float mi = pow2(spec.integer);
    const float lo = static_cast<float>(kn) * (-m + (spec.symmetric ? 1.0f : 0.0f));
    const float hi = m - 1.0f;
    for (size_t i = 0; i < values.size(); ++i) {
        const float x = values[i];
        const float p = (x * m) / mi;
        const float c = std::clamp(roundHalfEven(p), lo, hi);
        const float scale = fixedAlpha(spec, i % channels);
        const float xq = scale * ((mi * c) / m);
        values[i] = steSum(x, xq, spec.qnoiseFactor);
    }
    if (scalesOut) {
        scalesOut->assign(spec.alphaValues.size() > 1 ? channels : 1, 0.0f);
        for (size_t c = 0; c < scalesOut->size(); ++c) (*scalesOut)[c] = fixedAlpha(spec, c);
    }
}

// alpha="auto"/"auto_po2" (reference 1.3): per-channel scale along the last axis.
void quantizeBitsAuto(const QuantizerSpec& spec, std::span<float> values, const Shape& shape,
                      std::vector<float>* scalesOut) {
    const int kn = spec.keepNegative ? 1 : 0;
    const float m = pow2(spec.bits - kn);
    const float mi = pow2(spec.integer);
    const float levels = 2.0f * (pow2(spec.bits - 1) - 1.0f);
    const float maxCode = levels / 2.0f;
    const int64_t n = values.size();
    const bool rankOne = shape.size() <= 1;
    // Rank > 1: one scale per channel of the last axis. Rank 1: one scale for the max, then
    // (auto_po2) a per-element least-squares refinement, exactly as QKeras does.
    const int64_t channels = rankOne ? 1 : channelCount(shape, n);
    const int64_t perChannel = n / channels;
    std::vector<float> xs(n);
    for (int64_t i = 0; i < n; ++i) xs[i] = values[i] / mi;

    std::vector<float> channelMax(channels, 0.0f);
    for (int64_t i = 0; i < n; ++i) {
        float& mx = channelMax[i % channels];
        mx = std::max(mx, std::fabs(xs[i]));
    }
    const int64_t scaleCount = (rankOne && spec.alpha == AlphaMode::AutoPo2) ? n : channels;
    auto scaleIndex = [&](int64_t i) { return scaleCount == n ? i : i % channels; };
    std::vector<float> scale(scaleCount);
    for (int64_t s = 0; s < scaleCount; ++s) scale[s] = (channelMax[s % channels] * 2.0f) / levels;

    auto codeOf = [&](float xv, float sc) {
        const float v = std::floor(std::fabs(xv) / sc + 0.5f);  // half away from zero
        return signOf(xv) * (v < maxCode ? v : maxCode);
    };
    constexpr float kLn2 = 0.6931471805599453f;
    auto po2 = [&](float v) { return pow2(static_cast<int>(roundHalfEven(std::log(v) / kLn2))); };

    if (spec.alpha == AlphaMode::AutoPo2) {
        for (float& s : scale) s = po2(s + 1e-7f);
        for (int iteration = 0; iteration < 5; ++iteration) {
            std::vector<double> qx(scaleCount, 0.0), qq(scaleCount, 0.0);
            for (int64_t i = 0; i < n; ++i) {
                const int64_t s = scaleIndex(i);
                const float z = codeOf(xs[i], scale[s]);
                qx[s] += static_cast<double>(xs[i] * z);
                qq[s] += static_cast<double>(z * z);
            }
            const double count = scaleCount == n ? 1.0 : static_cast<double>(perChannel);
            for (int64_t s = 0; s < scaleCount; ++s) {
                const float meanQx = static_cast<float>(qx[s] / count);
                const float meanQq = static_cast<float>(qq[s] / count);
                scale[s] = po2(meanQx / (meanQq + 1e-7f) + 1e-7f);
            }
        }
    }
    for (int64_t i = 0; i < n; ++i) {
        const float sc = scale[scaleIndex(i)];
        const float z = codeOf(xs[i], sc);
        const float xq = (sc * m) * ((mi * z) / m);
        values[i] = steSum(mi * xs[i], xq, spec.qnoiseFactor);
    }
    if (scalesOut) {
        scalesOut->resize(scaleCount);
        for (int64_t s = 0; s < scaleCount; ++s) (*scalesOut)[s] = scale[s] * m;
    }
}

// quantized_relu's grid: 2^bits steps of 2^(integer - bits) on [0, 2^integer).
struct ReluGrid {
    float m, mi, top, qnoise;
    explicit ReluGrid(const QuantizerSpec& spec)
        : m(pow2(spec.bits)), mi(pow2(spec.integer)), top(pow2(spec.integer) - pow2(spec.integer - spec.bits)),
          qnoise(spec.qnoiseFactor) {}
};

// One value: QKeras's quantized_relu in float32, step by step (the reference for the SIMD form).
inline float quantizeReluValue(const ReluGrid& g, float x) {
    const float xu = x <= g.top ? std::max(x, 0.0f) : g.top;
    const float p = (x * g.m) / g.mi;
    const float xq = g.mi * std::clamp(roundHalfEven(p) / g.m, 0.0f, 1.0f - 1.0f / g.m);
    return steSum(xu, xq, g.qnoise);
}

// The same eight values at a time with AVX2: every step is the same float32 operation per lane
// (comparisons ordered like C's, so NaN takes the same branches; the rounding in the current mode
// like nearbyintf; the negation a sign flip), so each lane's result is quantizeReluValue's.
__attribute__((target("avx2"))) void quantizeReluAvx2(const ReluGrid& g, float* values, size_t count) {
    const __m256 m = _mm256_set1_ps(g.m), mi = _mm256_set1_ps(g.mi), top = _mm256_set1_ps(g.top);
    const __m256 zero = _mm256_setzero_ps(), hi = _mm256_set1_ps(1.0f - 1.0f / g.m);
    const __m256 qnoise = _mm256_set1_ps(g.qnoise), sign = _mm256_set1_ps(-0.0f);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 x = _mm256_loadu_ps(values + i);
        const __m256 positive = _mm256_blendv_ps(x, zero, _mm256_cmp_ps(x, zero, _CMP_LT_OQ));  // max(x, 0)
        const __m256 xu = _mm256_blendv_ps(top, positive, _mm256_cmp_ps(x, top, _CMP_LE_OQ));
        const __m256 p = _mm256_div_ps(_mm256_mul_ps(x, m), mi);
        const __m256 q = _mm256_div_ps(_mm256_round_ps(p, _MM_FROUND_CUR_DIRECTION | _MM_FROUND_NO_EXC), m);
        __m256 clamped = _mm256_blendv_ps(q, zero, _mm256_cmp_ps(q, zero, _CMP_LT_OQ));  // std::clamp
        clamped = _mm256_blendv_ps(clamped, hi, _mm256_cmp_ps(hi, q, _CMP_LT_OQ));
        const __m256 xq = _mm256_mul_ps(mi, clamped);
        const __m256 diff = _mm256_add_ps(_mm256_xor_ps(xu, sign), xq);
        _mm256_storeu_ps(values + i, _mm256_add_ps(xu, _mm256_mul_ps(qnoise, diff)));
    }
    for (; i < count; ++i) values[i] = quantizeReluValue(g, values[i]);
}

void quantizeRelu(const QuantizerSpec& spec, std::span<float> values, std::vector<float>* scalesOut) {
    const ReluGrid grid(spec);
    if (__builtin_cpu_supports("avx2")) quantizeReluAvx2(grid, values.data(), values.size());
    else
        for (float& x : values) x = quantizeReluValue(grid, x);
    if (scalesOut) scalesOut->assign(1, 1.0f);
}

void quantizePo2(const QuantizerSpec& spec, std::span<float> values) {
    const int needExponentSign = (!spec.maxValue || *spec.maxValue > 1.0f) ? 1 : 0;
    const int effectBits = spec.bits - 1 - needExponentSign;
    const int minExp = -(1 << effectBits);
    int maxExp = (1 << effectBits) - 1;
    if (spec.quadraticApproximation) maxExp = 2 * (maxExp / 2);
    constexpr float kLn2 = 0.6931471805599453f;
    for (float& x : values) {
        const float sign = x >= 0 ? 1.0f : -1.0f;
        float ax = std::fabs(x);
        int e;
        if (ax < 1e-7f) {
            e = minExp;
        } else {
            if (spec.maxValue) ax = std::min(ax, *spec.maxValue);
            float le;
            if (spec.quadraticApproximation)
                le = 2.0f * roundHalfEven(std::log(std::sqrt(ax)) / kLn2);
            else
                le = roundHalfEven(std::log(ax) / kLn2);
            e = static_cast<int>(std::clamp(le, static_cast<float>(minExp), static_cast<float>(maxExp)));
        }
        x = steSum(x, sign * pow2(e), spec.qnoiseFactor);
    }
}

}  // namespace

bool QuantizerSpec::isFixedPoint() const {
    if (kind == QuantizerKind::Relu) return true;
    if (kind == QuantizerKind::Bits) return bits - (keepNegative ? 1 : 0) > 0;
    return false;
}

static std::string formatNumber(float v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

std::string QuantizerSpec::toString() const {
    std::ostringstream out;
    switch (kind) {
    case QuantizerKind::Bits:
        out << "quantized_bits(" << bits << ',' << integer << ',' << (symmetric ? 1 : 0);
        if (!keepNegative) out << ",keep_negative=False";
        if (alpha == AlphaMode::Auto) out << ",alpha='auto'";
        if (alpha == AlphaMode::AutoPo2) out << ",alpha='auto_po2'";
        if (alpha == AlphaMode::Fixed) {
            if (alphaValues.size() == 1) out << ",alpha=" << formatNumber(alphaValues[0]);
            else out << ",alpha=[" << alphaValues.size() << " values]";
        }
        out << ')';
        break;
    case QuantizerKind::Relu:
        out << "quantized_relu(" << bits << ',' << integer << ')';
        break;
    case QuantizerKind::Po2:
        out << "quantized_po2(" << bits;
        if (maxValue) out << ',' << formatNumber(*maxValue);
        if (quadraticApproximation) out << ",quadratic_approximation=True";
        out << ')';
        break;
    }
    return out.str();
}

void quantize(const QuantizerSpec& spec, std::span<float> values, const Shape& shape,
              std::vector<float>* scalesOut) {
    if (scalesOut) scalesOut->clear();
    switch (spec.kind) {
    case QuantizerKind::Bits:
        if (spec.alpha == AlphaMode::Auto || spec.alpha == AlphaMode::AutoPo2)
            quantizeBitsAuto(spec, values, shape, scalesOut);
        else
            quantizeBitsFixed(spec, values, shape, scalesOut);
        break;
    case QuantizerKind::Relu:
        quantizeRelu(spec, values, scalesOut);
        break;
    case QuantizerKind::Po2:
        quantizePo2(spec, values);
        break;
    }
}

void quantizeReluReference(const QuantizerSpec& spec, std::span<float> values) {
    const ReluGrid grid(spec);
    for (float& x : values) x = quantizeReluValue(grid, x);
}

float quantizeScalar(const QuantizerSpec& spec, float x) {
    if (spec.alpha == AlphaMode::Auto || spec.alpha == AlphaMode::AutoPo2)
        throw Error(spec.toString() + ": a data-dependent scale needs the whole tensor");
    quantize(spec, std::span<float>(&x, 1), Shape{1});
    return x;
}

}  // namespace flipscope
