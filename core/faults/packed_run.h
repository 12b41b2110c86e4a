#pragma once
// A run of consecutive packed downstream layers (packed_dense.h, packed_conv_transpose.h) whose
// activations are ReLU or linear, computed eight rows at a time without leaving the SIMD lanes:
// the rows are transposed into lanes once, each layer goes from lanes to lanes (finishing each
// value as storing it, activating it and reading it back would: sample_lanes.h finishGroup), and
// the last layer's lanes are stored as rows. Bit for bit the layers' forwards one after another.
// Reshapes between the layers change nothing in the lanes and are left out.
#include "core/faults/dense_delta_sums.h"
#include "core/faults/packed_conv_transpose.h"
#include "core/faults/packed_dense.h"

#include <vector>

namespace flipscope {

class PackedRun {
public:
    // One layer of the run: exactly one of the two is set.
    struct Step {
        const PackedDense* dense = nullptr;
        const PackedConvTranspose* transpose = nullptr;
    };
    // steps: in chain order, each lanesFusable, each one's input as many values as the previous
    // one's output; outputShape: the last layer's output per row.
    PackedRun(std::vector<Step> steps, Shape outputShape);

    // y [n, outputShape...] from x [n, ...] (the first layer's input values per row); y's storage
    // is reused. Keeps scratch between calls: one object per thread. With `firstSums` (the run
    // opens with a Dense layer) and the rows' samples, the first layer's sums of a group come from
    // it where it can give them (dense_delta_sums.h).
    void forward(const Tensor& x, Tensor& y, DenseDeltaSums* firstSums = nullptr,
                 const int64_t* samples = nullptr) const;
    bool startsWithDense() const { return steps_.front().dense != nullptr; }

private:
    std::vector<Step> steps_;
    Shape outputShape_;
    int64_t inPlane_ = 0, outPlane_ = 0;
    mutable sample_lanes::LaneBuffer lanesA_, lanesB_;
};

}  // namespace flipscope
