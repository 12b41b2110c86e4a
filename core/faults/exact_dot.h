#pragma once
// When is a dot product summed in double exact, whatever the order of its terms?
//
// Every finite float is an integer multiple of 2^q for some q (its lowest set significand bit).
// If all inputs x are multiples of 2^qx and all weights w of 2^qw, every product x*w (exact in
// double: 24 + 24 significand bits) and every partial sum of such products is an integer multiple
// of 2^(qx+qw). While the magnitudes stay below 2^(53+qx+qw), those integers fit a double's
// significand, so every addition is exact and the rounded float32 result cannot depend on the
// order of the terms. Quantized layers (fixed-point weights and quantized activations in front)
// usually satisfy this by a wide margin; the fast engine checks it from the actual values and
// recomputes in the reference order when it does not hold.
#include "core/model/tensor.h"

#include <climits>
#include <cstdint>

namespace flipscope {

// q for a finite non-zero float v: v is an odd integer times 2^q.
int quantumExponentOf(float v);

// The smallest quantum and largest magnitude of a set of floats (zeros ignored).
struct ValueGrid {
    int quantumExponent = INT_MAX;  // INT_MAX: no non-zero value seen
    double maxAbs = 0.0;
    bool finite = true;
    void add(float v);
};

// A layer's inputs [samples, ...]: the grid of all their values, and the largest sum of |x| over
// one sample, which times the largest |w| bounds every partial sum of a dot product of a sample's
// values with weights (any subset of its terms).
struct InputBounds {
    ValueGrid grid;
    double maxSampleAbsSum = 0.0;
};
InputBounds inputBounds(const Tensor& x);

// A faulty sum from an exact clean one: the term x * w replaced by x * faulty, then rounded to
// float32. Every intermediate is a sum of exact terms, hence exact, so this is the float the full
// sum with the faulty weight gives in any order. A zero input adds nothing (as the layers skip it).
inline float replaceTerm(double cleanSum, double x, float w, float faulty) {
    if (x == 0.0) return static_cast<float>(cleanSum);
    double sum = cleanSum - x * static_cast<double>(w);
    sum = sum + x * static_cast<double>(faulty);
    return static_cast<float>(sum);
}

// Exact when every |partial sum| <= absSumBound (e.g. max over rows of sum |x| times max |w|).
// One bit of margin covers the rounding of the bound itself.
bool doubleSumsAreExact(const ValueGrid& inputs, const ValueGrid& weights, double absSumBound);

}  // namespace flipscope
