#include "core/metrics/emd.h"

#include "core/common/error.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <queue>
#include <string>
#include <thread>
#include <utility>

namespace flipscope {

namespace {

// A cell enters the basis only if its reduced cost is below -kCostTolerance * (largest cost).
// Potentials are sums of up to (sources + sinks) costs, so they carry rounding of a few ulps of
// the largest cost; this margin keeps rounding noise from being taken for an improving direction.
// At the end every reduced cost is >= -tolerance, which bounds the gap to the true optimum by
// tolerance * total mass (1 for EMD): about 1e-11 on the ECON-T geometry.
constexpr double kCostTolerance = 1e-12;

// A pivot moving less than this fraction of the total mass counts as degenerate (no progress).
constexpr double kDegenerateMass = 1e-14;

double largestCost(const std::vector<double>& costs) {
    double largest = 0.0;
    for (double c : costs) largest = std::max(largest, c);
    return largest;
}

// ---------------------------------------------------------------------------------------------
// EMD semantics shared by both solvers: size and sign checks, the study's sentinels, unit-sum
// normalization.

struct NormalizedMaps {
    double sentinel = 0.0;  // the value to return when !solve
    bool solve = false;
    double xSum = 0.0;
    double ySum = 0.0;
};

template <typename T>
double nonNegativeSum(std::span<const T> values, const char* which) {
    double sum = 0.0;
    for (size_t i = 0; i < values.size(); ++i) {
        const double value = values[i];
        if (value < 0.0)
            throw InputError(std::string("EMD needs non-negative maps, but cell ") + std::to_string(i) + " of the " +
                             which + " map is " + std::to_string(value));
        sum += value;
    }
    return sum;
}

template <typename T>
NormalizedMaps prepareMaps(const Geometry& geometry, std::span<const T> x, std::span<const T> y) {
    const size_t cells = static_cast<size_t>(geometry.size());
    if (x.size() != cells || y.size() != cells)
        throw InputError("EMD on geometry \"" + geometry.name() + "\" needs maps of " + std::to_string(cells) +
                         " cells, got " + std::to_string(x.size()) + " (input) and " + std::to_string(y.size()) +
                         " (output)");
    NormalizedMaps maps;
    maps.xSum = nonNegativeSum(x, "input");
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

// ---------------------------------------------------------------------------------------------
// Fast solver: a transportation simplex on the sparse, reduced problem.
//
// Balanced transportation problem: ship supply[i] from m sources to demand[j] at n sinks, cost
// cost[i*n+j] per unit. The basis is a spanning tree of the bipartite source/sink graph with
// exactly m+n-1 cells (some may carry zero flow: degeneracy). Tree node ids: sources 0..m-1, sinks
// m..m+n-1, rooted at source 0, with dual potentials u_i + v_j = cost on basis cells. Each pivot
// prices every cell (O(mn)), moves flow around the cycle the entering cell closes, and re-hangs
// only the subtree cut off by the leaving cell (O(its size)).
//
// Anti-cycling: pivots use Dantzig's rule (most negative reduced cost). Cycling can only happen
// during a run of degenerate pivots, so after m+n degenerate pivots in a row the solver switches to
// Bland's rule (first improving cell in row-major order enters; among tied leaving cells the one
// with the smallest row-major key leaves), which cannot cycle, until a pivot moves mass again.
class TransportationSimplex {
public:
    // The problem: the caller fills these (cost row-major, supply.size() x demand.size()), then
    // calls solve(). Kept between solves so their capacity is reused.
    std::vector<double> supply, demand, cost;
    // Optional, for a faster start: the rank of each cost among rankCount distinct values (equal
    // costs share a rank, larger costs have larger ranks), so that cells sort by counting. Left
    // empty, the costs are sorted by comparison.
    std::vector<int> costRank;
    int rankCount = 0;

    // Returns the optimal total cost.
    double solve();
    int pivots() const { return pivots_; }

private:
    struct CycleEdge {
        int basisIndex;
        bool decreases;
        bool sourceSide;  // on the tree path from the entering cell's source (else its sink)
    };

    void sortCellsByCost();
    void startWithCheapestCells();
    void addBasisCell(int i, int j, double flow);
    void buildTree();
    int enteringCell(bool bland, double tolerance) const;
    void collectCycle(int source, int sinkNode);
    int leavingEdge(bool bland, double& theta) const;
    void pivot(int enteringKey, bool bland, double& theta);
    void detachEdge(int e);
    void attachEdge(int e);
    int hangSubtree(int top, int newParent, int viaEdge);

    int m_ = 0, n_ = 0;
    int pivots_ = 0;
    // Basis: m+n-1 cells (source i, sink j, flow).
    std::vector<int> basisSource_, basisSink_;
    std::vector<double> basisFlow_;
    // The tree: basis cells at each node, and each node's parent, edge to it and depth.
    std::vector<std::vector<int>> nodeEdges_;
    std::vector<int> parent_, parentEdge_, depth_, stack_;
    std::vector<double> potential_;  // u_i for sources, v_j for sinks: u_i + v_j = cost on basis cells
    std::vector<CycleEdge> cycle_;
    // Start-up scratch.
    std::vector<std::pair<double, int>> costKeyPairs_;
    std::vector<int> cellsByCost_, rankStart_;
    std::vector<double> remainingSupply_, remainingDemand_;
    std::vector<char> rowOpen_, columnOpen_;
};

// Fills cellsByCost_ with every cell key i*n+j in nondecreasing cost.
void TransportationSimplex::sortCellsByCost() {
    const size_t cells = static_cast<size_t>(m_) * n_;
    cellsByCost_.resize(cells);
    if (!costRank.empty()) {
        rankStart_.assign(rankCount + 1, 0);
        for (size_t k = 0; k < cells; ++k) ++rankStart_[costRank[k] + 1];
        for (int r = 0; r < rankCount; ++r) rankStart_[r + 1] += rankStart_[r];
        for (size_t k = 0; k < cells; ++k) cellsByCost_[rankStart_[costRank[k]]++] = static_cast<int>(k);
        return;
    }
    costKeyPairs_.resize(cells);
    for (size_t k = 0; k < cells; ++k) costKeyPairs_[k] = {cost[k], static_cast<int>(k)};
    std::sort(costKeyPairs_.begin(), costKeyPairs_.end());
    for (size_t k = 0; k < cells; ++k) cellsByCost_[k] = costKeyPairs_[k].second;
}

void TransportationSimplex::addBasisCell(int i, int j, double flow) {
    basisSource_.push_back(i);
    basisSink_.push_back(j);
    basisFlow_.push_back(flow);
}

// Greedy start (matrix-minimum method): take cells in increasing cost, ship as much as the row
// and column still allow, and close exactly one line per cell (both at the very last cell). Each
// line then "owns" one basis cell, which makes the m+n-1 cells a spanning tree. Remaining amounts
// can differ from zero by rounding when total supply and demand differ by an ulp; the last line
// absorbs that.
void TransportationSimplex::startWithCheapestCells() {
    sortCellsByCost();
    remainingSupply_.assign(supply.begin(), supply.end());
    remainingDemand_.assign(demand.begin(), demand.end());
    rowOpen_.assign(m_, 1);
    columnOpen_.assign(n_, 1);
    basisSource_.clear();
    basisSink_.clear();
    basisFlow_.clear();
    int rowsOpen = m_, columnsOpen = n_;
    for (const int key : cellsByCost_) {
        const int i = key / n_, j = key - i * n_;
        if (!rowOpen_[i] || !columnOpen_[j]) continue;
        if (rowsOpen == 1 && columnsOpen == 1) {
            addBasisCell(i, j, std::max(0.0, std::min(remainingSupply_[i], remainingDemand_[j])));
            break;
        }
        bool closeRow;
        if (rowsOpen == 1) closeRow = false;
        else if (columnsOpen == 1) closeRow = true;
        else closeRow = remainingSupply_[i] <= remainingDemand_[j];
        if (closeRow) {
            const double amount = std::max(0.0, remainingSupply_[i]);
            remainingDemand_[j] -= amount;
            rowOpen_[i] = 0;
            --rowsOpen;
            addBasisCell(i, j, amount);
        } else {
            const double amount = std::max(0.0, remainingDemand_[j]);
            remainingSupply_[i] -= amount;
            columnOpen_[j] = 0;
            --columnsOpen;
            addBasisCell(i, j, amount);
        }
    }
    if (basisFlow_.size() != static_cast<size_t>(m_ + n_ - 1))
        throw Error("EMD simplex: incomplete starting basis (internal error)");
}

void TransportationSimplex::detachEdge(int e) {
    for (const int node : {basisSource_[e], m_ + basisSink_[e]}) {
        std::vector<int>& edges = nodeEdges_[node];
        *std::find(edges.begin(), edges.end(), e) = edges.back();
        edges.pop_back();
    }
}

void TransportationSimplex::attachEdge(int e) {
    nodeEdges_[basisSource_[e]].push_back(e);
    nodeEdges_[m_ + basisSink_[e]].push_back(e);
}

// Makes `top` and everything connected to it (not through viaEdge, which must not be attached
// yet) a subtree hanging from newParent through viaEdge (newParent -1: `top` is the root), and sets
// parents, depths and potentials there. A node's potential is always its parent edge's cost minus
// its parent's potential (the root's is 0), so the potentials equal those of a tree built from
// scratch, bit for bit: updating them pivot by pivot accumulates no rounding. Returns the number
// of nodes in the subtree.
int TransportationSimplex::hangSubtree(int top, int newParent, int viaEdge) {
    auto hang = [&](int node, int parent, int edge) {
        parent_[node] = parent;
        parentEdge_[node] = edge;
        depth_[node] = parent < 0 ? 0 : depth_[parent] + 1;
        potential_[node] =
            parent < 0 ? 0.0 : cost[static_cast<size_t>(basisSource_[edge]) * n_ + basisSink_[edge]] - potential_[parent];
    };
    hang(top, newParent, viaEdge);
    stack_.assign(1, top);
    int visited = 1;
    while (!stack_.empty()) {
        const int node = stack_.back();
        stack_.pop_back();
        for (const int e : nodeEdges_[node]) {
            if (e == parentEdge_[node]) continue;
            if (++visited > m_ + n_) throw Error("EMD simplex: basis has a cycle (internal error)");
            const int child = node < m_ ? m_ + basisSink_[e] : basisSource_[e];
            hang(child, node, e);
            stack_.push_back(child);
        }
    }
    return visited;
}

// Builds the tree from the basis, rooted at source 0.
void TransportationSimplex::buildTree() {
    const int nodes = m_ + n_;
    nodeEdges_.resize(nodes);
    for (int v = 0; v < nodes; ++v) nodeEdges_[v].clear();
    for (int e = 0; e < static_cast<int>(basisFlow_.size()); ++e) attachEdge(e);
    parent_.resize(nodes);
    parentEdge_.resize(nodes);
    depth_.resize(nodes);
    potential_.resize(nodes);
    if (hangSubtree(0, -1, -1) != nodes) throw Error("EMD simplex: basis is not a spanning tree (internal error)");
}

// The cell to enter the basis, or -1 when no reduced cost is below -tolerance (optimal).
// Dantzig: the most negative reduced cost; each row's minimum is found with Eigen's vectorized
// reduction and the row is searched for its position only when it beats the best so far.
// Bland: the first cell in row-major order below -tolerance.
int TransportationSimplex::enteringCell(bool bland, double tolerance) const {
    double best = -tolerance;
    int bestKey = -1;
    const Eigen::Map<const Eigen::ArrayXd> sinkPotential(potential_.data() + m_, n_);
    for (int i = 0; i < m_; ++i) {
        const Eigen::Map<const Eigen::ArrayXd> row(cost.data() + static_cast<size_t>(i) * n_, n_);
        const double u = potential_[i];
        if (((row - u) - sinkPotential).minCoeff() >= best) continue;
        for (int j = 0; j < n_; ++j) {
            const double reduced = row[j] - u - sinkPotential[j];
            if (reduced < best) {
                if (bland) return i * n_ + j;
                best = reduced;
                bestKey = i * n_ + j;
            }
        }
    }
    return bestKey;
}

// The tree path between `source` and `sinkNode`, which with the entering cell (source, sink)
// forms the pivot cycle. Going around the cycle source -> sink (entering, +) -> ... edges
// alternate; a tree edge traversed sink -> source loses flow. On the sink's side of the path that
// is an edge whose lower node is a sink, on the source's side one whose lower node is a source.
void TransportationSimplex::collectCycle(int source, int sinkNode) {
    cycle_.clear();
    int a = source, b = sinkNode;
    auto stepSource = [&] {
        cycle_.push_back({parentEdge_[a], a < m_, true});
        a = parent_[a];
    };
    auto stepSink = [&] {
        cycle_.push_back({parentEdge_[b], b >= m_, false});
        b = parent_[b];
    };
    while (depth_[a] > depth_[b]) stepSource();
    while (depth_[b] > depth_[a]) stepSink();
    while (a != b) {
        stepSource();
        stepSink();
    }
}

// Index into cycle_ of the edge leaving the basis; theta = its flow, the amount moved.
int TransportationSimplex::leavingEdge(bool bland, double& theta) const {
    auto key = [&](int c) {
        const int e = cycle_[c].basisIndex;
        return basisSource_[e] * n_ + basisSink_[e];
    };
    int leaving = -1;
    theta = std::numeric_limits<double>::infinity();
    for (int c = 0; c < static_cast<int>(cycle_.size()); ++c) {
        if (!cycle_[c].decreases) continue;
        const double flow = basisFlow_[cycle_[c].basisIndex];
        if (flow < theta || (bland && flow == theta && key(c) < key(leaving))) {
            theta = flow;
            leaving = c;
        }
    }
    return leaving;
}

// Enters cell enteringKey, sets theta to the mass moved.
void TransportationSimplex::pivot(int enteringKey, bool bland, double& theta) {
    const int enterI = enteringKey / n_, enterJ = enteringKey - enterI * n_;
    const int sourceNode = enterI, sinkNode = m_ + enterJ;
    collectCycle(sourceNode, sinkNode);
    const CycleEdge out = cycle_[leavingEdge(bland, theta)];
    for (const CycleEdge& edge : cycle_) basisFlow_[edge.basisIndex] += edge.decreases ? -theta : theta;

    // Removing the leaving cell cuts off the subtree below it, which holds the entering cell's end
    // on the same side of the cycle. Re-hang that subtree from the other end through the entering
    // cell, which takes the leaving cell's slot.
    const int inside = out.sourceSide ? sourceNode : sinkNode;
    const int outside = out.sourceSide ? sinkNode : sourceNode;
    const int slot = out.basisIndex;
    detachEdge(slot);
    basisSource_[slot] = enterI;
    basisSink_[slot] = enterJ;
    basisFlow_[slot] = theta;
    hangSubtree(inside, outside, slot);
    attachEdge(slot);
}

double TransportationSimplex::solve() {
    m_ = static_cast<int>(supply.size());
    n_ = static_cast<int>(demand.size());
    pivots_ = 0;
    if (cost.size() != static_cast<size_t>(m_) * n_ ||
        !(costRank.empty() || costRank.size() == cost.size()))
        throw Error("EMD simplex: inconsistent problem sizes (internal error)");
    if (m_ == 0 || n_ == 0) return 0.0;
    startWithCheapestCells();

    const double tolerance = kCostTolerance * std::max(1.0, largestCost(cost));
    double totalMass = 0.0;
    for (double s : supply) totalMass += s;
    const double degenerateMass = kDegenerateMass * totalMass;
    const int degenerateRunBeforeBland = m_ + n_;
    const int64_t maxPivots = 100000 + 10 * static_cast<int64_t>(m_) * n_;
    int degenerateRun = 0;

    buildTree();
    for (;;) {
        const bool bland = degenerateRun >= degenerateRunBeforeBland;
        const int entering = enteringCell(bland, tolerance);
        if (entering < 0) break;
        if (++pivots_ > maxPivots)
            throw Error("EMD simplex did not converge within " + std::to_string(maxPivots) + " pivots (" +
                        std::to_string(m_) + " sources, " + std::to_string(n_) + " sinks)");
        double theta;
        pivot(entering, bland, theta);
        degenerateRun = theta <= degenerateMass ? degenerateRun + 1 : 0;
    }

    double total = 0.0;
    for (size_t e = 0; e < basisFlow_.size(); ++e)
        total += basisFlow_[e] * cost[static_cast<size_t>(basisSource_[e]) * n_ + basisSink_[e]];
    return total;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

// Per-solver state. Besides the simplex and the reduced problem's cell lists it keeps, for
// geometries of up to kMaxCellsForRankTable cells, the rank of every distance among the distinct
// distances of the geometry (computed once), so that each solve orders its cells by counting.
constexpr int kMaxCellsForRankTable = 1024;  // 4 MiB of ranks

struct EmdSolver::Workspace {
    explicit Workspace(const Geometry& geometry);

    TransportationSimplex simplex;
    std::vector<int> sourceCells, sinkCells;  // geometry cell of each source / sink
    std::vector<int> distanceRank;            // row-major like the distance matrix, or empty
    int lastPivots = 0;
};

EmdSolver::Workspace::Workspace(const Geometry& geometry) {
    const int cells = geometry.size();
    if (cells > kMaxCellsForRankTable) return;
    std::vector<double> distinct(geometry.distanceRow(0), geometry.distanceRow(0) + static_cast<size_t>(cells) * cells);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    distanceRank.resize(static_cast<size_t>(cells) * cells);
    for (size_t k = 0; k < distanceRank.size(); ++k)
        distanceRank[k] = static_cast<int>(
            std::lower_bound(distinct.begin(), distinct.end(), geometry.distanceRow(0)[k]) - distinct.begin());
    simplex.rankCount = static_cast<int>(distinct.size());
}

EmdSolver::EmdSolver(const Geometry& geometry)
    : geometry_(&geometry), workspace_(std::make_unique<Workspace>(geometry)) {}
EmdSolver::~EmdSolver() = default;
EmdSolver::EmdSolver(EmdSolver&&) noexcept = default;
EmdSolver& EmdSolver::operator=(EmdSolver&&) noexcept = default;

int EmdSolver::lastPivotCount() const { return workspace_->lastPivots; }

namespace {

// With a metric ground cost the optimal cost depends only on p - q (Kantorovich-Rubinstein
// duality: W1(p, q) = max over 1-Lipschitz f of sum f (p - q)), so the mass min(p_i, q_i) that
// both maps share can stay where it is. Only cells where p exceeds q send and only cells where q
// exceeds p receive: the two sides are disjoint and together hold at most geometry.size() cells,
// and every zero-mass cell drops out. This shrinks the LP a lot for maps that mostly agree.
template <typename Workspace, typename T>
double solveFast(const Geometry& geometry, Workspace& work, std::span<const T> x, std::span<const T> y) {
    work.lastPivots = 0;
    const NormalizedMaps maps = prepareMaps(geometry, x, y);
    if (!maps.solve) return maps.sentinel;

    TransportationSimplex& simplex = work.simplex;
    work.sourceCells.clear();
    work.sinkCells.clear();
    simplex.supply.clear();
    simplex.demand.clear();
    for (size_t c = 0; c < x.size(); ++c) {
        const double excess = static_cast<double>(x[c]) / maps.xSum - static_cast<double>(y[c]) / maps.ySum;
        if (excess > 0.0) {
            work.sourceCells.push_back(static_cast<int>(c));
            simplex.supply.push_back(excess);
        } else if (excess < 0.0) {
            work.sinkCells.push_back(static_cast<int>(c));
            simplex.demand.push_back(-excess);
        }
    }
    const int m = static_cast<int>(work.sourceCells.size()), n = static_cast<int>(work.sinkCells.size());
    if (m == 0 || n == 0) return 0.0;
    const size_t cellCount = static_cast<size_t>(geometry.size());
    const bool ranked = !work.distanceRank.empty();
    simplex.cost.resize(static_cast<size_t>(m) * n);
    simplex.costRank.resize(ranked ? simplex.cost.size() : 0);
    for (int i = 0; i < m; ++i) {
        const double* distances = geometry.distanceRow(work.sourceCells[i]);
        double* row = simplex.cost.data() + static_cast<size_t>(i) * n;
        for (int j = 0; j < n; ++j) row[j] = distances[work.sinkCells[j]];
        if (!ranked) continue;
        const int* ranks = work.distanceRank.data() + work.sourceCells[i] * cellCount;
        int* rankRow = simplex.costRank.data() + static_cast<size_t>(i) * n;
        for (int j = 0; j < n; ++j) rankRow[j] = ranks[work.sinkCells[j]];
    }
    const double total = simplex.solve();
    work.lastPivots = simplex.pivots();
    return total;
}

}  // namespace

double EmdSolver::operator()(std::span<const double> x, std::span<const double> y) {
    return solveFast(*geometry_, *workspace_, x, y);
}

double EmdSolver::operator()(std::span<const float> x, std::span<const float> y) {
    return solveFast(*geometry_, *workspace_, x, y);
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
