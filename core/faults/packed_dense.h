#pragma once
// A faster Dense forward for the fast campaign engine's downstream layers, bit for bit equal to
// DenseLayer::forward on 2-D input [n, inFeatures] (the only case supported; a Dense layer applied
// to higher-rank input must go through the layer itself). The speed comes from SIMD across
// samples: rows are taken eight at a time (a short last group is padded with zero rows whose
// results are thrown away), and each of the eight double lanes holds one row. Every lane runs
// exactly the reference's scalar arithmetic in the reference's order: the double accumulator of a
// unit starts at 0.0 and, for each input in order, gets x * w added unless x is zero; it is
// rounded to float32 once and the bias added in float. A lane whose input is zero adds +0.0
// instead (or its product, +-0.0, when all weights are finite), which leaves its accumulator bit
// for bit as the reference's skip does (see accumulateUnits), and an input that is zero in all
// eight rows is left out. No multiply-add is fused: the variants are built for AVX-512F, AVX2 and
// the baseline, without an "fma" target, and -ffp-contract=off keeps the AVX-512F one (whose
// instruction set has FMA) from contracting x * w + acc.
#include "core/faults/sample_lanes.h"
#include "core/model/layers/dense.h"

#include <vector>

namespace flipscope {

class PackedDense {
public:
    // Whether a layer can be packed: a Dense layer on rows of values (not on a higher-rank input).
    static bool packs(const Layer& layer);
    explicit PackedDense(const DenseLayer& layer);
    // The layer's forward (affine, then its activation) of x [n, inFeatures], into y (resized,
    // its storage reused). Keeps scratch between calls: one object per thread.
    void forward(const Tensor& x, Tensor& y) const;
    Tensor forward(const Tensor& x) const;

    // For a run of packed layers kept in the SIMD lanes (packed_run.h): whether the activation is
    // ReLU or linear, the values per row in and out, and the forward of one group of eight rows
    // from transposed input lanes [in][lane] to finished output lanes [unit][lane] (finishGroup).
    bool lanesFusable() const;
    int64_t inPlane() const { return in_; }
    int64_t outPlane() const { return units_; }
    void forwardLanes(const double* input, double* output) const;
    // The finishing step of forwardLanes alone (rounding, bias, activation), in place, on the
    // layer's double sums [unit][lane] computed elsewhere (dense_delta_sums.h).
    void finishLanes(double* sums) const;

private:
    const DenseLayer& layer_;
    int64_t in_ = 0, units_ = 0;
    std::vector<double> weights_;  // the kernel [input][unit], widened to double
    bool finiteWeights_ = true;    // no infinity or NaN in weights_
    std::vector<float> bias_;      // empty without bias
    mutable sample_lanes::LaneBuffer input_, acc_;  // scratch: one group's lanes
    mutable std::vector<int64_t> active_;
};

}  // namespace flipscope
