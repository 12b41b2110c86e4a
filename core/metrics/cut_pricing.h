#pragma once
// The cell that enters the basis in a dual simplex pivot of the transportation simplex
// (transportation_simplex.h): among the cells (i, j) across the tree's cut, i one of `rows` and j
// one of `columns`, the smallest reduced cost (cost[i][j] - u_i) - v_j; among the cells within
// `tolerance` of that minimum, the smallest tie-break reduced cost (tieCost[i][j] - tu_i) - tv_j;
// on equal tie-break prices the first in row-major order. Two forms with the same answer: one over
// lists of rows and columns (any size), one over bit masks (up to 64 nodes), which prices eight
// cells per AVX-512 register where the CPU has it.
#include <cstdint>
#include <vector>

namespace flipscope {

struct CutPrices {
    const double* cost;          // m x n, row-major
    const double* tieCost;       // m x n
    const double* potential;     // u (m sources), then v (n sinks)
    const double* tiePotential;  // the same for the tie-break costs
    int m = 0, n = 0;
    double tolerance = 0.0;
};

// rows / columns: ascending source and sink indices, none empty; scratch is reused. Returns the
// cell's key i * n + j.
int cheapestAcrossCut(const CutPrices& prices, const int* rows, int rowCount, const int* columns, int columnCount,
                      std::vector<double>& scratch);

// The same with bit i of `rows` for source i and bit j of `columns` for sink j (m, n <= 64, neither
// mask empty); `rowList`, `columnList` and `scratch` are scratch for CPUs without AVX-512.
int cheapestAcrossCut(const CutPrices& prices, uint64_t rows, uint64_t columns, std::vector<int>& rowList,
                      std::vector<int>& columnList, std::vector<double>& scratch);

}  // namespace flipscope
