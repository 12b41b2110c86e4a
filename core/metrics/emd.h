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

    // Simplex pivots of the last solve (0 for sentinels and trivial problems); for benchmarks.
    int lastPivotCount() const;

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
