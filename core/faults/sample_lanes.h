#pragma once
// Four samples side by side, one per double SIMD lane, for the packed downstream layers of the fast
// campaign engine (packed_dense.h, packed_conv_transpose.h). Every operation on Lanes is the
// scalar reference operation done per lane, so each lane's result is bit for bit the reference's.
// Without AVX2 the compiler splits each operation in two SSE2 halves.
#include <cstdint>
#include <cstring>

namespace flipscope::sample_lanes {

typedef double Lanes __attribute__((vector_size(32)));
typedef int64_t LaneMask __attribute__((vector_size(32)));  // all ones or all zeros per lane
inline constexpr int64_t kGroup = 4;                         // samples per group = lanes per Lanes

// Loads and stores by reference: passing AVX vectors by value would change the baseline ABI.
inline __attribute__((always_inline)) void loadLanes(Lanes& v, const double* p) { std::memcpy(&v, p, sizeof v); }
inline __attribute__((always_inline)) void storeLanes(double* p, const Lanes& v) { std::memcpy(p, &v, sizeof v); }

// out[i][lane] = x[lane][i] widened to double, for the group's `count` samples of `plane` values;
// the lanes of missing samples are zero.
void transposeGroup(const float* x, int64_t count, int64_t plane, double* out);

// y[lane][i] = float(acc[i][lane]), then + bias[i] (a float addition) when there is a bias, for
// the group's `count` samples of `plane` values; the padding lanes are dropped.
void storeGroup(const double* acc, int64_t count, int64_t plane, const float* bias, float* y);

}  // namespace flipscope::sample_lanes
