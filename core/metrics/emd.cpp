#include "core/metrics/emd.h"

#include "core/common/error.h"
#include "core/common/numpy_sum.h"
#include "core/metrics/excess_split.h"
#include "core/metrics/transportation_simplex.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <queue>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

namespace flipscope {

namespace {

// ---------------------------------------------------------------------------------------------
// EMD semantics shared by both solvers: size and sign checks, the study's sentinels, unit-sum
// normalization.

struct NormalizedMaps {
    double sentinel = 0.0;  // the value to return when !solve
    bool solve = false;
    double xSum = 0.0;
    double ySum = 0.0;
};

// The map's sum in numpy's order (numpy_sum.h), as the study normalizes it.
template <typename T>
double nonNegativeSum(std::span<const T> values, const char* which) {
    bool negative = false;
    for (const T value : values) negative |= value < T(0);  // no branch per value
    if (negative) {
        const size_t i = std::find_if(values.begin(), values.end(), [](T v) { return v < T(0); }) - values.begin();
        throw InputError(std::string("EMD needs non-negative maps, but cell ") + std::to_string(i) + " of the " +
                         which + " map is " + std::to_string(static_cast<double>(values[i])));
    }
    return numpySum(values.data(), values.size());
}

// knownXSum: x's sum from an earlier call with the same x (already checked), or null.
template <typename T>
NormalizedMaps prepareMaps(const Geometry& geometry, std::span<const T> x, std::span<const T> y,
                           const double* knownXSum = nullptr) {
    const size_t cells = static_cast<size_t>(geometry.size());
    if (x.size() != cells || y.size() != cells)
        throw InputError("EMD on geometry \"" + geometry.name() + "\" needs maps of " + std::to_string(cells) +
                         " cells, got " + std::to_string(x.size()) + " (input) and " + std::to_string(y.size()) +
                         " (output)");
    NormalizedMaps maps;
    maps.xSum = knownXSum ? *knownXSum : nonNegativeSum(x, "input");
    maps.ySum = nonNegativeSum(y, "output");
    if (maps.xSum == 0.0) {
        maps.sentinel = kEmdEmptyInput;
    } else if (maps.ySum == 0.0) {
        maps.sentinel = kEmdEmptyOutput;
    } else if (!std::isfinite(maps.xSum) || !std::isfinite(maps.ySum)) {
        maps.sentinel = std::numeric_limits<double>::quiet_NaN();
    } else {
        maps.solve = true;
    }
    return maps;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

// Per-solver state: the simplex and the reduced problem's cell lists, kept so that repeated
// solves reuse their capacity.
struct EmdSolver::Workspace {
    TransportationSimplex simplex;
    std::vector<int> sourceCells, sinkCells;  // geometry cell of each source / sink
    // Warm-start scratch: each geometry cell's source / sink index (-1: none), the start's cells
    // and potentials in this problem's terms.
    std::vector<int> sourceIndex, sinkIndex, startKeys;
    std::vector<double> startPotentials;
    // The previous solve's senders and receivers, when it ended in the simplex.
    std::vector<int> previousSources, previousSinks;
    bool previousSolved = false;
    EmdBasis previousBasis;  // scratch: the previous optimum, when the next problem differs in pattern
    // The anchor (setAnchor): the simplex, senders and receivers as a solve left them.
    TransportationSimplex anchorSimplex;
    std::vector<int> anchorSources, anchorSinks;
    bool anchorSolved = false;
    // The simplex's costs are the anchor's (no costs gathered since the anchor was taken from it or
    // restored to it), so going back to the anchor need not copy them.
    bool simplexHasAnchorCosts = false;
    // The last input map, its sum and its normalized shares x / sum: runs of problems with the same
    // input (one sample's faulty outputs) skip that sum and those divisions.
    std::vector<double> input, inputShare;
    std::vector<double> output;  // a float output map widened
    double inputSum = 0.0;
    int lastPivots = 0;
    bool lastWarm = false;
};

EmdSolver::EmdSolver(const Geometry& geometry) : geometry_(&geometry), workspace_(std::make_unique<Workspace>()) {}
EmdSolver::~EmdSolver() = default;
EmdSolver::EmdSolver(EmdSolver&&) noexcept = default;
EmdSolver& EmdSolver::operator=(EmdSolver&&) noexcept = default;

int EmdSolver::lastPivotCount() const { return workspace_->lastPivots; }
bool EmdSolver::lastSolveWasWarm() const { return workspace_->lastWarm; }

namespace {

void clearKeepingCapacity(EmdBasis& basis) {
    basis.senders.clear();
    basis.receivers.clear();
    basis.cells.clear();
    basis.potentials.clear();
}

// Solves the problem in work.simplex from `start`, an optimal basis of a problem over the same
// geometry: its cells whose sender still sends and receiver still receives, and its potentials
// of the cells still on the same side (solveFrom completes the rest).
template <typename Workspace>
bool warmSolve(Workspace& work, const EmdBasis& start, size_t cellCount, double& total) {
    const int m = static_cast<int>(work.sourceCells.size()), n = static_cast<int>(work.sinkCells.size());
    work.sourceIndex.assign(cellCount, -1);
    work.sinkIndex.assign(cellCount, -1);
    for (int i = 0; i < m; ++i) work.sourceIndex[work.sourceCells[i]] = i;
    for (int j = 0; j < n; ++j) work.sinkIndex[work.sinkCells[j]] = j;
    const int oldM = static_cast<int>(start.senders.size()), oldN = static_cast<int>(start.receivers.size());
    if (start.potentials.size() != 2 * static_cast<size_t>(oldM + oldN)) return false;
    work.startKeys.clear();
    for (const int key : start.cells) {
        const int i = work.sourceIndex[start.senders[key / oldN]], j = work.sinkIndex[start.receivers[key % oldN]];
        if (i >= 0 && j >= 0) work.startKeys.push_back(i * n + j);
    }
    // Potentials: cost ones for the nodes, then tie-break ones, in both vectors.
    const int oldNodes = oldM + oldN, nodes = m + n;
    work.startPotentials.assign(2 * nodes, std::numeric_limits<double>::quiet_NaN());
    for (int half = 0; half < 2; ++half) {
        for (int a = 0; a < oldM; ++a)
            if (const int i = work.sourceIndex[start.senders[a]]; i >= 0)
                work.startPotentials[half * nodes + i] = start.potentials[half * oldNodes + a];
        for (int b = 0; b < oldN; ++b)
            if (const int j = work.sinkIndex[start.receivers[b]]; j >= 0)
                work.startPotentials[half * nodes + m + j] = start.potentials[half * oldNodes + oldM + b];
    }
    return work.simplex.solveFrom(work.startKeys, work.startPotentials, total);
}

// The reduced problem's costs (distances) and tie-break costs, sources by sinks.
template <typename Workspace>
void gatherCosts(const Geometry& geometry, Workspace& work) {
    TransportationSimplex& simplex = work.simplex;
    const int m = static_cast<int>(work.sourceCells.size()), n = static_cast<int>(work.sinkCells.size());
    const size_t cellCount = static_cast<size_t>(geometry.size());
    simplex.costScale = geometry.largestDistance();
    simplex.cost.resize(static_cast<size_t>(m) * n);
    simplex.tieCost.resize(simplex.cost.size());
    const std::vector<double>& tieCosts = geometry.tieBreakCosts();
    for (int i = 0; i < m; ++i) {
        const int from = work.sourceCells[i];
        const double* distances = geometry.distanceRow(from);
        double* row = simplex.cost.data() + static_cast<size_t>(i) * n;
        double* tieRow = simplex.tieCost.data() + static_cast<size_t>(i) * n;
        for (int j = 0; j < n; ++j) row[j] = distances[work.sinkCells[j]];
        if (tieCosts.empty())
            for (int j = 0; j < n; ++j) tieRow[j] = Geometry::tieBreakCost(from, work.sinkCells[j]);
        else
            for (int j = 0; j < n; ++j) tieRow[j] = tieCosts[from * cellCount + work.sinkCells[j]];
    }
}

// With a metric ground cost the optimal cost depends only on p - q (Kantorovich-Rubinstein
// duality: W1(p, q) = max over 1-Lipschitz f of sum f (p - q)), so the mass min(p_i, q_i) that
// both maps share can stay where it is. Only cells where p exceeds q send and only cells where q
// exceeds p receive: the two sides are disjoint and together hold at most geometry.size() cells,
// and every zero-mass cell drops out. This shrinks the LP a lot for maps that mostly agree.
template <typename Workspace, typename T>
double solveFast(const Geometry& geometry, Workspace& work, std::span<const T> x, std::span<const T> y,
                 const EmdBasis* start, EmdBasis* optimal, bool fromPrevious = false) {
    work.lastPivots = 0;
    work.lastWarm = false;
    if (optimal) clearKeepingCapacity(*optimal);
    const bool previousSolved = work.previousSolved;
    work.previousSolved = false;
    // (Compared bit by bit: a sign of zero or a NaN payload that differs only costs a recount.)
    bool sameInput = false;
    if constexpr (std::is_same_v<T, double>)
        sameInput = work.input.size() == x.size() && std::memcmp(x.data(), work.input.data(), x.size_bytes()) == 0;
    else
        sameInput = work.input.size() == x.size() && std::equal(x.begin(), x.end(), work.input.begin());
    const NormalizedMaps maps = prepareMaps(geometry, x, y, sameInput ? &work.inputSum : nullptr);
    if (!sameInput) {  // x / sum(x) as below, kept for the next call
        work.input.assign(x.begin(), x.end());
        work.inputSum = maps.xSum;
        work.inputShare.resize(x.size());
        for (size_t c = 0; c < x.size(); ++c) work.inputShare[c] = static_cast<double>(x[c]) / maps.xSum;
    }
    if (!maps.solve) return maps.sentinel;

    TransportationSimplex& simplex = work.simplex;
    const double* output = nullptr;
    if constexpr (std::is_same_v<T, double>) {
        output = y.data();
    } else {
        work.output.assign(y.begin(), y.end());  // widening to double is exact
        output = work.output.data();
    }
    const size_t room = x.size() + kExcessSplitSlack;
    for (auto* cells : {&work.sourceCells, &work.sinkCells}) cells->resize(room);
    for (auto* masses : {&simplex.supply, &simplex.demand}) masses->resize(room);
    const ExcessSides sides =
        splitExcess(work.inputShare.data(), output, static_cast<int>(x.size()), maps.ySum, work.sourceCells.data(),
                    simplex.supply.data(), work.sinkCells.data(), simplex.demand.data());
    work.sourceCells.resize(sides.sources);
    simplex.supply.resize(sides.sources);
    work.sinkCells.resize(sides.sinks);
    simplex.demand.resize(sides.sinks);
    const int m = sides.sources, n = sides.sinks;
    if (m == 0 || n == 0) return 0.0;
    const size_t cellCount = static_cast<size_t>(geometry.size());
    double total = 0.0;
    // The same senders and receivers as the previous solve: the simplex still holds their costs
    // and its optimal tree.
    const bool samePattern = fromPrevious && previousSolved && work.sourceCells == work.previousSources &&
                             work.sinkCells == work.previousSinks;
    if (samePattern) {
        work.lastWarm = simplex.solveAgain(total);
    } else {
        if (fromPrevious && previousSolved) {  // the previous optimum as a basis to repair
            work.previousBasis.senders.swap(work.previousSources);
            work.previousBasis.receivers.swap(work.previousSinks);
            work.previousBasis.cells.assign(simplex.basisKeys().begin(), simplex.basisKeys().end());
            simplex.potentials(work.previousBasis.potentials);
            start = &work.previousBasis;
        }
        gatherCosts(geometry, work);
        work.simplexHasAnchorCosts = false;
        if (start && !start->empty()) work.lastWarm = warmSolve(work, *start, cellCount, total);
    }
    if (!work.lastWarm) {
        // The cold start orders the cells by cost; with the geometry's distance ranks by counting.
        const std::vector<int>& ranks = geometry.distanceRanks();
        simplex.rankCount = geometry.distinctDistances();
        simplex.costRank.resize(ranks.empty() ? 0 : simplex.cost.size());
        if (!ranks.empty())
            for (int i = 0; i < m; ++i) {
                const int* rankRow = ranks.data() + work.sourceCells[i] * cellCount;
                int* costRankRow = simplex.costRank.data() + static_cast<size_t>(i) * n;
                for (int j = 0; j < n; ++j) costRankRow[j] = rankRow[work.sinkCells[j]];
            }
        total = simplex.solve();
    }
    work.lastPivots = simplex.pivots();
    if (optimal) {
        optimal->senders.assign(work.sourceCells.begin(), work.sourceCells.end());
        optimal->receivers.assign(work.sinkCells.begin(), work.sinkCells.end());
        optimal->cells.assign(simplex.basisKeys().begin(), simplex.basisKeys().end());
        simplex.potentials(optimal->potentials);
    }
    work.previousSources.assign(work.sourceCells.begin(), work.sourceCells.end());
    work.previousSinks.assign(work.sinkCells.begin(), work.sinkCells.end());
    work.previousSolved = true;
    return total;
}

}  // namespace

double EmdSolver::operator()(std::span<const double> x, std::span<const double> y) {
    return solveFast(*geometry_, *workspace_, x, y, nullptr, nullptr);
}

double EmdSolver::operator()(std::span<const float> x, std::span<const float> y) {
    return solveFast(*geometry_, *workspace_, x, y, nullptr, nullptr);
}

double EmdSolver::solve(std::span<const double> x, std::span<const double> y, const EmdBasis* start,
                        EmdBasis* optimal) {
    return solveFast(*geometry_, *workspace_, x, y, start, optimal);
}

double EmdSolver::solveAfterPrevious(std::span<const double> x, std::span<const double> y, EmdBasis* optimal) {
    return solveFast(*geometry_, *workspace_, x, y, nullptr, optimal, true);
}

void EmdSolver::setAnchor() {
    Workspace& work = *workspace_;
    work.anchorSimplex.copyStateFrom(work.simplex);
    work.simplexHasAnchorCosts = true;
    work.anchorSources = work.previousSources;
    work.anchorSinks = work.previousSinks;
    work.anchorSolved = work.previousSolved;
}

double EmdSolver::solveAfterAnchor(std::span<const double> x, std::span<const double> y) {
    Workspace& work = *workspace_;
    work.simplex.copyStateFrom(work.anchorSimplex, !work.simplexHasAnchorCosts);
    work.simplexHasAnchorCosts = true;
    work.previousSources = work.anchorSources;
    work.previousSinks = work.anchorSinks;
    work.previousSolved = work.anchorSolved;
    return solveFast(*geometry_, work, x, y, nullptr, nullptr, true);
}

double emd(const Geometry& geometry, std::span<const double> x, std::span<const double> y) {
    return EmdSolver(geometry)(x, y);
}

double emd(const Geometry& geometry, std::span<const float> x, std::span<const float> y) {
    return EmdSolver(geometry)(x, y);
}

// ---------------------------------------------------------------------------------------------

namespace {

template <typename T>
std::vector<double> emdRowsImpl(const Geometry& geometry, const T* X, const T* Y, int64_t rows, int threads) {
    if (rows < 0) throw InputError("EMD over a negative number of rows");
    std::vector<double> result(rows);
    if (rows == 0) return result;
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = static_cast<int>(std::min<int64_t>(threads, rows));
    const size_t cells = static_cast<size_t>(geometry.size());

    // Contiguous blocks of rows, one solver per thread; a row's result does not depend on which
    // thread solves it.
    std::vector<std::exception_ptr> errors(threads);
    auto work = [&](int t) {
        try {
            EmdSolver solver(geometry);
            const int64_t begin = rows * t / threads, end = rows * (t + 1) / threads;
            for (int64_t r = begin; r < end; ++r)
                result[r] = solver(std::span<const T>(X + r * cells, cells), std::span<const T>(Y + r * cells, cells));
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& thread : pool) thread.join();
    for (const auto& error : errors)
        if (error) std::rethrow_exception(error);
    return result;
}

}  // namespace

std::vector<double> emdRows(const Geometry& geometry, const double* X, const double* Y, int64_t rows, int threads) {
    return emdRowsImpl(geometry, X, Y, rows, threads);
}

std::vector<double> emdRows(const Geometry& geometry, const float* X, const float* Y, int64_t rows, int threads) {
    return emdRowsImpl(geometry, X, Y, rows, threads);
}

// ---------------------------------------------------------------------------------------------
// Reference solver. Deliberately plain: dense N x N problem over every cell (zero-mass cells
// included, as POT sees it), north-west-corner start, potentials and pivot cycle found by
// breadth-first search over the basis, Bland's rule for entering and leaving cells. Shares nothing
// with the fast solver but the EMD semantics above and the tolerance constants.

double emdReferenceDense(const Geometry& geometry, std::span<const double> x, std::span<const double> y) {
    const NormalizedMaps maps = prepareMaps(geometry, x, y);
    if (!maps.solve) return maps.sentinel;
    const int n = geometry.size();
    std::vector<double> p(n), q(n);
    for (int c = 0; c < n; ++c) {
        p[c] = x[c] / maps.xSum;
        q[c] = y[c] / maps.ySum;
    }
    auto cost = [&](int i, int j) { return geometry.distance(i, j); };
    struct BasicCell {
        int i, j;
        double flow;
    };

    // North-west corner: walk from (0,0) to (n-1,n-1), closing a row or a column at each cell.
    std::vector<BasicCell> basis;
    {
        int i = 0, j = 0;
        double supplyLeft = p[0], demandLeft = q[0];
        while (i < n - 1 || j < n - 1) {
            const bool closeRow = j == n - 1 || (i < n - 1 && supplyLeft <= demandLeft);
            if (closeRow) {
                const double amount = std::max(0.0, supplyLeft);
                basis.push_back({i, j, amount});
                demandLeft -= amount;
                supplyLeft = p[++i];
            } else {
                const double amount = std::max(0.0, demandLeft);
                basis.push_back({i, j, amount});
                supplyLeft -= amount;
                demandLeft = q[++j];
            }
        }
        basis.push_back({n - 1, n - 1, std::max(0.0, std::min(supplyLeft, demandLeft))});
    }

    double largest = 0.0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) largest = std::max(largest, cost(i, j));
    const double tolerance = kCostTolerance * std::max(1.0, largest);
    const int64_t maxPivots = 100000 + 10 * static_cast<int64_t>(n) * n;

    // Graph nodes: rows 0..n-1, columns n..2n-1. Buffers reused by every pivot.
    const int nodes = 2 * n;
    std::vector<std::vector<int>> touching(nodes);  // basis cells at each node
    std::vector<double> potential(nodes);
    std::vector<char> reached(nodes);
    std::vector<int> viaCell(nodes), previous(nodes), path;
    std::queue<int> pending;
    auto otherEnd = [&](int node, int b) { return node < n ? n + basis[b].j : basis[b].i; };

    for (int64_t pivot = 0;; ++pivot) {
        if (pivot > maxPivots) throw Error("reference EMD simplex did not converge");
        for (auto& cells : touching) cells.clear();
        for (int b = 0; b < static_cast<int>(basis.size()); ++b) {
            touching[basis[b].i].push_back(b);
            touching[n + basis[b].j].push_back(b);
        }
        // Potentials u_i (rows) and v_j (columns) with u_i + v_j = cost on basis cells, u_0 = 0.
        std::fill(reached.begin(), reached.end(), 0);
        potential[0] = 0.0;
        reached[0] = 1;
        pending.push(0);
        while (!pending.empty()) {
            const int node = pending.front();
            pending.pop();
            for (int b : touching[node]) {
                const int other = otherEnd(node, b);
                if (reached[other]) continue;
                potential[other] = cost(basis[b].i, basis[b].j) - potential[node];
                reached[other] = 1;
                pending.push(other);
            }
        }

        // Bland: the first cell in row-major order with a negative reduced cost enters.
        int enterI = -1, enterJ = -1;
        for (int i = 0; i < n && enterI < 0; ++i)
            for (int j = 0; j < n; ++j)
                if (cost(i, j) - potential[i] - potential[n + j] < -tolerance) {
                    enterI = i;
                    enterJ = j;
                    break;
                }
        if (enterI < 0) break;

        // The basis path from column enterJ to row enterI; its cells alternately lose and gain
        // flow, starting with a loss at the column.
        std::fill(reached.begin(), reached.end(), 0);
        reached[n + enterJ] = 1;
        pending.push(n + enterJ);
        while (!pending.empty()) {
            const int node = pending.front();
            pending.pop();
            for (int b : touching[node]) {
                const int other = otherEnd(node, b);
                if (reached[other]) continue;
                reached[other] = 1;
                viaCell[other] = b;
                previous[other] = node;
                pending.push(other);
            }
        }
        path.clear();  // basis cells from the row enterI back to the column enterJ
        for (int node = enterI; node != n + enterJ; node = previous[node]) path.push_back(viaCell[node]);
        std::reverse(path.begin(), path.end());  // now starting at the column

        double theta = std::numeric_limits<double>::infinity();
        int leaving = -1;
        for (size_t k = 0; k < path.size(); k += 2) {  // the losing cells
            const BasicCell& cell = basis[path[k]];
            const bool better = cell.flow < theta ||
                                (cell.flow == theta && cell.i * n + cell.j < basis[leaving].i * n + basis[leaving].j);
            if (better) {
                theta = cell.flow;
                leaving = path[k];
            }
        }
        for (size_t k = 0; k < path.size(); ++k) basis[path[k]].flow += k % 2 == 0 ? -theta : theta;
        basis[leaving] = {enterI, enterJ, theta};
    }

    double total = 0.0;
    for (const BasicCell& cell : basis) total += cell.flow * cost(cell.i, cell.j);
    return total;
}

}  // namespace flipscope
