#pragma once
// A faster Conv2DTranspose forward for the fast campaign engine's downstream layers, bit for bit
// equal to Conv2DTransposeLayer::forward. The speed comes from SIMD across samples: samples are
// taken eight at a time (a short last group is padded with zero samples whose results are thrown
// away), and each of the eight double lanes holds one sample. A group's input is first transposed
// to [pixel][in channel][sample], so every lane runs exactly the reference's scalar arithmetic in
// the reference's order: for each input pixel (in input order), each kernel tap landing inside
// the output and each output channel, the products over input channels are summed in double from
// 0.0 in channel order, and that sum is added to the output's double accumulator; each output is
// rounded to float32 once and the bias added in float. The (tap, output channel) pairs of a pixel
// that land inside the output are listed once, in that order, and their sums computed eight at a
// time side by side: they go to distinct accumulators, so this changes no lane's arithmetic.
// Layers with eight or more filters go output by output instead (conv_transpose_gather.h). The
// variants are built for AVX-512F, AVX2 and the baseline, without an "fma" target, and
// -ffp-contract=off keeps the compiler from contracting x * k + sum; the output-by-output AVX-512F
// one fuses them on purpose, which gives the same bits (sample_lanes.h, FusedAddProductAvx512).
#include "core/faults/conv_transpose_gather.h"
#include "core/faults/sample_lanes.h"
#include "core/model/layers/conv2d_transpose.h"

#include <utility>
#include <vector>

namespace flipscope {

class PackedConvTranspose {
public:
    explicit PackedConvTranspose(const Conv2DTransposeLayer& layer);
    // The layer's forward (affine, then its activation) of x [n, inH, inW, inC], into y (resized,
    // its storage reused). Keeps scratch between calls: one object per thread.
    void forward(const Tensor& x, Tensor& y) const;
    Tensor forward(const Tensor& x) const;

    // From now on computes only these outputs (indices into [outH, outW, filters]), each with the
    // same additions in the same order; the others are left at the bias by forward and undefined
    // by forwardLanes (when nothing downstream reads them: the ECON-T EMD reads 48 of the
    // decoder's 64 pixels).
    void restrictOutputs(const std::vector<int64_t>& needed);
    // The input values (indices into [inH, inW, inC]) that the computed outputs read: every
    // channel of each input pixel with a target left. All of them before any restriction.
    std::vector<int64_t> neededInputs() const;

    // As PackedDense's: for a run of packed layers kept in the SIMD lanes (packed_run.h).
    bool lanesFusable() const;
    int64_t inPlane() const { return g_.inH * g_.inW * g_.inC; }
    int64_t outPlane() const { return g_.outH * g_.outW * g_.filters; }
    void forwardLanes(const double* input, double* output) const;

    // Where one (tap, output channel) of an input pixel goes: the kernel column it is summed with
    // and the output value [outH, outW, filters] it is added to. (Public for the .cpp's kernels.)
    struct Target {
        int64_t column = 0;
        int64_t accumulator = 0;
        bool first = false;  // the accumulator's first target: it starts from +0.0
    };

private:
    struct Geometry {
        int64_t inH = 0, inW = 0, inC = 0, outH = 0, outW = 0, filters = 0, kh = 0, kw = 0;
        int64_t strideH = 1, strideW = 1, padTop = 0, padLeft = 0;
    };
    void listTargets();
    void markTouches();
    void planGather();
    void computeGroup(const double* x, double* acc) const;

    const Conv2DTransposeLayer& layer_;
    Geometry g_;
    int64_t columns_ = 0;                // kh * kw * filters
    std::vector<double> kernel_;         // [inC][columns]: column (di * kw + dj) * filters + co, in double
    std::vector<int64_t> pixelTargets_;  // input pixel p's targets are [pixelTargets_[p], pixelTargets_[p + 1])
    std::vector<Target> targets_;        // per input pixel in order, its targets in the reference's order
    std::vector<float> bias_;            // [outH, outW, filters]; empty without bias
    std::vector<char> needed_;           // per output: computed (all, unless restricted)
    std::vector<int64_t> untouched_;     // needed outputs no target reaches (their sums stay +0.0)
    std::vector<std::pair<int64_t, int64_t>> finishRanges_;  // the needed outputs, as [begin, end) runs
    ConvTransposeGather gather_;         // the output-major plan, used when gathers_
    bool gathers_ = false;
    mutable sample_lanes::LaneBuffer input_, acc_;  // scratch: one group's lanes
    mutable std::vector<int32_t> channels_;         // scratch: the channels gatherGroup visits
};

}  // namespace flipscope
