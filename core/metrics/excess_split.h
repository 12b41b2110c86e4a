#pragma once
// The two sides of the reduced EMD problem (emd.cpp): with share[c] the input map's normalized
// value and y[c] / ySum the output's, cell c sends excess = share[c] - y[c] / ySum when that is
// positive and receives -excess when it is negative (cells with no excess drop out). Computed with
// IEEE division and subtraction per cell, so every form gives the same bits; the AVX-512 form does
// eight cells per instruction (a scalar loop spends most of its time in 48 divisions and in
// branches no predictor can guess).
namespace flipscope {

struct ExcessSides {
    int sources = 0, sinks = 0;
};

// Writes the senders' cells and excesses to sourceCells / supply and the receivers' cells and
// deficits to sinkCells / demand, in cell order, and returns how many of each. Each of the four
// arrays must have room for cells + kExcessSplitSlack values (the SIMD form stores whole registers).
inline constexpr int kExcessSplitSlack = 16;
ExcessSides splitExcess(const double* share, const double* y, int cells, double ySum, int* sourceCells, double* supply,
                        int* sinkCells, double* demand);

// The value-by-value form (also the one used without AVX-512); for the tests.
ExcessSides splitExcessScalar(const double* share, const double* y, int cells, double ySum, int* sourceCells,
                              double* supply, int* sinkCells, double* demand);

}  // namespace flipscope
