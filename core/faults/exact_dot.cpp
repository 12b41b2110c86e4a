#include "core/faults/exact_dot.h"

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

bool doubleSumsAreExact(const ValueGrid& inputs, const ValueGrid& weights, double absSumBound) {
    if (!inputs.finite || !weights.finite || !std::isfinite(absSumBound)) return false;
    if (inputs.quantumExponent == INT_MAX || weights.quantumExponent == INT_MAX) return true;  // all products zero
    return absSumBound < std::ldexp(1.0, 52 + inputs.quantumExponent + weights.quantumExponent);
}

}  // namespace flipscope
