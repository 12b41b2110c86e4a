#include "core/model/sigmoid.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace flipscope {
namespace {

// The range where e^x is computed; outside it the clamped value gives 0 (below: e^-104 rounds to
// float 0) or +inf (above: e^89 overflows float).
constexpr double kLowest = -104.0, kHighest = 89.0;
constexpr double kInverseLn2 = 1.4426950408889634;  // 1 / ln 2
constexpr double kLn2 = 0.6931471805599453;
// Adding and subtracting 1.5 * 2^52 rounds a double below 2^51 in magnitude to an integer (to
// even on ties), which also lands in the low bits of the sum.
constexpr double kRoundShift = 6755399441055744.0;
constexpr int64_t kRoundShiftBits = std::bit_cast<int64_t>(kRoundShift);

// e^x for x in [kLowest, kHighest] (or NaN), in double: x = k ln2 + r with k an integer and
// |r| <= ln2 / 2, e^r by its Taylor series to r^10 (truncation below 3e-13 relative; the terms
// grouped in pairs, then by r^2, r^4 and r^8, so that few operations wait on each other), times
// 2^k built in the exponent bits. D is a double or a register of them (L: int64s of its shape):
// the same operations either way (the build keeps multiplies and adds apart: -ffp-contract=off).
// The result by reference: wide vectors passed by value would change the baseline ABI.
template <class D, class L>
inline __attribute__((always_inline)) void expInRange(const D& x, D& result) {
    const D shifted = x * kInverseLn2 + kRoundShift;
    const D k = shifted - kRoundShift;
    const D r = x - k * kLn2;
    const D r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const D terms01 = r + 1.0, terms23 = r * (1.0 / 6) + 0.5, terms45 = r * (1.0 / 120) + 1.0 / 24,
            terms67 = r * (1.0 / 5040) + 1.0 / 720, terms89 = r * (1.0 / 362880) + 1.0 / 40320;
    const D terms0to3 = r2 * terms23 + terms01, terms4to7 = r2 * terms67 + terms45,
            terms8to10 = r2 * (1.0 / 3628800) + terms89;
    const D p = r8 * terms8to10 + (r4 * terms4to7 + terms0to3);
    // k sits in the low bits of `shifted`: its bits minus those of the shift are k itself.
    L bits;
    std::memcpy(&bits, &shifted, sizeof bits);
    bits = (bits - kRoundShiftBits + 1023) << 52;
    D scale;
    std::memcpy(&scale, &bits, sizeof scale);
    result = p * scale;
}

template <class D>
inline __attribute__((always_inline)) void clampToRange(D& x) {  // keeps NaN: comparisons with it are false
    x = x < kLowest ? D{} + kLowest : x;
    x = x > kHighest ? D{} + kHighest : x;
}

// sigmoidOf for the values in whole registers: F floats, widened to D doubles (L: their int64s);
// returns how many it did.
template <class F, class D, class L>
inline __attribute__((always_inline)) size_t sigmoidInRegisters(float* values, size_t count) {
    constexpr size_t lanes = sizeof(F) / sizeof(float);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
        F x;
        std::memcpy(&x, values + i, sizeof x);
        D negated = __builtin_convertvector(-x, D), e;
        clampToRange(negated);
        expInRange<D, L>(negated, e);
        const F s = 1.0f / (1.0f + __builtin_convertvector(e, F));
        std::memcpy(values + i, &s, sizeof s);
    }
    return i;
}

// Eight values per register with AVX-512, four with AVX2, none on the baseline.
__attribute__((target("avx512f"))) size_t sigmoidRegisters(float* values, size_t count) {
    typedef float F __attribute__((vector_size(32)));
    typedef double D __attribute__((vector_size(64)));
    typedef int64_t L __attribute__((vector_size(64)));
    return sigmoidInRegisters<F, D, L>(values, count);
}
__attribute__((target("avx2"))) size_t sigmoidRegisters(float* values, size_t count) {
    typedef float F __attribute__((vector_size(16)));
    typedef double D __attribute__((vector_size(32)));
    typedef int64_t L __attribute__((vector_size(32)));
    return sigmoidInRegisters<F, D, L>(values, count);
}
__attribute__((target("default"))) size_t sigmoidRegisters(float*, size_t) { return 0; }

}  // namespace

float expOf(float x) {
    double clamped = static_cast<double>(x), e;
    clampToRange(clamped);
    expInRange<double, int64_t>(clamped, e);
    return static_cast<float>(e);
}

float sigmoidOf(float x) { return 1.0f / (1.0f + expOf(-x)); }

void applySigmoid(float* values, size_t count) {
    for (size_t i = sigmoidRegisters(values, count); i < count; ++i) values[i] = sigmoidOf(values[i]);
}

}  // namespace flipscope
