#include "core/faults/dense_delta_sums.h"

#include "core/faults/sample_lanes.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace flipscope {
namespace {

using sample_lanes::kGroup;
using sample_lanes::Lanes;

uint32_t bitsOf(float v) { return std::bit_cast<uint32_t>(v); }

// acc[k][lane] = rest[k] + changed[lane] * w[k] for the units, eight lanes at a time (the
// additions of a lane are its own: the same as one row at a time).
__attribute__((target_clones("avx512f", "avx2", "default"))) void addChangedTerm(const double* rest, const double* w,
                                                                                const double* changed, int64_t units,
                                                                                double* acc) {
    Lanes values;
    std::memcpy(&values, changed, sizeof values);
    for (int64_t k = 0; k < units; ++k) {
        const Lanes sum = rest[k] + values * w[k];
        std::memcpy(acc + k * kGroup, &sum, sizeof sum);
    }
}

}  // namespace

DenseDeltaSums::DenseDeltaSums(const DenseLayer& layer, const Tensor& cleanInputs)
    : cleanInputs_(cleanInputs), in_(layer.inFeatures()), units_(layer.units()) {
    const LayerParameter* kernel = layer.parameter("kernel");
    weights_.assign(kernel->effective.data(), kernel->effective.data() + kernel->effective.size());
    for (const double w : weights_) weightGrid_.add(static_cast<float>(w));
    // A zero input's term must vanish from a lane's sum as the layer's skip does: x' * w is +-0.0
    // then, which leaves a sum that is never -0.0 as it is, unless w is infinite or NaN.
    usable_ = weightGrid_.finite && cleanInputs.rank() == 2 && cleanInputs.dim(1) == in_;
    samples_.resize(usable_ ? cleanInputs.dim(0) : 0);
    rest_.resize(units_);
}

const DenseDeltaSums::CleanSample& DenseDeltaSums::cleanSample(int64_t sample) {
    CleanSample& clean = samples_[sample];
    if (clean.known) return clean;
    clean.known = true;
    const float* x = cleanInputs_.data() + sample * in_;
    for (int64_t i = 0; i < in_; ++i) {
        clean.grid.add(x[i]);
        clean.absSum += std::fabs(static_cast<double>(x[i]));
    }
    clean.exact = doubleSumsAreExact(clean.grid, weightGrid_, clean.absSum * weightGrid_.maxAbs);
    if (!clean.exact) return clean;
    if (cleanSums_.empty()) cleanSums_.resize(samples_.size() * units_);
    double* sums = cleanSums_.data() + sample * units_;
    for (int64_t k = 0; k < units_; ++k) {  // exact: any order
        double acc = 0.0;
        for (int64_t i = 0; i < in_; ++i)
            if (x[i] != 0.0f) acc += static_cast<double>(x[i]) * weights_[i * units_ + k];
        sums[k] = acc;
    }
    return clean;
}

bool DenseDeltaSums::groupSums(const float* rows, const int64_t* samples, int64_t count, double* acc) {
    if (!usable_ || count < 1 || count > kGroup) return false;
    const int64_t sample = samples[0];
    const float* clean = cleanInputs_.data() + sample * in_;
    // The one input all rows changed.
    int64_t changed = -1;
    for (int64_t i = 0; i < in_ && changed < 0; ++i)
        if (bitsOf(rows[i]) != bitsOf(clean[i])) changed = i;
    if (changed < 0) return false;
    for (int64_t r = 0; r < count; ++r) {
        if (samples[r] != sample) return false;
        const float* row = rows + r * in_;
        for (int64_t i = 0; i < in_; ++i)
            if (i != changed && bitsOf(row[i]) != bitsOf(clean[i])) return false;
    }
    const CleanSample& cleanInfo = cleanSample(sample);
    if (!cleanInfo.exact) return false;
    // Each row's sum is exact too: its inputs on the combined grid, its partial sums bounded.
    const double cleanValue = clean[changed];
    double values[kGroup] = {};
    for (int64_t r = 0; r < count; ++r) {
        const float value = rows[r * in_ + changed];
        ValueGrid grid = cleanInfo.grid;  // with the changed value added (a zero adds nothing)
        if (value != 0.0f) {
            if (!std::isfinite(value)) return false;
            grid.quantumExponent = std::min(grid.quantumExponent, quantumExponentOf(value));
        }
        const double absSum = cleanInfo.absSum - std::fabs(cleanValue) + std::fabs(static_cast<double>(value));
        if (!doubleSumsAreExact(grid, weightGrid_, std::max(cleanInfo.absSum, absSum) * weightGrid_.maxAbs))
            return false;
        values[r] = value;
    }
    const double* sums = cleanSums_.data() + sample * units_;
    const double* w = weights_.data() + changed * units_;
    for (int64_t k = 0; k < units_; ++k) rest_[k] = cleanValue != 0.0 ? sums[k] - cleanValue * w[k] : sums[k];
    addChangedTerm(rest_.data(), w, values, units_, acc);
    return true;
}

}  // namespace flipscope
