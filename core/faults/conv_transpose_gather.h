#pragma once
// The packed Conv2DTranspose (packed_conv_transpose.h) computed output by output: for each output
// pixel, its contributions (the input pixels whose kernel taps land on it, in input order) are
// summed into double accumulators that stay in registers, and each output is written once. The
// arithmetic per lane is the reference's: for one accumulator, the input pixels that reach it
// come in input order, each adding the sum over input channels (from 0.0, in channel order) of
// x * k; a transposed convolution's tap from one input pixel to one output pixel is unique, so
// visiting outputs instead of inputs changes no addition. Writing each output once (instead of
// loading and storing it for every input pixel that reaches it) and skipping the channels that are
// zero in every lane is what makes it faster (and, with AVX-512, fused multiply-adds, exact here:
// sample_lanes.h); PackedConvTranspose uses it for layers with eight or more filters (the ECON-T
// decoders' first transposed convolution).
#include <cstdint>
#include <vector>

namespace flipscope {

struct ConvTransposeGather {
    struct Contribution {
        int64_t pixel = 0;   // input pixel [inH, inW]
        int64_t column = 0;  // kernel column of its tap and output channel 0: tap * filters
    };
    int64_t inC = 0, columns = 0, filters = 0, inputPixels = 0;
    std::vector<int64_t> outputPixels;  // the output pixels computed [outH, outW], in order
    std::vector<int64_t> starts;        // output pixel i's contributions: [starts[i], starts[i + 1])
    std::vector<Contribution> contributions;
    // Leave out the input channels that are +-0.0 in every lane (only when the kernel is finite:
    // 0 * inf would be NaN). Their products are +-0.0, and adding +-0.0 leaves a sum that started
    // at +0.0 as it was (such a sum is never -0.0: x + (-x) rounds to +0.0).
    bool skipZeros = false;
};

// The outputs of plan.outputPixels (all their filters) of one group into acc [outH, outW,
// filters][lane], before bias and activation: kernel [inC][columns], x [inputPixels][inC][lane].
// `channels`: scratch for inputPixels * inC indices and inputPixels counts.
void gatherGroup(const ConvTransposeGather& plan, const double* kernel, const double* x, int32_t* channels,
                 double* acc);

}  // namespace flipscope
