#pragma once
// The logistic sigmoid 1 / (1 + e^-x) in float, as the model's layers compute it. e^-x comes from
// a fixed sequence of double operations (expOf), not from the C library, whose exp differs
// between libraries and has no many-values-at-once form with the same bits; then the sum and the
// quotient in float. The one-value and the SIMD forms give the same bits on
// every x86-64 machine, so a campaign engine may use either.
#include <cstddef>

namespace flipscope {

// e^x rounded to float, within about 3e-13 of e^x before that rounding (so correctly rounded but
// for about one value in 10^5); 0 below -104, +inf above 89, NaN for NaN.
float expOf(float x);

// 1 / (1 + expOf(-x)), the sum and the quotient in float.
float sigmoidOf(float x);

// values[i] = sigmoidOf(values[i]) for every i, eight at a time with AVX-512, four with AVX2.
void applySigmoid(float* values, size_t count);

}  // namespace flipscope
