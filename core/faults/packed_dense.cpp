#include "core/faults/packed_dense.h"

#include "core/common/error.h"
#include "core/faults/sample_lanes.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace flipscope {
namespace {

using namespace sample_lanes;

// The inputs k (in order) that are non-zero in at least one lane of the transposed group x
// [in][lane]; returns how many were written to `active`. An input that is zero in every lane is
// skipped by every lane of the reference, so it can be left out altogether.
int64_t activeInputs(const double* x, int64_t in, int64_t* active) {
    int64_t count = 0;
    for (int64_t k = 0; k < in; ++k) {
        const double* xk = x + k * kGroup;
        // Branch-free (non-short-circuit `|`): on varied rows the branch would be mispredicted.
        bool nonZero = false;
#pragma GCC unroll 8
        for (int lane = 0; lane < kGroup; ++lane) nonZero |= xk[lane] != 0.0;
        active[count] = k;
        count += nonZero;
    }
    return count;
}

// acc[j][lane] for the units j0 .. j0 + Width - 1, from the transposed group x [in][lane], the
// kernel in [input][unit] order and the inputs `active`. Per lane and unit, the reference's
// arithmetic: acc = 0.0, then for each input in order, acc += x * w unless x is zero. A lane whose
// input is zero adds +0.0 instead of its product, or just its product (+-0.0) when every weight
// is finite; either leaves its accumulator exactly as the reference's skip does, because the
// accumulator is never -0.0 (it starts at +0.0, and a sum of doubles is -0.0 only when both terms
// are), and +-0.0 added to anything else, NaN and infinities included, gives it back unchanged.
// Only an infinite or NaN weight makes the product of a zero input a NaN, hence the select then
// (on the product, which keeps it out of the accumulator's dependency chain). The units' sums are
// independent, so Width of them are kept side by side in registers, each as kParts<Part> parts of
// the group's lanes (the loops over w and p are unrolled for that; -O2 would not).
template <bool FiniteWeights, int Width, class Part>
inline __attribute__((always_inline)) void accumulateUnits(const double* weights, int64_t units, const double* x,
                                                           const int64_t* active, int64_t activeCount, int64_t j0,
                                                           double* acc) {
    constexpr int parts = kParts<Part>, lanes = kGroup / parts;
    const Part zero = {};  // +0.0 in every lane
    Part sums[Width][parts];
#pragma GCC unroll 8
    for (int w = 0; w < Width; ++w)
#pragma GCC unroll 4
        for (int p = 0; p < parts; ++p) sums[w][p] = zero;
    for (int64_t a = 0; a < activeCount; ++a) {
        const int64_t k = active[a];
        Part xk[parts];
#pragma GCC unroll 4
        for (int p = 0; p < parts; ++p) loadLanes(xk[p], x + k * kGroup + p * lanes);
        const double* wk = weights + k * units + j0;
#pragma GCC unroll 8
        for (int w = 0; w < Width; ++w) {
#pragma GCC unroll 4
            for (int p = 0; p < parts; ++p) {
                const Part product = xk[p] * wk[w];
                if constexpr (FiniteWeights) sums[w][p] = sums[w][p] + product;  // +-0.0 for a zero input
                else sums[w][p] = sums[w][p] + (xk[p] != 0.0 ? product : zero);
            }
        }
    }
#pragma GCC unroll 8
    for (int w = 0; w < Width; ++w)
#pragma GCC unroll 4
        for (int p = 0; p < parts; ++p) storeLanes(acc + (j0 + w) * kGroup + p * lanes, sums[w][p]);
}

// acc[j][lane] for every unit j of one group (eight units at a time, then one at a time).
template <bool FiniteWeights, class Part>
inline __attribute__((always_inline)) void accumulateAllUnits(const double* weights, int64_t units, const double* x,
                                                              const int64_t* active, int64_t activeCount,
                                                              double* acc) {
    int64_t j = 0;
    for (; j + 8 <= units; j += 8)
        accumulateUnits<FiniteWeights, 8, Part>(weights, units, x, active, activeCount, j, acc);
    for (; j < units; ++j) accumulateUnits<FiniteWeights, 1, Part>(weights, units, x, active, activeCount, j, acc);
}

// accumulateAllUnits, without the per-lane select when every weight is finite.
template <class Part>
inline __attribute__((always_inline)) void accumulateGroupWith(const double* weights, int64_t units,
                                                               bool finiteWeights, const double* x,
                                                               const int64_t* active, int64_t activeCount,
                                                               double* acc) {
    if (finiteWeights) accumulateAllUnits<true, Part>(weights, units, x, active, activeCount, acc);
    else accumulateAllUnits<false, Part>(weights, units, x, active, activeCount, acc);
}

// accumulateGroupWith in register-sized parts: built three times (AVX-512 with a whole Lanes per
// register, AVX2 with halves, baseline SSE2 with quarters) and picked at run time; the per-lane
// arithmetic is the same.
__attribute__((target("avx512f"))) void accumulateGroup(const double* weights, int64_t units, bool finiteWeights,
                                                        const double* x, const int64_t* active, int64_t activeCount,
                                                        double* acc) {
    accumulateGroupWith<Lanes>(weights, units, finiteWeights, x, active, activeCount, acc);
}
__attribute__((target("avx2"))) void accumulateGroup(const double* weights, int64_t units, bool finiteWeights,
                                                     const double* x, const int64_t* active, int64_t activeCount,
                                                     double* acc) {
    accumulateGroupWith<LaneQuad>(weights, units, finiteWeights, x, active, activeCount, acc);
}
__attribute__((target("default"))) void accumulateGroup(const double* weights, int64_t units, bool finiteWeights,
                                                        const double* x, const int64_t* active, int64_t activeCount,
                                                        double* acc) {
    accumulateGroupWith<LanePair>(weights, units, finiteWeights, x, active, activeCount, acc);
}

}  // namespace

bool PackedDense::packs(const Layer& layer) {
    const auto* dense = dynamic_cast<const DenseLayer*>(&layer);
    return dense && dense->inputShapes().at(0).size() == 1;
}

PackedDense::PackedDense(const DenseLayer& layer) : layer_(layer), in_(layer.inFeatures()), units_(layer.units()) {
    const LayerParameter* kernel = layer.parameter("kernel");  // [in][units]
    weights_.assign(kernel->effective.data(), kernel->effective.data() + kernel->effective.size());
    finiteWeights_ = std::all_of(weights_.begin(), weights_.end(), [](double w) { return std::isfinite(w); });
    // DenseLayer::affine adds the bias when the layer has one (QDenseBatchnorm's folded one too).
    if (const LayerParameter* bias = layer.parameter("bias"))
        bias_.assign(bias->effective.data(), bias->effective.data() + bias->effective.size());
}

void PackedDense::forward(const Tensor& x, Tensor& y) const {
    if (x.rank() != 2 || x.dim(1) != in_)
        throw Error("layer '" + layer_.name() + "': the packed Dense forward expects input [rows, " +
                    std::to_string(in_) + "]");
    const int64_t n = x.dim(0);
    y.resize({n, units_});
    input_.resize(in_ * kGroup);
    acc_.resize(units_ * kGroup);
    active_.resize(in_);
    for (int64_t s = 0; s < n; s += kGroup) {
        const int64_t count = std::min(kGroup, n - s);
        transposeGroup(x.data() + s * in_, count, in_, input_.data());
        const int64_t activeCount = activeInputs(input_.data(), in_, active_.data());
        accumulateGroup(weights_.data(), units_, finiteWeights_, input_.data(), active_.data(), activeCount,
                        acc_.data());
        storeGroup(acc_.data(), count, units_, bias_.empty() ? nullptr : bias_.data(), y.data() + s * units_);
    }
    layer_.activation().apply(y);
}

bool PackedDense::lanesFusable() const { return finishesInLanes(layer_.activation()); }

void PackedDense::forwardLanes(const double* input, double* output) const {
    active_.resize(in_);
    const int64_t activeCount = activeInputs(input, in_, active_.data());
    accumulateGroup(weights_.data(), units_, finiteWeights_, input, active_.data(), activeCount, output);
    finishLanes(output);
}

void PackedDense::finishLanes(double* sums) const {
    finishGroup(sums, units_, bias_.empty() ? nullptr : bias_.data(), layer_.activation());
}

Tensor PackedDense::forward(const Tensor& x) const {
    Tensor y;
    forward(x, y);
    return y;
}

}  // namespace flipscope
