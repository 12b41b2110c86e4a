#include "core/faults/conv_transpose_gather.h"

#include "core/faults/sample_lanes.h"

#include <immintrin.h>

namespace flipscope {
namespace {

using namespace sample_lanes;
using Contribution = ConvTransposeGather::Contribution;

// Whether some lane of a group's value is not +-0.0 (NaN counts as not zero).
struct NonZeroLanes {
    static bool any(const double* lanes) {
        for (int64_t l = 0; l < kGroup; ++l)
            if (lanes[l] != 0.0) return true;
        return false;
    }
};
struct NonZeroLanesAvx512 {
    __attribute__((target("avx512f"))) static inline bool any(const double* lanes) {
        return _mm512_cmp_pd_mask(_mm512_loadu_pd(lanes), _mm512_setzero_pd(), _CMP_NEQ_UQ) != 0;
    }
};

// Each input pixel's channels to visit, in order, at channels[pixel * inC], and their count at
// counts[pixel]: all of them, or with plan.skipZeros those not zero in every lane.
template <class NonZero>
inline __attribute__((always_inline)) void listChannels(const ConvTransposeGather& plan, const double* x,
                                                        int32_t* channels, int32_t* counts) {
    for (int64_t pixel = 0; pixel < plan.inputPixels; ++pixel) {
        const double* xp = x + pixel * plan.inC * kGroup;
        int32_t* list = channels + pixel * plan.inC;
        int32_t count = 0;
        for (int64_t ci = 0; ci < plan.inC; ++ci) {
            list[count] = static_cast<int32_t>(ci);
            count += !plan.skipZeros || NonZero::any(xp + ci * kGroup);
        }
        counts[pixel] = count;
    }
}

// Output channels [co, co + Width) of one output pixel, from its contributions [begin, end): per
// lane and channel, acc = +0.0, then for each contribution acc += (sum from +0.0 of x[ci] *
// k[ci][column + co] over the listed ci in order). Width channels side by side, each as
// kParts<Part> parts of the group's lanes, accumulators and sums in registers.
template <int Width, class Part, class MultiplyAdd>
inline __attribute__((always_inline)) void gatherChannels(const ConvTransposeGather& plan, const Contribution* begin,
                                                          const Contribution* end, const double* kernel,
                                                          const double* x, const int32_t* channels,
                                                          const int32_t* counts, int64_t co, double* out) {
    constexpr int parts = kParts<Part>, lanes = kGroup / parts;
    Part acc[Width][parts];
    setToZero(acc);
    for (const Contribution* c = begin; c != end; ++c) {
        const double* xp = x + c->pixel * plan.inC * kGroup;
        const double* kp = kernel + c->column + co;
        const int32_t* list = channels + c->pixel * plan.inC;
        const int32_t count = counts[c->pixel];
        Part sums[Width][parts];
        setToZero(sums);
        for (int32_t i = 0; i < count; ++i) {
            const int64_t ci = list[i];
            Part xv[parts];
#pragma GCC unroll 4
            for (int p = 0; p < parts; ++p) loadLanes(xv[p], xp + ci * kGroup + p * lanes);
            const double* k = kp + ci * plan.columns;
#pragma GCC unroll 8
            for (int w = 0; w < Width; ++w) {
                const double weight = k[w];
#pragma GCC unroll 4
                for (int p = 0; p < parts; ++p) MultiplyAdd::run(sums[w][p], xv[p], weight);
            }
        }
#pragma GCC unroll 8
        for (int w = 0; w < Width; ++w)
#pragma GCC unroll 4
            for (int p = 0; p < parts; ++p) acc[w][p] = acc[w][p] + sums[w][p];
    }
#pragma GCC unroll 8
    for (int w = 0; w < Width; ++w)
#pragma GCC unroll 4
        for (int p = 0; p < parts; ++p) storeLanes(out + w * kGroup + p * lanes, acc[w][p]);
}

// As many output channels side by side as keep the sums and accumulators in registers: eight
// with a whole Lanes per register, four with halves, two with quarters.
template <class Part, class NonZero, class MultiplyAdd>
inline __attribute__((always_inline)) void gatherGroupWith(const ConvTransposeGather& plan, const double* kernel,
                                                           const double* x, int32_t* channels, double* acc) {
    constexpr int widest = 8 / kParts<Part>;
    int32_t* counts = channels + plan.inputPixels * plan.inC;
    listChannels<NonZero>(plan, x, channels, counts);
    for (size_t i = 0; i < plan.outputPixels.size(); ++i) {
        const Contribution* begin = plan.contributions.data() + plan.starts[i];
        const Contribution* end = plan.contributions.data() + plan.starts[i + 1];
        double* out = acc + plan.outputPixels[i] * plan.filters * kGroup;
        int64_t co = 0;
        for (; co + widest <= plan.filters; co += widest)
            gatherChannels<widest, Part, MultiplyAdd>(plan, begin, end, kernel, x, channels, counts, co,
                                                      out + co * kGroup);
        for (; co < plan.filters; ++co)
            gatherChannels<1, Part, MultiplyAdd>(plan, begin, end, kernel, x, channels, counts, co, out + co * kGroup);
    }
}

__attribute__((target("avx512f"))) void gatherLanes(const ConvTransposeGather& plan, const double* kernel,
                                                    const double* x, int32_t* channels, double* acc) {
    gatherGroupWith<Lanes, NonZeroLanesAvx512, FusedAddProductAvx512>(plan, kernel, x, channels, acc);
}
__attribute__((target("avx2"))) void gatherLanes(const ConvTransposeGather& plan, const double* kernel,
                                                 const double* x, int32_t* channels, double* acc) {
    gatherGroupWith<LaneQuad, NonZeroLanes, AddProduct>(plan, kernel, x, channels, acc);
}
__attribute__((target("default"))) void gatherLanes(const ConvTransposeGather& plan, const double* kernel,
                                                    const double* x, int32_t* channels, double* acc) {
    gatherGroupWith<LanePair, NonZeroLanes, AddProduct>(plan, kernel, x, channels, acc);
}

}  // namespace

void gatherGroup(const ConvTransposeGather& plan, const double* kernel, const double* x, int32_t* channels,
                 double* acc) {
    gatherLanes(plan, kernel, x, channels, acc);
}

}  // namespace flipscope
