#include "core/faults/packed_conv_transpose.h"

#include <algorithm>
#include <cstring>

namespace flipscope {
namespace {

// Four double lanes; without AVX2 the compiler splits each operation in two SSE2 halves.
typedef double Lanes __attribute__((vector_size(32)));
constexpr int64_t kLaneWidth = 4;

// lanes[l] = lanes[l] + x * row[l] for every lane (count a multiple of 4): one product and one
// addition per lane, the same two roundings as the reference's `sum += x * k` (a product of two
// floats is exact in double).
inline __attribute__((always_inline)) void addScaledRow(double* lanes, const double* row, double x,
                                                                     int64_t count) {
    for (int64_t l = 0; l < count; l += kLaneWidth) {
        Lanes a, r;
        std::memcpy(&a, lanes + l, sizeof a);
        std::memcpy(&r, row + l, sizeof r);
        a = a + x * r;
        std::memcpy(lanes + l, &a, sizeof a);
    }
}

}  // namespace

PackedConvTranspose::PackedConvTranspose(const Conv2DTransposeLayer& layer) : layer_(layer) {
    const Shape& in = layer.inputShapes().at(0);
    inH_ = in[0];
    inW_ = in[1];
    inC_ = in[2];
    filters_ = layer.filters();
    kh_ = layer.kernelSize()[0];
    kw_ = layer.kernelSize()[1];
    strideH_ = layer.strides()[0];
    strideW_ = layer.strides()[1];
    outH_ = layer.rowWindow().out;
    outW_ = layer.colWindow().out;
    padTop_ = layer.rowWindow().padBefore;
    padLeft_ = layer.colWindow().padBefore;
    lanes_ = (kh_ * kw_ * filters_ + 7) / 8 * 8;
    // Kernel [kh, kw, filters, inC] -> [inC][(tap, filter)] (padding lanes stay zero).
    const float* k = layer.parameter("kernel")->effective.data();
    packed_.assign(inC_ * lanes_, 0.0);
    for (int64_t tap = 0; tap < kh_ * kw_; ++tap)
        for (int64_t co = 0; co < filters_; ++co)
            for (int64_t ci = 0; ci < inC_; ++ci)
                packed_[ci * lanes_ + tap * filters_ + co] = k[(tap * filters_ + co) * inC_ + ci];
    if (const LayerParameter* bias = layer.parameter("bias")) bias_.assign(bias->effective.data(), bias->effective.data() + bias->effective.size());
}

// Built twice (AVX2 and baseline) and picked at run time; the per-lane arithmetic is the same.
__attribute__((target_clones("avx2", "default"))) void PackedConvTranspose::affineSample(const float* x, double* acc,
                                                                                         double* tapSums) const {
    std::fill_n(acc, outH_ * outW_ * filters_, 0.0);
    for (int64_t ih = 0; ih < inH_; ++ih) {
        for (int64_t iw = 0; iw < inW_; ++iw) {
            const float* xp = x + (ih * inW_ + iw) * inC_;
            std::fill_n(tapSums, lanes_, 0.0);
            for (int64_t ci = 0; ci < inC_; ++ci)
                addScaledRow(tapSums, packed_.data() + ci * lanes_, static_cast<double>(xp[ci]), lanes_);
            for (int64_t di = 0; di < kh_; ++di) {
                const int64_t oh = ih * strideH_ + di - padTop_;
                if (oh < 0 || oh >= outH_) continue;
                for (int64_t dj = 0; dj < kw_; ++dj) {
                    const int64_t ow = iw * strideW_ + dj - padLeft_;
                    if (ow < 0 || ow >= outW_) continue;
                    double* a = acc + (oh * outW_ + ow) * filters_;
                    const double* t = tapSums + (di * kw_ + dj) * filters_;
                    for (int64_t co = 0; co < filters_; ++co) a[co] += t[co];
                }
            }
        }
    }
}

Tensor PackedConvTranspose::forward(const Tensor& x) const {
    const int64_t n = x.dim(0);
    const int64_t inPlane = inH_ * inW_ * inC_, outPlane = outH_ * outW_ * filters_;
    Tensor y({n, outH_, outW_, filters_});
    std::vector<double> acc(outPlane), tapSums(lanes_);
    for (int64_t s = 0; s < n; ++s) {
        affineSample(x.data() + s * inPlane, acc.data(), tapSums.data());
        float* ys = y.data() + s * outPlane;
        for (int64_t i = 0; i < outPlane; ++i) ys[i] = static_cast<float>(acc[i]);
        if (!bias_.empty())
            for (int64_t p = 0; p < outPlane; p += filters_)
                for (int64_t co = 0; co < filters_; ++co) ys[p + co] = ys[p + co] + bias_[co];
    }
    layer_.activation().apply(y);
    return y;
}

}  // namespace flipscope
