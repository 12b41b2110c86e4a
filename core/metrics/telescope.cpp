#include "core/metrics/telescope.h"

#include "core/common/error.h"

#include <algorithm>
#include <array>
#include <string>

namespace flipscope {

namespace {

struct SuperCell {
    std::array<int, 4> cells;
    double weight;
};

// SCmask_48_36, verbatim from fastml-science sensor-data-compression/telescope.py: 2x2 super-cells
// (4 trigger-cell indices + weight). The weights make each cell count equally whatever the number
// of super-cells it belongs to; the file writes them as 0.25*1.5, 0.25*1.+1./12 (= 1/4 + 1/12), ...
const std::array<SuperCell, 36> kSuperCells2x2 = {{
    // 2x2 super-cells that tile the sensor
    {{0, 1, 4, 5}, 0.25 * 1.5},
    {{2, 3, 6, 7}, 0.25 * 1. + 1. / 12},
    {{8, 9, 12, 13}, 0.25 * 2.25},
    {{10, 11, 14, 15}, 0.25 * 1.5},
    {{16, 17, 20, 21}, 0.25 * 1.5},
    {{18, 19, 22, 23}, 0.25 * 1. + 1. / 12},
    {{24, 25, 28, 29}, 0.25 * 2.25},
    {{26, 27, 30, 31}, 0.25 * 1.5},
    {{32, 33, 36, 37}, 0.25 * 1.5},
    {{34, 35, 38, 39}, 0.25 * 1. + 1. / 12},
    {{40, 41, 44, 45}, 0.25 * 2.25},
    {{42, 43, 46, 47}, 0.25 * 1.5},
    // shifted right by one cell
    {{4, 5, 8, 9}, 0.25 * 1.5},
    {{6, 7, 10, 11}, 0.25 * 1.},
    {{20, 21, 24, 25}, 0.25 * 1.5},
    {{22, 23, 26, 27}, 0.25 * 1.},
    {{36, 37, 40, 41}, 0.25 * 1.5},
    {{38, 39, 42, 43}, 0.25 * 1.},
    // shifted down by one cell
    {{1, 2, 5, 6}, 0.25 * 1.},
    {{9, 10, 13, 14}, 0.25 * 1.5},
    {{17, 18, 21, 22}, 0.25 * 1.},
    {{25, 26, 29, 30}, 0.25 * 1.5},
    {{33, 34, 37, 38}, 0.25 * 1.},
    {{41, 42, 45, 46}, 0.25 * 1.5},
    // shifted down and right by one cell
    {{5, 6, 9, 10}, 0.25 * 1.},
    {{21, 22, 25, 26}, 0.25 * 1.},
    {{37, 38, 41, 42}, 0.25 * 1.},
    // overlaps across the three 16-cell blocks
    {{0, 1, 27, 31}, 0.25 * 1.5},
    {{1, 2, 23, 27}, 0.25 * 1.},
    {{2, 3, 19, 23}, 0.25 * 1. + 1. / 6},
    {{3, 7, 34, 35}, 0.25 * 1. + 1. / 6},
    {{7, 11, 33, 34}, 0.25 * 1.},
    {{11, 15, 32, 33}, 0.25 * 1.5},
    {{16, 17, 47, 43}, 0.25 * 1.5},
    {{17, 18, 43, 39}, 0.25 * 1.},
    {{18, 19, 39, 35}, 0.25 * 1. + 1. / 6},
}};

// SCmask_48_12 from the same file: the 12 tiling 2x2 super-cells; telescopeMSE2 sums them four at
// a time (Remap_12_3) into the three 4x4 super-cells.
constexpr std::array<std::array<int, 4>, 12> kTilingSuperCells = {{
    {0, 1, 4, 5},
    {2, 3, 6, 7},
    {8, 9, 12, 13},
    {10, 11, 14, 15},
    {16, 17, 20, 21},
    {18, 19, 22, 23},
    {24, 25, 28, 29},
    {26, 27, 30, 31},
    {32, 33, 36, 37},
    {34, 35, 38, 39},
    {40, 41, 44, 45},
    {42, 43, 46, 47},
}};

constexpr int kCells = 48;
constexpr int kBigSuperCells = 3;

// f(t, p) = (t - p)^2 max(t, p) and df/dp. At t == p both are 0 whichever side max() picks.
double term(double t, double p) { return (t - p) * (t - p) * std::max(t, p); }
double termSlope(double t, double p) { return p >= t ? (p - t) * (3.0 * p - t) : -2.0 * (t - p) * t; }

// Sums of the tiling super-cells, grouped four at a time.
std::array<double, kBigSuperCells> bigSuperCellSums(std::span<const double> values) {
    std::array<double, kBigSuperCells> sums{};
    for (size_t s = 0; s < kTilingSuperCells.size(); ++s)
        for (int c : kTilingSuperCells[s]) sums[s / 4] += values[c];
    return sums;
}

double superCellSum(const SuperCell& superCell, std::span<const double> values) {
    double sum = 0.0;
    for (int c : superCell.cells) sum += values[c];
    return sum;
}

void checkSizes(std::span<const double> yTrue, std::span<const double> yPred) {
    if (yTrue.size() != kCells || yPred.size() != kCells)
        throw InputError("telescope loss needs 48-cell maps, got " + std::to_string(yTrue.size()) + " (target) and " +
                         std::to_string(yPred.size()) + " (prediction)");
}

// The loss, and with a non-empty `gradient` its derivative w.r.t. yPred: each term's slope times
// the term's weight, spread over the cells the term sums.
double lossAndMaybeGradient(std::span<const double> yTrue, std::span<const double> yPred, std::span<double> gradient) {
    checkSizes(yTrue, yPred);
    const bool wantGradient = !gradient.empty();
    if (wantGradient) {
        if (gradient.size() != kCells) throw InputError("telescope gradient needs room for 48 values");
        std::fill(gradient.begin(), gradient.end(), 0.0);
    }

    constexpr double l1Weight = 4.0 / kCells;
    double l1 = 0.0;
    for (int c = 0; c < kCells; ++c) {
        l1 += term(yTrue[c], yPred[c]);
        if (wantGradient) gradient[c] += l1Weight * termSlope(yTrue[c], yPred[c]);
    }

    constexpr double l2Weight = 2.0 / static_cast<double>(kSuperCells2x2.size());
    double l2 = 0.0;
    for (const SuperCell& superCell : kSuperCells2x2) {
        const double t = superCellSum(superCell, yTrue), p = superCellSum(superCell, yPred);
        l2 += term(t, p) * superCell.weight;
        if (!wantGradient) continue;
        const double slope = l2Weight * superCell.weight * termSlope(t, p);
        for (int c : superCell.cells) gradient[c] += slope;
    }

    constexpr double l3Weight = 1.0 / kBigSuperCells;
    const auto trueSums = bigSuperCellSums(yTrue), predSums = bigSuperCellSums(yPred);
    double l3 = 0.0;
    for (int b = 0; b < kBigSuperCells; ++b) {
        l3 += term(trueSums[b], predSums[b]);
        if (!wantGradient) continue;
        const double slope = l3Weight * termSlope(trueSums[b], predSums[b]);
        for (int s = 4 * b; s < 4 * b + 4; ++s)
            for (int c : kTilingSuperCells[s]) gradient[c] += slope;
    }

    return 4.0 * (l1 / kCells) + 2.0 * (l2 / kSuperCells2x2.size()) + l3 / kBigSuperCells;
}

}  // namespace

double telescopeLoss(std::span<const double> yTrue, std::span<const double> yPred) {
    return lossAndMaybeGradient(yTrue, yPred, {});
}

double telescopeGradient(std::span<const double> yTrue, std::span<const double> yPred, std::span<double> gradient) {
    if (gradient.empty()) throw InputError("telescope gradient needs room for 48 values");
    return lossAndMaybeGradient(yTrue, yPred, gradient);
}

std::vector<double> telescopeLossRows(const double* yTrue, const double* yPred, int64_t rows) {
    if (rows < 0) throw InputError("telescope loss over a negative number of rows");
    std::vector<double> losses(rows);
    for (int64_t r = 0; r < rows; ++r)
        losses[r] = telescopeLoss(std::span<const double>(yTrue + r * kCells, kCells),
                                  std::span<const double>(yPred + r * kCells, kCells));
    return losses;
}

double telescopeMeanLossAndGradient(const double* yTrue, const double* yPred, int64_t rows, double* gradient) {
    if (rows <= 0) throw InputError("telescope mean loss needs at least one row");
    double total = 0.0;
    for (int64_t r = 0; r < rows; ++r) {
        std::span<double> rowGradient(gradient + r * kCells, kCells);
        total += telescopeGradient(std::span<const double>(yTrue + r * kCells, kCells),
                                   std::span<const double>(yPred + r * kCells, kCells), rowGradient);
        for (double& g : rowGradient) g /= static_cast<double>(rows);
    }
    return total / static_cast<double>(rows);
}

}  // namespace flipscope
