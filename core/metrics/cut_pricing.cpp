#include "core/metrics/cut_pricing.h"

#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstring>
#include <limits>

namespace flipscope {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
typedef double Eight __attribute__((vector_size(64)));  // one AVX-512 register (__m512d alike)
// For the lambdas inside the AVX-512 functions, which do not take their target otherwise.
#define AVX512_LAMBDA __attribute__((target("avx512f"), always_inline))

// visit(i, first, lanes, reduced) for every register of cells across the cut: source i's sinks from
// `first` on that are in `columns` (`lanes`), with their reduced costs (row[j] - u) - v[j] (the same
// operations as the list form's) and +inf in the other lanes, so that those never win a minimum;
// rows, then registers, in order. The sinks' side of each register is the same for every row, so
// it is set up once: the sinks' potentials, -inf in the lanes not priced (where the cost loads as 0,
// (0 - u) - -inf is +inf), and the registers with any sink at all.
template <class Visit>
__attribute__((target("avx512f"), always_inline)) inline void forEachCutRegister(const CutPrices& p, uint64_t rows,
                                                                                 uint64_t columns, Visit&& visit) {
    const double* v = p.potential + p.m;
    __m512d sinkPotentials[8];
    __mmask8 laneMasks[8];
    int firsts[8];
    int registers = 0;
    for (int first = 0; first < p.n; first += 8) {
        const auto lanes = static_cast<__mmask8>(columns >> first);
        if (!lanes) continue;
        sinkPotentials[registers] = _mm512_mask_loadu_pd(_mm512_set1_pd(-kInfinity), lanes, v + first);
        laneMasks[registers] = lanes;
        firsts[registers++] = first;
    }
    for (uint64_t r = rows; r; r &= r - 1) {
        const int i = std::countr_zero(r);
        const double* row = p.cost + static_cast<size_t>(i) * p.n;
        const __m512d u = _mm512_set1_pd(p.potential[i]);
        for (int k = 0; k < registers; ++k) {
            const __m512d costs = _mm512_maskz_loadu_pd(laneMasks[k], row + firsts[k]);
            visit(i, firsts[k], laneMasks[k], _mm512_sub_pd(_mm512_sub_pd(costs, u), sinkPotentials[k]));
        }
    }
}

__attribute__((target("avx512f"))) int cheapestAcrossCutAvx512(const CutPrices& p, uint64_t rows, uint64_t columns) {
    // The minimum reduced cost, all lanes at once (a minimum does not depend on the order).
    Eight lowest = Eight{} + kInfinity;
    forEachCutRegister(p, rows, columns, [&](int, int, __mmask8, const Eight& reduced) AVX512_LAMBDA {
        lowest = reduced < lowest ? reduced : lowest;
    });
    double lanes[8];  // (indexing the register itself would keep it in memory all along)
    std::memcpy(lanes, &lowest, sizeof lanes);
    const __m512d threshold = _mm512_set1_pd(*std::min_element(lanes, lanes + 8) + p.tolerance);
    // The cells within the tolerance of it (few), in row-major order, by their tie-break prices.
    const double* tieV = p.tiePotential + p.m;
    int entering = -1;
    double bestTie = kInfinity;
    forEachCutRegister(p, rows, columns, [&](int i, int first, __mmask8 lanes, const Eight& reduced) AVX512_LAMBDA {
        for (unsigned near = _mm512_mask_cmp_pd_mask(lanes, reduced, threshold, _CMP_LE_OQ); near; near &= near - 1) {
            const int j = first + std::countr_zero(near);
            const size_t key = static_cast<size_t>(i) * p.n + j;
            const double tieReduced = p.tieCost[key] - p.tiePotential[i] - tieV[j];
            if (tieReduced < bestTie) {
                bestTie = tieReduced;
                entering = static_cast<int>(key);
            }
        }
    });
    return entering;
}

#undef AVX512_LAMBDA

}  // namespace

int cheapestAcrossCut(const CutPrices& p, const int* rows, int rowCount, const int* columns, int columnCount,
                      std::vector<double>& scratch) {
    const double* v = p.potential + p.m;
    const double* tieV = p.tiePotential + p.m;
    scratch.resize(static_cast<size_t>(rowCount) * columnCount);
    double* reduced = scratch.data();
    double best = kInfinity;
    for (int r = 0; r < rowCount; ++r) {
        const int i = rows[r];
        const double* row = p.cost + static_cast<size_t>(i) * p.n;
        const double u = p.potential[i];
        double* reducedRow = reduced + static_cast<size_t>(r) * columnCount;
        for (int c = 0; c < columnCount; ++c) {
            const double value = (row[columns[c]] - u) - v[columns[c]];
            reducedRow[c] = value;
            best = std::min(best, value);
        }
    }
    int entering = -1;
    double bestTie = kInfinity;
    for (int r = 0; r < rowCount; ++r) {
        const int i = rows[r];
        const double* reducedRow = reduced + static_cast<size_t>(r) * columnCount;
        for (int c = 0; c < columnCount; ++c) {
            if (!(reducedRow[c] <= best + p.tolerance)) continue;
            const int j = columns[c];
            const double tieReduced = p.tieCost[static_cast<size_t>(i) * p.n + j] - p.tiePotential[i] - tieV[j];
            if (tieReduced < bestTie) {
                bestTie = tieReduced;
                entering = i * p.n + j;
            }
        }
    }
    return entering;
}

int cheapestAcrossCut(const CutPrices& p, uint64_t rows, uint64_t columns, std::vector<int>& rowList,
                      std::vector<int>& columnList, std::vector<double>& scratch) {
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    if (avx512) return cheapestAcrossCutAvx512(p, rows, columns);
    rowList.clear();
    columnList.clear();
    for (uint64_t r = rows; r; r &= r - 1) rowList.push_back(std::countr_zero(r));
    for (uint64_t c = columns; c; c &= c - 1) columnList.push_back(std::countr_zero(c));
    return cheapestAcrossCut(p, rowList.data(), static_cast<int>(rowList.size()), columnList.data(),
                             static_cast<int>(columnList.size()), scratch);
}

}  // namespace flipscope
