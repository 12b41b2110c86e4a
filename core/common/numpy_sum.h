#pragma once
// The sum of an array of doubles in numpy's order (numpy's pairwise summation, which np.sum uses
// on a contiguous float64 array): under 8 values one after another from 0.0; up to 128 values in
// eight running sums (value i goes to sum i % 8) combined as ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)),
// then the values past the last multiple of 8 one by one; longer arrays split in two halves (the
// first a multiple of 8 long) summed alike. The ECON-T study normalizes its maps by np.sum, so
// this gives its bits (checked against numpy 1.24).
#include <cstddef>

namespace flipscope {

namespace numpy_sum_detail {
constexpr size_t kBlock = 128;  // numpy's PW_BLOCKSIZE

template <typename T>
double blockSum(const T* a, size_t n) {
    if (n < 8) {
        double sum = 0.0;
        for (size_t i = 0; i < n; ++i) sum += static_cast<double>(a[i]);
        return sum;
    }
    double r[8];
    for (int k = 0; k < 8; ++k) r[k] = static_cast<double>(a[k]);
    size_t i = 8;
    for (; i < n - n % 8; i += 8)
        for (int k = 0; k < 8; ++k) r[k] += static_cast<double>(a[i + k]);
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += static_cast<double>(a[i]);
    return sum;
}
}  // namespace numpy_sum_detail

// T is double, or float (each value taken as a double first, as numpy sums a float64 copy).
template <typename T>
double numpySum(const T* a, size_t n) {
    if (n <= numpy_sum_detail::kBlock) return numpy_sum_detail::blockSum(a, n);
    size_t half = n / 2;
    half -= half % 8;
    return numpySum(a, half) + numpySum(a + half, n - half);
}

}  // namespace flipscope
