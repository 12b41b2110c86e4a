#pragma once
// Eight samples side by side, one per double SIMD lane, for the packed downstream layers of the fast
// campaign engine (packed_dense.h, packed_conv_transpose.h). Every operation on Lanes is the
// scalar reference operation done per lane, so each lane's result is bit for bit the reference's.
// With AVX-512 a Lanes is one register and each operation one instruction; the AVX2 and baseline
// builds of the packed kernels work on its halves (LaneQuad) or quarters (LanePair) instead.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <immintrin.h>
#include <new>
#include <vector>

namespace flipscope {
class Activation;
}

namespace flipscope::sample_lanes {

typedef double Lanes __attribute__((vector_size(64)));
inline constexpr int64_t kGroup = 8;  // samples per group = lanes per Lanes

// A register's worth of lanes: GCC keeps a Lanes in memory (every operation a store and a reload)
// on targets without 64-byte registers, so the packed kernels' AVX2 and baseline versions work on
// a group as two LaneQuads or four LanePairs, kParts<Part> of them, lanes in order.
typedef double LaneQuad __attribute__((vector_size(32)));
typedef double LanePair __attribute__((vector_size(16)));
template <class Part>
inline constexpr int kParts = static_cast<int>(sizeof(Lanes) / sizeof(Part));

// Storage for lanes, 64-byte aligned, so that a group's lanes of one value (64 bytes) sit in one
// cache line: a Lanes load or store that straddles two lines costs about twice as much.
template <class T>
struct LaneAllocator {
    using value_type = T;
    static constexpr std::align_val_t kAlignment{64};
    LaneAllocator() = default;
    template <class U>
    LaneAllocator(const LaneAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, kAlignment); }
    template <class U>
    bool operator==(const LaneAllocator<U>&) const noexcept { return true; }
};
using LaneBuffer = std::vector<double, LaneAllocator<double>>;

// Loads and stores (of a Lanes or a part) by reference: passing wide vectors by value would change
// the baseline ABI.
template <class V>
inline __attribute__((always_inline)) void loadLanes(V& v, const double* p) { std::memcpy(&v, p, sizeof v); }
template <class V>
inline __attribute__((always_inline)) void storeLanes(double* p, const V& v) { std::memcpy(p, &v, sizeof v); }

// Every lane of a packed kernel's Width x parts block of values (sums, accumulators) set to +0.0.
template <int Width, int Parts, class Part>
inline __attribute__((always_inline)) void setToZero(Part (&values)[Width][Parts]) {
#pragma GCC unroll 16
    for (int w = 0; w < Width; ++w)
#pragma GCC unroll 4
        for (int p = 0; p < Parts; ++p) values[w][p] = Part{};
}

// sum += x * w per lane, for the packed kernels: x and w are floats widened to double, so the
// product is exact in double (at most 48 significant bits, far from underflow and overflow), and
// rounding x * w + sum once (fused) gives the bits of rounding the sum of the exact product, as
// the reference's separate multiply and add do; infinities come out the same, and a NaN stays a
// NaN (which of two NaN operands' payloads it carries may differ).
// AddProduct in general, FusedAddProductAvx512 for a whole Lanes with the AVX-512 fused
// instruction (not forced inline: it inlines only into callers built for AVX-512).
struct AddProduct {
    template <class Part>
    static void run(Part& sum, const Part& x, double w) {
        sum = sum + x * w;
    }
};
struct FusedAddProductAvx512 {
    __attribute__((target("avx512f"))) static inline void run(Lanes& sum, const Lanes& x, double w) {
        __m512d s, xs;
        std::memcpy(&s, &sum, sizeof s);
        std::memcpy(&xs, &x, sizeof xs);
        s = _mm512_fmadd_pd(xs, _mm512_set1_pd(w), s);
        std::memcpy(&sum, &s, sizeof sum);
    }
};

// out[i][lane] = x[lane][i] widened to double, for the group's `count` samples of `plane` values;
// the lanes of missing samples are zero.
void transposeGroup(const float* x, int64_t count, int64_t plane, double* out);

// y[lane][i] = float(acc[i][lane]), then + bias[i] (a float addition) when there is a bias, for
// the group's `count` samples of `plane` values; the padding lanes are dropped.
void storeGroup(const double* acc, int64_t count, int64_t plane, const float* bias, float* y);

// Whether finishGroup can apply the activation: ReLU or linear.
bool finishesInLanes(const Activation& activation);

// In place, lanes[i][lane] = double(a(float(lanes[i][lane]) + bias[i])) for the group's `plane`
// values, a being the activation, ReLU (x < 0 ? 0 : x, as Activation::apply) or linear: the
// rounding, bias and activation storeGroup and the layer's activation do, kept in the lanes for
// the next packed layer (widening a float to double is exact). bias may be null.
void finishGroup(double* lanes, int64_t plane, const float* bias, const Activation& activation);

}  // namespace flipscope::sample_lanes
