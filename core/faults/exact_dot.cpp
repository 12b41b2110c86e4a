#include "core/faults/exact_dot.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace flipscope {

void ValueGrid::add(float v) {
    if (v == 0.0f) return;
    if (!std::isfinite(v)) {
        finite = false;
        return;
    }
    int exponent = 0;
    const float mantissa = std::frexp(std::fabs(v), &exponent);  // |v| = mantissa * 2^exponent, mantissa in [0.5, 1)
    // At most 24 significant bits (fewer for subnormals), so this integer is exact.
    const auto significand = static_cast<uint32_t>(std::ldexp(mantissa, 24));
    const int quantum = exponent - 24 + std::countr_zero(significand);
    if (quantum < quantumExponent) quantumExponent = quantum;
    if (std::fabs(v) > maxAbs) maxAbs = std::fabs(v);
}

InputBounds inputBounds(const Tensor& x) {
    InputBounds bounds;
    const int64_t width = x.rowSize();
    for (int64_t s = 0; s < x.dim(0); ++s) {
        double sampleSum = 0.0;
        for (int64_t k = 0; k < width; ++k) {
            const float v = x[s * width + k];
            bounds.grid.add(v);
            sampleSum += std::fabs(static_cast<double>(v));
        }
        bounds.maxSampleAbsSum = std::max(bounds.maxSampleAbsSum, sampleSum);
    }
    return bounds;
}

bool doubleSumsAreExact(const ValueGrid& inputs, const ValueGrid& weights, double absSumBound) {
    if (!inputs.finite || !weights.finite || !std::isfinite(absSumBound)) return false;
    if (inputs.quantumExponent == INT_MAX || weights.quantumExponent == INT_MAX) return true;  // all products zero
    return absSumBound < std::ldexp(1.0, 52 + inputs.quantumExponent + weights.quantumExponent);
}

}  // namespace flipscope
