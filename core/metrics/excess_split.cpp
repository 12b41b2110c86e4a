#include "core/metrics/excess_split.h"

#include <immintrin.h>

#include <bit>

namespace flipscope {
namespace {

// Eight cells at a time: their excesses in one register, the lanes of senders and receivers as
// masks, and each side compressed into a register and stored whole (the compress-to-memory form
// is slow on some CPUs), the next store overwriting the unused lanes.
__attribute__((target("avx512f"))) ExcessSides splitExcessAvx512(const double* share, const double* y, int cells,
                                                                 double ySum, int* sourceCells, double* supply,
                                                                 int* sinkCells, double* demand) {
    ExcessSides sides;
    const __m512d sum = _mm512_set1_pd(ySum), zero = _mm512_setzero_pd();
    __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m512i eight = _mm512_set1_epi32(8);
    for (int first = 0; first < cells; first += 8) {
        const int left = cells - first;
        const auto lanes = static_cast<__mmask8>(left >= 8 ? 0xff : (1u << left) - 1);
        const __m512d shares = _mm512_maskz_loadu_pd(lanes, share + first);
        const __m512d outputs = _mm512_maskz_loadu_pd(lanes, y + first);
        const __m512d excess = _mm512_sub_pd(shares, _mm512_div_pd(outputs, sum));
        const __mmask8 sends = _mm512_mask_cmp_pd_mask(lanes, excess, zero, _CMP_GT_OQ);
        const __mmask8 receives = _mm512_mask_cmp_pd_mask(lanes, excess, zero, _CMP_LT_OQ);
        _mm512_storeu_pd(supply + sides.sources, _mm512_maskz_compress_pd(sends, excess));
        _mm512_storeu_si512(sourceCells + sides.sources, _mm512_maskz_compress_epi32(sends, index));
        // -excess for the receivers: 0 - x is the negation for every x < 0.
        _mm512_storeu_pd(demand + sides.sinks, _mm512_maskz_compress_pd(receives, _mm512_sub_pd(zero, excess)));
        _mm512_storeu_si512(sinkCells + sides.sinks, _mm512_maskz_compress_epi32(receives, index));
        sides.sources += std::popcount(static_cast<unsigned>(sends));
        sides.sinks += std::popcount(static_cast<unsigned>(receives));
        index = _mm512_add_epi32(index, eight);
    }
    return sides;
}

}  // namespace

ExcessSides splitExcessScalar(const double* share, const double* y, int cells, double ySum, int* sourceCells,
                              double* supply, int* sinkCells, double* demand) {
    ExcessSides sides;
    for (int c = 0; c < cells; ++c) {
        const double excess = share[c] - y[c] / ySum;
        if (excess > 0.0) {
            sourceCells[sides.sources] = c;
            supply[sides.sources++] = excess;
        } else if (excess < 0.0) {
            sinkCells[sides.sinks] = c;
            demand[sides.sinks++] = -excess;
        }
    }
    return sides;
}

ExcessSides splitExcess(const double* share, const double* y, int cells, double ySum, int* sourceCells, double* supply,
                        int* sinkCells, double* demand) {
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    if (avx512) return splitExcessAvx512(share, y, cells, ySum, sourceCells, supply, sinkCells, demand);
    return splitExcessScalar(share, y, cells, ySum, sourceCells, supply, sinkCells, demand);
}

}  // namespace flipscope
