#include "core/faults/sample_lanes.h"

#include "core/common/error.h"
#include "core/model/activation.h"

#include <immintrin.h>

#include <algorithm>

namespace flipscope::sample_lanes {
namespace {

// Four floats, for the conversion back to float32: one value of four samples, or four values of
// one sample.
typedef float Floats __attribute__((vector_size(16)));
typedef int32_t FloatIndex __attribute__((vector_size(16)));

// rows[r][c] = columns[c][r]: the transpose of a 4x4 block of floats.
inline __attribute__((always_inline)) void transpose4x4(const Floats* columns, Floats* rows) {
    const Floats low01 = __builtin_shuffle(columns[0], columns[1], FloatIndex{0, 4, 1, 5});
    const Floats high01 = __builtin_shuffle(columns[0], columns[1], FloatIndex{2, 6, 3, 7});
    const Floats low23 = __builtin_shuffle(columns[2], columns[3], FloatIndex{0, 4, 1, 5});
    const Floats high23 = __builtin_shuffle(columns[2], columns[3], FloatIndex{2, 6, 3, 7});
    rows[0] = __builtin_shuffle(low01, low23, FloatIndex{0, 1, 4, 5});
    rows[1] = __builtin_shuffle(low01, low23, FloatIndex{2, 3, 6, 7});
    rows[2] = __builtin_shuffle(high01, high23, FloatIndex{0, 1, 4, 5});
    rows[3] = __builtin_shuffle(high01, high23, FloatIndex{2, 3, 6, 7});
}

}  // namespace

// out[k][lane] = x[lane][k] widened to double, for the group's `count` rows of `in` values; the
// lanes of missing rows are zero.
void transposeGroup(const float* x, int64_t count, int64_t in, double* out) {
    if (count < kGroup) {
        std::fill_n(out, in * kGroup, 0.0);
        for (int64_t lane = 0; lane < count; ++lane)
            for (int64_t k = 0; k < in; ++k) out[k * kGroup + lane] = static_cast<double>(x[lane * in + k]);
        return;
    }
    // A whole group: one contiguous lane vector written per value (strided single-lane stores are slow).
    for (int64_t k = 0; k < in; ++k) {
        double* o = out + k * kGroup;
#pragma GCC unroll 8
        for (int lane = 0; lane < kGroup; ++lane) o[lane] = static_cast<double>(x[lane * in + k]);
    }
}

// y[lane][i] = float(acc[i][lane]), then + bias[i] (a float addition) when there is a bias, for
// the group's `count` samples of `plane` values; the padding lanes are dropped. The roundings and
// additions are the reference's scalar ones, done four lanes at a time: a whole group is
// converted per value i for its eight samples, in two halves (samples 0-3, 4-7), and each half's
// block of four consecutive values is transposed 4x4, so each sample gets four consecutive values
// in one store. Built three times (AVX-512, AVX2 and baseline) and picked at run time.
__attribute__((target_clones("avx512f", "avx2", "default"))) void storeGroup(const double* acc, int64_t count,
                                                                             int64_t plane, const float* bias,
                                                                             float* y) {
    if (count < kGroup || plane % 4 != 0) {
        for (int64_t lane = 0; lane < count; ++lane) {
            float* ys = y + lane * plane;
            for (int64_t i = 0; i < plane; ++i) ys[i] = static_cast<float>(acc[i * kGroup + lane]);
            if (bias)
                for (int64_t i = 0; i < plane; ++i) ys[i] = ys[i] + bias[i];
        }
        return;
    }
    for (int64_t i = 0; i < plane; i += 4) {
        Floats low[4], high[4];  // low[w][lane] = sample lane's value i + w, high[w][lane] sample lane + 4's
#pragma GCC unroll 4
        for (int w = 0; w < 4; ++w) {
            LaneQuad a, b;  // the two halves of the group's lanes (a whole Lanes lives in memory without AVX-512)
            loadLanes(a, acc + (i + w) * kGroup);
            loadLanes(b, acc + (i + w) * kGroup + 4);
            low[w] = __builtin_convertvector(a, Floats);
            high[w] = __builtin_convertvector(b, Floats);
            if (bias) {
                low[w] = low[w] + bias[i + w];
                high[w] = high[w] + bias[i + w];
            }
        }
        Floats rows[4];  // rows[lane][w], the same values
        transpose4x4(low, rows);
#pragma GCC unroll 4
        for (int lane = 0; lane < 4; ++lane) std::memcpy(y + lane * plane + i, &rows[lane], sizeof rows[lane]);
        transpose4x4(high, rows);
#pragma GCC unroll 4
        for (int lane = 0; lane < 4; ++lane)
            std::memcpy(y + (lane + 4) * plane + i, &rows[lane], sizeof rows[lane]);
    }
}

namespace {

// Eight floats: one value of a group's eight samples.
typedef float LaneFloats __attribute__((vector_size(32)));

template <bool Bias, bool Relu>
struct FinishValues {
    static inline __attribute__((always_inline)) void run(double* lanes, int64_t plane, const float* bias) {
        const LaneFloats zero = {};
        for (int64_t i = 0; i < plane; ++i) {
            double* v = lanes + i * kGroup;
            Lanes d;
            loadLanes(d, v);
            LaneFloats f = __builtin_convertvector(d, LaneFloats);
            if constexpr (Bias) f = f + bias[i];
            if constexpr (Relu) f = f < zero ? zero : f;  // NaN and -0.0 stay as they are
            d = __builtin_convertvector(f, Lanes);
            storeLanes(v, d);
        }
    }
};

// The same with AVX-512 intrinsics: GCC builds the widening of eight floats from the generic
// vectors as two halves and two shuffles, where one instruction does it.
template <bool Bias, bool Relu>
struct FinishValuesAvx512 {
    // (Not forced inline: the dispatch below, which calls it, is built for the baseline.)
    static __attribute__((target("avx512f"))) void run(double* lanes, int64_t plane, const float* bias) {
        const __m256 zero = _mm256_setzero_ps();
        for (int64_t i = 0; i < plane; ++i) {
            double* v = lanes + i * kGroup;
            __m256 f = _mm512_maskz_cvtpd_ps(0xff, _mm512_loadu_pd(v));  // (the maskz forms: GCC 12 warns on the others)
            if constexpr (Bias) f = _mm256_add_ps(f, _mm256_set1_ps(bias[i]));
            if constexpr (Relu) f = _mm256_andnot_ps(_mm256_cmp_ps(f, zero, _CMP_LT_OQ), f);  // as FinishValues
            _mm512_storeu_pd(v, _mm512_maskz_cvtps_pd(0xff, f));
        }
    }
};

// Finish<Bias, Relu>::run with the flags known at compile time (no test per value).
template <template <bool, bool> class Finish>
inline __attribute__((always_inline)) void finishWithFlags(double* lanes, int64_t plane, const float* bias,
                                                           bool relu) {
    if (bias) {
        if (relu) Finish<true, true>::run(lanes, plane, bias);
        else Finish<true, false>::run(lanes, plane, bias);
    } else {
        if (relu) Finish<false, true>::run(lanes, plane, bias);
        else Finish<false, false>::run(lanes, plane, bias);
    }
}

__attribute__((target("avx512f"))) void finishLanesAvx512(double* lanes, int64_t plane, const float* bias, bool relu) {
    finishWithFlags<FinishValuesAvx512>(lanes, plane, bias, relu);
}

__attribute__((target_clones("avx2", "default"))) void finishLanesGeneric(double* lanes, int64_t plane,
                                                                          const float* bias, bool relu) {
    finishWithFlags<FinishValues>(lanes, plane, bias, relu);
}

}  // namespace

// finishGroup once the activation is known to be ReLU or linear.
void finishLanes(double* lanes, int64_t plane, const float* bias, bool relu) {
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    if (avx512) finishLanesAvx512(lanes, plane, bias, relu);
    else finishLanesGeneric(lanes, plane, bias, relu);
}

bool finishesInLanes(const Activation& activation) {
    return activation.kind() == Activation::Kind::Linear || activation.kind() == Activation::Kind::Relu;
}

void finishGroup(double* lanes, int64_t plane, const float* bias, const Activation& activation) {
    if (!finishesInLanes(activation)) throw Error("finishGroup: " + activation.describe() + " is not done in lanes");
    finishLanes(lanes, plane, bias, activation.kind() == Activation::Kind::Relu);
}

}  // namespace flipscope::sample_lanes
