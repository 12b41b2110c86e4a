#pragma once
// A faster Conv2DTranspose forward for the fast campaign engine's downstream layers, with exactly
// the reference arithmetic of Conv2DTransposeLayer::affine: for each input pixel (in input order)
// and each kernel tap and output channel, the products over input channels are summed in double
// from 0.0 in channel order, and that sum is added to the output's double accumulator; each
// output is rounded to float32 once and the bias added in float. The speed comes only from doing
// all (tap, output channel) sums of a pixel side by side in SIMD lanes (a kernel packed as
// [in channel][tap, out channel]): each lane performs the reference's operations in the
// reference's order, and no multiply-add is fused (-ffp-contract=off; the wide variant is built
// for AVX2, which has no FMA instructions).
#include "core/model/layers/conv2d_transpose.h"

#include <vector>

namespace flipscope {

class PackedConvTranspose {
public:
    explicit PackedConvTranspose(const Conv2DTransposeLayer& layer);
    // The layer's forward (affine, then its activation).
    Tensor forward(const Tensor& x) const;

private:
    void affineSample(const float* x, double* acc, double* tapSums) const;

    const Conv2DTransposeLayer& layer_;
    int64_t inH_ = 0, inW_ = 0, inC_ = 0, outH_ = 0, outW_ = 0, filters_ = 0, kh_ = 0, kw_ = 0;
    int64_t strideH_ = 1, strideW_ = 1, padTop_ = 0, padLeft_ = 0;
    int64_t lanes_ = 0;            // kh * kw * filters, rounded up to a multiple of 8
    std::vector<double> packed_;   // [inC][lanes]
    std::vector<float> bias_;      // empty without bias
};

}  // namespace flipscope
