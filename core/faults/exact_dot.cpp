#include "core/faults/exact_dot.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace flipscope {

int quantumExponentOf(float v) {
    // From the bits: a normal float is (2^23 + fraction) * 2^(biased exponent - 150), a subnormal
    // fraction * 2^-149; the quantum is that integer's lowest set bit.
    const uint32_t bits = std::bit_cast<uint32_t>(v);
    const int biased = static_cast<int>((bits >> 23) & 0xffu);
    const uint32_t fraction = bits & 0x7fffffu;
    if (biased == 0) return -149 + std::countr_zero(fraction);
    return biased - 150 + std::countr_zero(fraction | 0x800000u);
}

void ValueGrid::add(float v) {
    if (v == 0.0f) return;
    if (!std::isfinite(v)) {
        finite = false;
        return;
    }
    const int quantum = quantumExponentOf(v);
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
