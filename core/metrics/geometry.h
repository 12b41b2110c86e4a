#pragma once
// Where the cells of an output map sit in the plane, and how far apart they are: the ground
// distance of the earth mover's distance (core/metrics/emd.h).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flipscope {

struct CellPosition {
    double x = 0.0;
    double y = 0.0;
};

// A named table of 2-D cell centres plus the dense Euclidean distance matrix between them
// (computed once, row-major, size() x size()). Distances are a true metric, which the EMD solver
// relies on.
class Geometry {
public:
    Geometry(std::string name, std::vector<CellPosition> cells);

    // The 48 ECON-T trigger cells in CALQ order, in units of one small sensor cell pitch
    // (the raw hexCoords of fastml-science utils/metrics.py divided by 1.20840075).
    static Geometry econt();
    // n cells on a line, unit spacing.
    static Geometry grid1d(int n);
    // height x width pixels, unit spacing, row-major cell index (row * width + col).
    static Geometry grid2d(int height, int width);

    const std::string& name() const { return name_; }
    int size() const { return static_cast<int>(cells_.size()); }
    const std::vector<CellPosition>& cells() const { return cells_; }
    double distance(int i, int j) const { return distances_[static_cast<size_t>(i) * cells_.size() + j]; }
    // Row i of the distance matrix: distances from cell i to every cell.
    const double* distanceRow(int i) const { return distances_.data() + static_cast<size_t>(i) * cells_.size(); }
    double largestDistance() const { return largestDistance_; }

    // For geometries of up to kMaxCellsForDistanceRanks cells: the rank of each distance among the
    // geometry's distinct distances (row-major like the matrix; equal distances share a rank), so
    // the EMD solver can order cells by counting. Empty for larger geometries.
    static constexpr int kMaxCellsForDistanceRanks = 1024;  // 4 MiB of ranks
    const std::vector<int>& distanceRanks() const { return distanceRanks_; }
    int distinctDistances() const { return distinctDistances_; }

    // A second, pseudo-random ground cost in [0, 1) from cell `from` to cell `to`, by which the EMD
    // solver picks one plan when several are equally cheap (transportation_simplex.h). Tabled
    // like distanceRanks (empty for larger geometries).
    static double tieBreakCost(int from, int to);
    const std::vector<double>& tieBreakCosts() const { return tieBreakCosts_; }

private:
    std::string name_;
    std::vector<CellPosition> cells_;
    std::vector<double> distances_;
    double largestDistance_ = 0.0;
    std::vector<int> distanceRanks_;
    std::vector<double> tieBreakCosts_;
    int distinctDistances_ = 0;
};

// "econt", "grid1d:N" or "grid2d:HxW"; anything else throws InputError naming the accepted forms.
Geometry geometryByName(std::string_view spec);

}  // namespace flipscope
