#pragma once
// Exact earth mover's distance between two non-negative maps over the cells of a Geometry, as the
// ECON-T study computes it with POT's ot.emd2 (reference econt-and-metrics.md section 2):
//   sum(x) == 0          -> -1.0  (sentinel, not a distance)
//   else sum(y) == 0     -> -0.5  (sentinel)
//   else both maps are normalized to unit sum and the optimal transport cost is returned, with
//   the geometry's Euclidean distance matrix as ground cost.
// Maps with a NaN or infinite value give NaN; a negative value throws InputError.
#include "core/metrics/geometry.h"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace flipscope {

inline constexpr double kEmdEmptyInput = -1.0;
inline constexpr double kEmdEmptyOutput = -0.5;

// An optimal basis of one solve, in the terms of its reduced problem (see emd.cpp): the cells
// that send (input share above output share) and those that receive, both ascending, the
// m + n - 1 basic (sender, receiver) pairs as sender index * receivers + receiver index, and the
// dual potentials (see TransportationSimplex::potentials). Kept to warm-start a nearby problem.
struct EmdBasis {
    std::vector<int> senders, receivers;
    std::vector<int> cells;
    std::vector<double> potentials;
    bool empty() const { return cells.empty(); }
};

// Reusable exact solver: a transportation simplex on the cells where the two normalized maps
// differ (see emd.cpp). Owns its scratch buffers, so repeated calls do not allocate once the
// buffers have grown to the problem size. Not thread-safe: use one per thread. The geometry must
// outlive the solver.
class EmdSolver {
public:
    explicit EmdSolver(const Geometry& geometry);
    ~EmdSolver();
    EmdSolver(EmdSolver&&) noexcept;
    EmdSolver& operator=(EmdSolver&&) noexcept;

    // x and y each hold geometry.size() values.
    double operator()(std::span<const double> x, std::span<const double> y);
    double operator()(std::span<const float> x, std::span<const float> y);

    // The same, optionally warm-started and optionally returning the optimal basis. A warm start
    // keeps start's basis cells and prices where the cells kept their side, completes them to a
    // basis whose prices are all optimal, and runs dual simplex pivots until no flow is negative.
    // Its result is kept only when that optimum is clearly the only one (no zero flow, no other
    // cell priced near zero in both costs); otherwise the solve starts cold. The value is a
    // function of the problem and the optimal basis reached (flows solved on the basis tree,
    // summed in an order the tree fixes), and a unique optimum is the basis a cold solve ends at
    // too, so warm and cold solves return the same bits.
    double solve(std::span<const double> x, std::span<const double> y, const EmdBasis* start, EmdBasis* optimal);
    // The same, warm-started from the previous call's optimum as this solver still holds it: with
    // the same senders and receivers its tree is reused as it stands (only the flows change), else
    // it is repaired like a `start`; cold when the previous call ended without an optimum (a
    // sentinel, an empty side). For a run of nearby problems, each close to the one before.
    double solveAfterPrevious(std::span<const double> x, std::span<const double> y, EmdBasis* optimal);

    // Keeps the state the last solve ended in as an anchor (say a clean sample's optimum), and
    // solves like solveAfterPrevious but from the anchor instead of the last solve: for problems
    // near the anchor that come after others (rows of one sample starting from clean again).
    void setAnchor();
    double solveAfterAnchor(std::span<const double> x, std::span<const double> y);

    // Simplex pivots of the last solve (0 for sentinels and trivial problems); for benchmarks.
    int lastPivotCount() const;
    // Whether the last solve's result came from a warm start.
    bool lastSolveWasWarm() const;

private:
    struct Workspace;
    const Geometry* geometry_;
    std::unique_ptr<Workspace> workspace_;
};

// One-off calls: each builds an EmdSolver (tens of microseconds of set-up on ECON-T); loops should
// keep an EmdSolver or use emdRows.
double emd(const Geometry& geometry, std::span<const double> x, std::span<const double> y);
double emd(const Geometry& geometry, std::span<const float> x, std::span<const float> y);

// One EMD per row of the row-major rows x geometry.size() matrices X (inputs) and Y (outputs),
// computed on `threads` std::threads (<= 0: all hardware threads). Each row is solved on its own,
// so the result does not depend on the thread count.
std::vector<double> emdRows(const Geometry& geometry, const double* X, const double* Y, int64_t rows, int threads);
std::vector<double> emdRows(const Geometry& geometry, const float* X, const float* Y, int64_t rows, int threads);

// The plain reference: a textbook dense transportation simplex over all geometry.size()^2 cells
// (zero-mass cells kept, north-west-corner start, Bland's rule throughout). Slow, kept to check
// EmdSolver in the tests and to measure its speed-up in bench/bench_emd.
double emdReferenceDense(const Geometry& geometry, std::span<const double> x, std::span<const double> y);

}  // namespace flipscope
