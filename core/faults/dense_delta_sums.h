#pragma once
// A shortcut for the Dense layer that opens a packed run downstream of a fault (packed_run.h), for
// groups of rows that all belong to one sample and differ from its clean input in the same one
// value: the rows a Dense unit's faults send downstream (dense_unit_faults.h), which move one value
// of the quantized latent. When that layer's double sums are exact (exact_dot.h: inputs on a grid,
// partial sums bounded), unit k's sum for a row whose input u is x' instead of x is
//     (clean sum - x * w[u][k]) + x' * w[u][k],
// each step a sum of some of the exact terms, hence exact: the number the layer's own sum gives,
// in any order. That costs one multiply-add per unit and row instead of a dot product. Exactness
// is checked per sample (its clean inputs) and per row (the changed value), and any group it does
// not hold for, or that is not of that form, is left to the full computation.
#include "core/faults/exact_dot.h"
#include "core/model/layers/dense.h"

#include <vector>

namespace flipscope {

class DenseDeltaSums {
public:
    // cleanInputs: the layer's clean input rows [samples, inFeatures] (kept by reference).
    DenseDeltaSums(const DenseLayer& layer, const Tensor& cleanInputs);

    // The double sums acc[unit][lane] (before rounding, bias and activation) of `count` rows
    // (count <= 8; row r of `rows`, of sample samples[r], in lane r; missing lanes as a zero
    // input change) when the shortcut applies; false (acc untouched) otherwise.
    bool groupSums(const float* rows, const int64_t* samples, int64_t count, double* acc);

private:
    struct CleanSample {
        bool known = false, exact = false;
        ValueGrid grid;          // its inputs' grid
        double absSum = 0.0;     // sum of |x| over its inputs
    };
    const CleanSample& cleanSample(int64_t sample);

    const Tensor& cleanInputs_;
    int64_t in_ = 0, units_ = 0;
    std::vector<double> weights_;  // [input][unit], widened (exact)
    ValueGrid weightGrid_;
    bool usable_ = false;          // finite weights
    std::vector<CleanSample> samples_;
    std::vector<double> cleanSums_;  // [sample][unit], for the samples known and exact
    std::vector<double> rest_;       // scratch: a sample's sums without input u's term
};

}  // namespace flipscope
