#include "core/metrics/transportation_simplex.h"

#include "core/common/error.h"
#include "core/metrics/cut_pricing.h"

#include <Eigen/Core>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

namespace flipscope {
namespace {

// A warm start is kept only when every cell outside the optimal basis is priced clearly apart
// from a tie: more than this fraction of the largest cost above zero, or, for a tie, more than this
// above zero in tie-break cost. Closer prices could be classed otherwise by another solve's
// rounding, which could then end at another optimal basis.
constexpr double kTieMargin = 1e-9;

// Lexicographic order of (reduced cost, tie-break reduced cost), costs within the tolerance of
// each other counting as equal.
bool lexicographicallyBelow(double a, double tieA, double b, double tieB, double tolerance) {
    return a < b - tolerance || (a <= b + tolerance && tieA < tieB);
}

// The cell (source * n + sink) joining node `a` to node `b` of an m x n problem, one a source and
// the other a sink.
inline size_t cellJoining(int a, int b, int m, int n) {
    return a < m ? static_cast<size_t>(a) * n + (b - m) : static_cast<size_t>(b) * n + (a - m);
}

double largestCost(const std::vector<double>& costs) {
    double largest = 0.0;
    for (double c : costs) largest = std::max(largest, c);
    return largest;
}

// The cells (i, j) of an m x n problem whose prices are not clear (see pricesAreClear): reduced
// cost (cost - u_i) - v_j at most `margin` and either at least `tie` (near zero, not a tie), below
// `infeasible` (the basis is not optimal at all), or with a tie-break reduced cost at most
// `tieMargin`. Four cells at a time in SIMD registers (a comparison
// gives -1 in a lane where it holds, so subtracting the combined masks counts), the last ones on
// their own; built for AVX2 and the baseline (two registers per four cells). Each lane's arithmetic
// is the scalar one, so the count does not depend on the build.
struct UnclearThresholds {
    double margin, tie, infeasible, tieMargin;
};
__attribute__((target_clones("avx2", "default"))) int64_t countUnclearCells(const double* cost, const double* tieCost,
                                                                           int m, int n, const double* potential,
                                                                           const double* tiePotential,
                                                                           UnclearThresholds limits) {
    typedef double Quad __attribute__((vector_size(32)));
    typedef int64_t Mask __attribute__((vector_size(32)));
    const double* sinkPotential = potential + m;
    const double* sinkTiePotential = tiePotential + m;
    Mask counts{};
    int64_t unclear = 0;
    for (int i = 0; i < m; ++i) {
        const double* row = cost + static_cast<size_t>(i) * n;
        const double* tieRow = tieCost + static_cast<size_t>(i) * n;
        const double u = potential[i], tieU = tiePotential[i];
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            Quad c, t, v, tv;
            std::memcpy(&c, row + j, sizeof c);
            std::memcpy(&t, tieRow + j, sizeof t);
            std::memcpy(&v, sinkPotential + j, sizeof v);
            std::memcpy(&tv, sinkTiePotential + j, sizeof tv);
            const Quad reduced = (c - u) - v, tieReduced = (t - tieU) - tv;
            counts -= (reduced <= limits.margin) &
                      ((reduced >= limits.tie) | (reduced < limits.infeasible) | (tieReduced <= limits.tieMargin));
        }
        for (; j < n; ++j) {
            const double reduced = (row[j] - u) - sinkPotential[j];
            const double tieReduced = (tieRow[j] - tieU) - sinkTiePotential[j];
            unclear += reduced <= limits.margin &&
                       (reduced >= limits.tie || reduced < limits.infeasible || tieReduced <= limits.tieMargin);
        }
    }
    return unclear + counts[0] + counts[1] + counts[2] + counts[3];
}

}  // namespace

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

// Up to 64 nodes the tree's edges are kept as neighbour masks (bit v of a node's mask: an edge to
// node v) and the basis index of each edge by cell (edgeOfCell_); above that, as edge lists.
bool TransportationSimplex::masked() const { return m_ + n_ <= 64; }

size_t TransportationSimplex::cellBetween(int a, int b) const { return cellJoining(a, b, m_, n_); }

void TransportationSimplex::detachEdge(int e) {
    if (masked()) {
        adjacencyMask_[basisSource_[e]] &= ~(uint64_t{1} << (m_ + basisSink_[e]));
        adjacencyMask_[m_ + basisSink_[e]] &= ~(uint64_t{1} << basisSource_[e]);
        return;
    }
    for (const int node : {basisSource_[e], m_ + basisSink_[e]}) {
        int* edges = nodeEdges(node);
        *std::find(edges, edges + degree_[node], e) = edges[degree_[node] - 1];
        --degree_[node];
    }
}

// (Inline: attachAllEdges calls it for every basis cell.)
inline void TransportationSimplex::attachEdge(int e) {
    if (masked()) {
        adjacencyMask_[basisSource_[e]] |= uint64_t{1} << (m_ + basisSink_[e]);
        adjacencyMask_[m_ + basisSink_[e]] |= uint64_t{1} << basisSource_[e];
        edgeOfCell_[static_cast<size_t>(basisSource_[e]) * n_ + basisSink_[e]] = e;
        return;
    }
    for (const int node : {basisSource_[e], m_ + basisSink_[e]}) nodeEdges(node)[degree_[node]++] = e;
}

// The edge sets of all basis cells, from empty.
void TransportationSimplex::attachAllEdges() {
    clearEdges();
    for (int e = 0; e < static_cast<int>(basisFlow_.size()); ++e) attachEdge(e);
}

// Empty edge sets for the current m_ + n_ nodes.
void TransportationSimplex::clearEdges() {
    const int nodes = m_ + n_;
    if (masked()) {
        adjacencyMask_.assign(nodes, 0);
        edgeOfCell_.resize(static_cast<size_t>(m_) * n_);  // entries are read only for edges present
        return;
    }
    adjacencyMask_.clear();
    adjacency_.resize(static_cast<size_t>(nodes) * nodes);  // a node has fewer than `nodes` edges
    degree_.assign(nodes, 0);
}

// Makes `top` and everything connected to it (not through viaEdge, which must not be attached
// yet) a subtree hanging from newParent through viaEdge (newParent -1: `top` is the root), and sets
// parents, depths and potentials there. A node's potential is always its parent edge's cost minus
// its parent's potential (the root's is 0), so the potentials equal those of a tree built from
// scratch, bit for bit: updating them pivot by pivot accumulates no rounding. Returns the number
// of nodes in the subtree.
int TransportationSimplex::hangSubtree(int top, int newParent, int viaEdge) {
    // Plain pointers: the stores below would otherwise make the compiler reload every vector's
    // data pointer for each node.
    int* parent = parent_.data();
    int* parentEdge = parentEdge_.data();
    int* depth = depth_.data();
    double* potential = potential_.data();
    double* tiePotential = tiePotential_.data();
    const int* source = basisSource_.data();
    const int* sink = basisSink_.data();
    const double* costs = cost.data();
    const double* tieCosts = tieCost.data();
    const int m = m_, n = n_, nodes = m_ + n_;
    // `node` hangs from `above` through basis cell `edge`, which is cell `key` (i * n + j).
    auto hang = [&](int node, int above, int edge, size_t key) {
        parent[node] = above;
        parentEdge[node] = edge;
        if (above < 0) {
            depth[node] = 0;
            potential[node] = tiePotential[node] = 0.0;
            return;
        }
        depth[node] = depth[above] + 1;
        potential[node] = costs[key] - potential[above];
        tiePotential[node] = tieCosts[key] - tiePotential[above];
    };
    hang(top, newParent, viaEdge, viaEdge < 0 ? 0 : static_cast<size_t>(source[viaEdge]) * n + sink[viaEdge]);
    // Each node is pushed once, so the stack never holds more than the nodes.
    stack_.resize(nodes);
    int* stack = stack_.data();
    int size = 0;
    stack[size++] = top;
    int visited = 1;
    auto countVisit = [&] {
        if (++visited > nodes) throw Error("EMD simplex: basis has a cycle (internal error)");
    };
    if (masked()) {
        const uint64_t* neighbours = adjacencyMask_.data();
        const int* edgeOfCell = edgeOfCell_.data();
        while (size > 0) {
            const int node = stack[--size];
            const int above = parent[node];
            uint64_t children = neighbours[node] & ~(above < 0 ? uint64_t{0} : uint64_t{1} << above);
            for (; children; children &= children - 1) {
                countVisit();
                const int child = std::countr_zero(children);
                const size_t key = cellBetween(node, child);
                hang(child, node, edgeOfCell[key], key);
                stack[size++] = child;
            }
        }
        return visited;
    }
    const int* degree = degree_.data();
    while (size > 0) {
        const int node = stack[--size];
        const int* edges = nodeEdges(node);
        const int up = parentEdge[node];
        for (int k = 0; k < degree[node]; ++k) {
            const int e = edges[k];
            if (e == up) continue;
            countVisit();
            const int child = node < m ? m + sink[e] : source[e];
            hang(child, node, e, static_cast<size_t>(source[e]) * n + sink[e]);
            stack[size++] = child;
        }
    }
    return visited;
}

// Builds the tree from the basis, rooted at source 0.
void TransportationSimplex::buildTree() {
    const int nodes = m_ + n_;
    attachAllEdges();
    parent_.resize(nodes);
    parentEdge_.resize(nodes);
    depth_.resize(nodes);
    potential_.resize(nodes);
    tiePotential_.resize(nodes);
    orderValid_ = false;
    subtreesValid_ = false;
    treeExact_ = true;
    if (masked()) {
        levelTree(true);
        return;
    }
    if (hangSubtree(0, -1, -1) != nodes) throw Error("EMD simplex: basis is not a spanning tree (internal error)");
}

void TransportationSimplex::copyStateFrom(const TransportationSimplex& other, bool withCosts) {
    if (withCosts) {
        cost = other.cost;
        tieCost = other.tieCost;
    }
    costScale = other.costScale;
    m_ = other.m_;
    n_ = other.n_;
    pivots_ = other.pivots_;
    tolerance_ = other.tolerance_;
    basisSource_ = other.basisSource_;
    basisSink_ = other.basisSink_;
    basisFlow_ = other.basisFlow_;
    parent_ = other.parent_;
    parentEdge_ = other.parentEdge_;
    depth_ = other.depth_;
    potential_ = other.potential_;
    tiePotential_ = other.tiePotential_;
    order_ = other.order_;
    depthStart_ = other.depthStart_;
    orderValid_ = other.orderValid_;
    flowSteps_ = other.flowSteps_;
    subtree_ = other.subtree_;
    subtreesValid_ = other.subtreesValid_;
    treeExact_ = other.treeExact_;
    flowsCanonical_ = other.flowsCanonical_;
    treeTotal_ = other.treeTotal_;
    lastOptimal_ = other.lastOptimal_;
    lastClear_ = other.lastClear_;
    if (masked()) {  // the neighbour masks and cell edges are small: copied as they are
        adjacencyMask_ = other.adjacencyMask_;
        edgeOfCell_ = other.edgeOfCell_;
        return;
    }
    // The adjacency anew from the basis rather than a copy of its nodes x nodes array (the order
    // of a node's edges changes no result: only which nodes a walk reaches).
    attachAllEdges();
}

void TransportationSimplex::potentials(std::vector<double>& out) const {
    out.assign(potential_.begin(), potential_.end());
    out.insert(out.end(), tiePotential_.begin(), tiePotential_.end());
}

// The cell to enter the basis, or -1 when no reduced cost is below -tolerance.
// Dantzig: the most negative reduced cost; each row's minimum is found with Eigen's vectorized
// reduction and the row is searched for its position only when it beats the best so far.
// Bland: the first cell in row-major order below -tolerance.
int TransportationSimplex::enteringCell(bool bland) const {
    double best = -tolerance_;
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

// Once no cell lowers the cost: the cell to enter among those priced zero (within the tolerance)
// that lowers the tie-break cost, by the same rules; -1 when none does (the lexicographic optimum).
int TransportationSimplex::enteringTie(bool bland) const {
    double best = -kTieCostTolerance;
    int bestKey = -1;
    const Eigen::Map<const Eigen::ArrayXd> sinkPotential(potential_.data() + m_, n_);
    const Eigen::Map<const Eigen::ArrayXd> sinkTiePotential(tiePotential_.data() + m_, n_);
    const double inf = std::numeric_limits<double>::infinity();
    for (int i = 0; i < m_; ++i) {
        const Eigen::Map<const Eigen::ArrayXd> row(cost.data() + static_cast<size_t>(i) * n_, n_);
        const Eigen::Map<const Eigen::ArrayXd> tieRow(tieCost.data() + static_cast<size_t>(i) * n_, n_);
        const double u = potential_[i], tieU = tiePotential_[i];
        const auto zeroPriced = ((row - u) - sinkPotential) <= tolerance_;
        if (zeroPriced.select((tieRow - tieU) - sinkTiePotential, inf).minCoeff() >= best) continue;
        for (int j = 0; j < n_; ++j) {
            if (!(row[j] - u - sinkPotential[j] <= tolerance_)) continue;
            const double reduced = tieRow[j] - tieU - sinkTiePotential[j];
            if (reduced < best) {
                if (bland) return i * n_ + j;
                best = reduced;
                bestKey = i * n_ + j;
            }
        }
    }
    return bestKey;
}

// Dantzig pivots (Bland's after a long degenerate run) from a feasible basis to the
// lexicographic optimum: first the cost, then the tie-break cost among cells priced zero.
void TransportationSimplex::improveToOptimal() {
    double totalMass = 0.0;
    for (double s : supply) totalMass += s;
    const double degenerateMass = kDegenerateMass * totalMass;
    const int degenerateRunBeforeBland = m_ + n_;
    const int64_t maxPivots = 100000 + 10 * static_cast<int64_t>(m_) * n_;
    int degenerateRun = 0;
    for (;;) {
        const bool bland = degenerateRun >= degenerateRunBeforeBland;
        int entering = enteringCell(bland);
        if (entering < 0) entering = enteringTie(bland);
        if (entering < 0) break;
        if (++pivots_ > maxPivots)
            throw Error("EMD simplex did not converge within " + std::to_string(maxPivots) + " pivots (" +
                        std::to_string(m_) + " sources, " + std::to_string(n_) + " sinks)");
        double theta;
        pivot(entering, bland, theta);
        degenerateRun = theta <= degenerateMass ? degenerateRun + 1 : 0;
    }
}

// The cut a dual pivot on basis cell `leaving` makes: removing it splits the tree into the subtree
// below it and the rest. A cell (k, l) closes a cycle through the leaving cell that raises its flow
// when k is on the leaving sink's side and l on the leaving source's side, and the pivot prices
// those cells only (one side is often a small subtree: 58 cells on average on ECON-T, against 576
// in all). Up to 64 nodes those sources (rows) and sinks (columns) come as bit masks from the kept
// subtree masks (bit l for sink l):
std::pair<uint64_t, uint64_t> TransportationSimplex::cutMasks(int leaving) const {
    const int sourceNode = basisSource_[leaving], sinkNode = m_ + basisSink_[leaving];
    const int lower = parentEdge_[sourceNode] == leaving ? sourceNode : sinkNode;
    const int nodes = m_ + n_;
    const uint64_t below = subtree_[lower];
    const uint64_t all = nodes == 64 ? ~uint64_t{0} : (uint64_t{1} << nodes) - 1;
    const uint64_t sources = (uint64_t{1} << m_) - 1;  // m_ < 64: there is a sink
    const uint64_t sourceSide = (below >> sourceNode) & 1 ? below : all & ~below;
    return {sources & ~sourceSide, (sourceSide & ~sources) >> m_};
}

// Above 64 nodes, listed ascending in candidateRows_ and candidateColumns_ by a walk of the subtree.
void TransportationSimplex::listCandidates(int leaving, int& rowCount, int& columnCount) {
    const int sourceNode = basisSource_[leaving], sinkNode = m_ + basisSink_[leaving];
    const int lower = parentEdge_[sourceNode] == leaving ? sourceNode : sinkNode;
    int* rows = candidateRows_.data();
    int* columns = candidateColumns_.data();
    rowCount = columnCount = 0;
    const int nodes = m_ + n_;
    char* inSubtree = inSubtree_.data();
    const int* parentEdge = parentEdge_.data();
    const int* degree = degree_.data();
    const int* source = basisSource_.data();
    const int* sink = basisSink_.data();
    std::fill(inSubtree_.begin(), inSubtree_.end(), 0);
    stack_.resize(nodes);
    int* stack = stack_.data();
    int size = 0;
    stack[size++] = lower;
    while (size > 0) {
        const int node = stack[--size];
        inSubtree[node] = 1;
        const int* edges = nodeEdges(node);
        const int up = parentEdge[node];
        for (int k = 0; k < degree[node]; ++k)
            if (const int e = edges[k]; e != up) stack[size++] = node < m_ ? m_ + sink[e] : source[e];
    }
    // Branch-free: which side a node is on is not predictable.
    const char sourceSideMark = inSubtree[sourceNode];
    for (int k = 0; k < m_; ++k) {
        rows[rowCount] = k;
        rowCount += inSubtree[k] != sourceSideMark;
    }
    for (int l = 0; l < n_; ++l) {
        columns[columnCount] = l;
        columnCount += inSubtree[m_ + l] == sourceSideMark;
    }
}

// Dual simplex pivots: from a basis whose reduced costs are all lexicographically >= 0 (its prices
// are optimal) but which ships some negative flow, the most negative cell leaves; of the cells that
// reconnect the two halves of the tree in the direction that raises the leaving cell's flow, the
// one with the lexicographically smallest reduced costs enters, which keeps every reduced cost
// lexicographically >= 0. Returns true once no flow is below -floor, false after maxPivots pivots.
// `lowestFlow`: the lowest flow as solveTreeFlows found it (NaN: not known).
bool TransportationSimplex::restoreFeasibility(double floor, int maxPivots, double lowestFlow) {
    const bool feasible = pivotToFeasible(floor, maxPivots, lowestFlow);
    if (!treeExact_) refreshTree();
    return feasible;
}

bool TransportationSimplex::pivotToFeasible(double floor, int maxPivots, double lowestFlow) {
    inSubtree_.resize(m_ + n_);
    candidateRows_.resize(m_);
    candidateColumns_.resize(n_);
    for (int dualPivots = 0;; ++dualPivots) {
        // The lowest flow (known before the first pivot, else by a vectorized reduction; most
        // calls stop here), then its first cell.
        double lowest = lowestFlow;
        if (dualPivots > 0 || std::isnan(lowest)) {
            const Eigen::Map<const Eigen::ArrayXd> flows(basisFlow_.data(),
                                                         static_cast<Eigen::Index>(basisFlow_.size()));
            lowest = flows.minCoeff();
        }
        if (!(lowest < -floor)) return true;
        if (dualPivots == maxPivots) return false;
        const int leaving = static_cast<int>(std::find(basisFlow_.begin(), basisFlow_.end(), lowest) - basisFlow_.begin());

        // The entering cell among the cells across the cut (cut_pricing.h).
        const CutPrices prices{cost.data(), tieCost.data(), potential_.data(), tiePotential_.data(), m_, n_, tolerance_};
        int entering = -1;
        if (masked()) {
            if (!subtreesValid_) computeSubtrees();
            const auto [rows, columns] = cutMasks(leaving);
            if (rows == 0 || columns == 0) return false;
            entering = cheapestAcrossCut(prices, rows, columns, candidateRows_, candidateColumns_, candidateReduced_);
        } else {
            int rowCount = 0, columnCount = 0;
            listCandidates(leaving, rowCount, columnCount);
            if (rowCount == 0 || columnCount == 0) return false;
            entering = cheapestAcrossCut(prices, candidateRows_.data(), rowCount, candidateColumns_.data(), columnCount,
                                         candidateReduced_);
        }
        const int enterI = entering / n_, enterJ = entering - enterI * n_;
        if (masked()) collectCycleByMasks(enterI, m_ + enterJ);
        else collectCycle(enterI, m_ + enterJ);
        const auto out = std::find_if(cycle_.begin(), cycle_.end(),
                                      [&](const CycleEdge& edge) { return edge.basisIndex == leaving; });
        if (out == cycle_.end() || out->decreases) throw Error("EMD dual simplex: wrong pivot cycle (internal error)");
        ++pivots_;
        if (masked()) {
            const size_t key = static_cast<size_t>(enterI) * n_ + enterJ;
            const double shift = (cost[key] - potential_[enterI]) - potential_[m_ + enterJ];
            const double tieShift = (tieCost[key] - tiePotential_[enterI]) - tiePotential_[m_ + enterJ];
            dualExchange(enterI, enterJ, *out, -lowest, shift, tieShift);
        } else {
            exchange(enterI, enterJ, *out, -lowest);
        }
    }
}

// A warm start is kept only when the optimum reached is clearly the only one: no degenerate cell
// (every flow above `floor`, a tiny share of the mass: a zero flow would let another basis stand
// for the same plan) and clear prices (pricesAreClear).
// lowestFlow: solveTreeFlows's, which stands while no pivot moved flows since.
bool TransportationSimplex::flowsAreNondegenerate(double floor, double lowestFlow) const {
    if (pivots_ == 0) return lowestFlow > floor;  // false for NaN, as below
    for (double flow : basisFlow_)
        if (!(flow > floor)) return false;
    return true;
}

double TransportationSimplex::degenerateFloor() const {
    double totalMass = 0.0;
    for (double s : supply) totalMass += s;
    return kDegenerateMass * totalMass;
}

// True when every cell outside the basis is priced clearly above zero, or priced zero (a tie)
// with a tie-break price clearly above zero. Cells priced near the tolerance are not clear either:
// another solve's rounding could class them the other way. Prices depend on the tree alone. The
// pivots keep every price above minus the tolerance; one below it would mean the basis is not
// optimal (a fault in the warm start's repair, say), and counts as unclear too, so that such a
// result falls back to the cold solve rather than standing.
bool TransportationSimplex::pricesAreClear() const {
    const UnclearThresholds thresholds{kTieMargin / kCostTolerance * tolerance_, 0.5 * tolerance_, -tolerance_,
                                       kTieMargin};
    const int64_t unclear = countUnclearCells(cost.data(), tieCost.data(), m_, n_, potential_.data(),
                                              tiePotential_.data(), thresholds);
    return unclear == static_cast<int64_t>(basisFlow_.size());  // the basis cells themselves
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
    collectCycle(enterI, m_ + enterJ);
    const CycleEdge out = cycle_[leavingEdge(bland, theta)];  // sets theta
    exchange(enterI, enterJ, out, theta);
}

// Moves theta around the pivot cycle in cycle_ and swaps the entering cell (enterI, enterJ) for
// the leaving one, `out`.
void TransportationSimplex::exchange(int enterI, int enterJ, CycleEdge out, double theta) {
    const int sourceNode = enterI, sinkNode = m_ + enterJ;
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
    flowsCanonical_ = false;
    orderValid_ = false;
    subtreesValid_ = false;
}

// collectCycle up to 64 nodes, without depths (which lag after dual exchanges): the entering
// source's side climbs until its subtree holds the entering sink (their lowest common ancestor),
// then the sink's side climbs to it. The same edges and flags, in another order.
void TransportationSimplex::collectCycleByMasks(int source, int sinkNode) {
    cycle_.clear();
    int a = source;
    while (!((subtree_[a] >> sinkNode) & 1)) {
        cycle_.push_back({parentEdge_[a], a < m_, true});
        a = parent_[a];
    }
    for (int b = sinkNode; b != a; b = parent_[b]) cycle_.push_back({parentEdge_[b], b >= m_, false});
}

// exchange for a dual pivot up to 64 nodes, without walking the subtree it re-hangs: the subtree
// masks of the old and new ancestors lose and gain it, the tree path from the entering cell's
// inside end up to the subtree's old top turns around, and the subtree's potentials all move by
// the entering cell's reduced costs (`shift`, `tieShift`: sources of the inside end's kind up,
// the others down), which prices the entering cell zero and leaves every cell inside the subtree
// as it was. Depths, the node order and the potentials' exact roundings lag until refreshTree.
void TransportationSimplex::dualExchange(int enterI, int enterJ, CycleEdge out, double theta, double shift,
                                         double tieShift) {
    const int sourceNode = enterI, sinkNode = m_ + enterJ;
    for (const CycleEdge& edge : cycle_) basisFlow_[edge.basisIndex] += edge.decreases ? -theta : theta;
    const int inside = out.sourceSide ? sourceNode : sinkNode;
    const int outside = out.sourceSide ? sinkNode : sourceNode;
    const int slot = out.basisIndex;
    const int oldSource = basisSource_[slot], oldSink = m_ + basisSink_[slot];
    const int top = parentEdge_[oldSource] == slot ? oldSource : oldSink;
    const uint64_t moved = subtree_[top];
    for (int v = parent_[top]; v >= 0; v = parent_[v]) subtree_[v] &= ~moved;
    // Along the path inside = p0, p1 = parent(p0), ..., top: p(k) now hangs from p(k-1) through
    // the edge that joined them, and holds what p(k-1) did not hold before.
    int above = outside, aboveEdge = slot;
    uint64_t aboveHeld = 0;
    for (int v = inside;;) {
        const int nextV = parent_[v], nextEdge = parentEdge_[v];
        const uint64_t held = subtree_[v];
        parent_[v] = above;
        parentEdge_[v] = aboveEdge;
        subtree_[v] = moved & ~aboveHeld;
        if (v == top) break;
        above = v;
        aboveEdge = nextEdge;
        aboveHeld = held;
        v = nextV;
    }
    for (int v = outside; v >= 0; v = parent_[v]) subtree_[v] |= moved;
    const bool insideIsSource = inside < m_;
    for (uint64_t rest = moved; rest; rest &= rest - 1) {
        const int v = std::countr_zero(rest);
        const double sign = (v < m_) == insideIsSource ? 1.0 : -1.0;
        potential_[v] += sign * shift;
        tiePotential_[v] += sign * tieShift;
    }
    detachEdge(slot);
    basisSource_[slot] = enterI;
    basisSink_[slot] = enterJ;
    basisFlow_[slot] = theta;
    attachEdge(slot);
    flowsCanonical_ = false;
    orderValid_ = false;
    treeExact_ = false;
}

// Each node's subtree mask, from the parents, bottom-up in the node order (up to 64 nodes).
void TransportationSimplex::computeSubtrees() {
    const int nodes = m_ + n_;
    if (!orderValid_) buildOrder();
    subtree_.resize(nodes);
    for (int v = 0; v < nodes; ++v) subtree_[v] = uint64_t{1} << v;
    for (int k = nodes - 1; k > 0; --k) subtree_[parent_[order_[k]]] |= subtree_[order_[k]];
    subtreesValid_ = true;
}

// After dual exchanges (up to 64 nodes): depths, the node order (by depth, then node) and the
// potentials anew, level by level from the root, each potential its parent edge's cost minus its
// parent's, as hangSubtree sets them: the same bits as a tree built from scratch.
void TransportationSimplex::refreshTree() { levelTree(false); }

// refreshTree's walk; with findParents (a new tree) each node's parent and edge to it too: its
// one neighbour on the level above.
void TransportationSimplex::levelTree(bool findParents) {
    if (findParents) levelTreeWith<true>();
    else levelTreeWith<false>();
}

// levelTree with the flag known at compile time. Plain pointers: the stores would otherwise make
// the compiler reload every vector's data pointer for each node. The flow steps (listFlowSteps)
// are written on the way: the node order backwards.
template <bool FindParents>
void TransportationSimplex::levelTreeWith() {
    const int nodes = m_ + n_, m = m_, n = n_;
    const uint64_t* neighbours = adjacencyMask_.data();
    order_.resize(nodes);
    flowSteps_.resize(nodes - 1);
    int* order = order_.data();
    int* parent = parent_.data();
    int* parentEdge = parentEdge_.data();
    int* depthOf = depth_.data();
    double* potential = potential_.data();
    double* tiePotential = tiePotential_.data();
    const double* costs = cost.data();
    const double* tieCosts = tieCost.data();
    const int* edgeOfCell = edgeOfCell_.data();
    FlowStep* steps = flowSteps_.data() + (nodes - 1);  // filled from the back
    int count = 0;
    order[count++] = 0;
    depthOf[0] = 0;
    potential[0] = tiePotential[0] = 0.0;
    if constexpr (FindParents) parent[0] = parentEdge[0] = -1;
    uint64_t level = 1, seen = 1;
    for (int depth = 1; level; ++depth) {
        uint64_t next = 0;
        for (uint64_t f = level; f; f &= f - 1) next |= neighbours[std::countr_zero(f)];
        next &= ~seen;
        seen |= next;
        for (uint64_t f = next; f; f &= f - 1) {
            const int v = std::countr_zero(f);
            int above, edge;
            size_t key;
            if constexpr (FindParents) {
                above = std::countr_zero(neighbours[v] & level);
                key = cellJoining(v, above, m, n);
                edge = edgeOfCell[key];
                parent[v] = above;
                parentEdge[v] = edge;
            } else {
                above = parent[v];
                edge = parentEdge[v];
                key = cellJoining(v, above, m, n);
            }
            depthOf[v] = depth;
            potential[v] = costs[key] - potential[above];
            tiePotential[v] = tieCosts[key] - tiePotential[above];
            order[count++] = v;
            *--steps = {v, above, edge, costs[key]};
        }
        level = next;
    }
    if (count != nodes) throw Error("EMD simplex: basis is not a spanning tree (internal error)");
    orderValid_ = true;
    treeExact_ = true;
}

// order_: the nodes by depth, then node (a counting sort on the depths).
void TransportationSimplex::buildOrder() {
    const int nodes = m_ + n_;
    const int deepest = *std::max_element(depth_.begin(), depth_.begin() + nodes);
    depthStart_.assign(deepest + 2, 0);
    for (int v = 0; v < nodes; ++v) ++depthStart_[depth_[v] + 1];
    for (int d = 0; d <= deepest; ++d) depthStart_[d + 1] += depthStart_[d];
    order_.resize(nodes);
    for (int v = 0; v < nodes; ++v) order_[depthStart_[depth_[v]]++] = v;  // by depth, then node
    listFlowSteps();
}

// flowSteps_: the non-root nodes deepest first (order_ backwards), each with its parent and parent
// edge, for solveTreeFlows; marks order_ valid.
void TransportationSimplex::listFlowSteps() {
    const int nodes = m_ + n_;
    flowSteps_.resize(nodes > 0 ? nodes - 1 : 0);
    for (int k = nodes - 1; k > 0; --k) {
        const int node = order_[k];
        const int edge = parentEdge_[node];
        flowSteps_[nodes - 1 - k] = {node, parent_[node], edge,
                                     cost[static_cast<size_t>(basisSource_[edge]) * n_ + basisSink_[edge]]};
    }
    orderValid_ = true;
}

// Flows of the basis tree for the current supply and demand: deepest nodes first, each node's
// parent edge carries what the node still has to ship (a source) or receive (a sink) after its
// children. Nodes of one depth go in node order, so the roundings depend on the tree alone, not on
// how it was reached. On the way, the total cost: each flow times its edge's cost, added in the
// same order (canonicalTotal). Returns the lowest flow (NaN when a flow is NaN), which spares the
// callers a pass over the flows.
double TransportationSimplex::solveTreeFlows() {
    const int nodes = m_ + n_;
    if (!orderValid_) {  // the tree changed since the last order
        if (treeExact_) buildOrder();
        else refreshTree();
    }
    residual_.resize(nodes);
    std::copy(supply.begin(), supply.end(), residual_.begin());
    std::copy(demand.begin(), demand.end(), residual_.begin() + m_);
    // Consecutive nodes with one parent (siblings, common) subtract from a running value instead
    // of the array: the same subtractions in the same order, without a store and reload between
    // them.
    double* residual = residual_.data();
    double* flow = basisFlow_.data();
    const FlowStep* step = flowSteps_.data();
    const FlowStep* const end = step + (nodes - 1);
    double lowest = std::numeric_limits<double>::infinity();
    double total = 0.0;
    while (step != end) {
        const int parent = step->parent;
        double parentResidual = residual[parent];
        do {
            const double value = residual[step->node];
            flow[step->edge] = value;
            total += value * step->cost;
            lowest = value < lowest ? value : lowest;
            parentResidual -= value;
        } while (++step != end && step->parent == parent);
        residual[parent] = parentResidual;
    }
    treeTotal_ = total;
    // A NaN flow makes the total NaN (whatever the cost), where the lowest-flow test misses it.
    return total != total ? std::numeric_limits<double>::quiet_NaN() : lowest;
}

// The total cost as a function of the problem and the basis tree only: the flows solved on the
// tree and their costs summed as solveTreeFlows goes. Pivot by pivot flow updates would carry the
// rounding of the path taken; this way any solve that ends at the same basis returns the same bits.
double TransportationSimplex::canonicalTotal() {
    if (!flowsCanonical_) {
        solveTreeFlows();
        flowsCanonical_ = true;
    }
    return treeTotal_;
}

const std::vector<int>& TransportationSimplex::basisKeys() const {
    const int nodes = m_ + n_;
    keys_.clear();
    if (m_ == 0 || n_ == 0 || parentEdge_.size() < static_cast<size_t>(nodes)) return keys_;  // no tree
    keys_.resize(nodes - 1);
    for (int v = 1; v < nodes; ++v) {
        const int e = parentEdge_[v];
        keys_[v - 1] = basisSource_[e] * n_ + basisSink_[e];
    }
    return keys_;
}

bool TransportationSimplex::setUp() {
    m_ = static_cast<int>(supply.size());
    n_ = static_cast<int>(demand.size());
    pivots_ = 0;
    keys_.clear();
    flowsCanonical_ = false;
    if (cost.size() != static_cast<size_t>(m_) * n_ || tieCost.size() != cost.size())
        throw Error("EMD simplex: inconsistent problem sizes (internal error)");
    tolerance_ = kCostTolerance * std::max(1.0, costScale > 0.0 ? costScale : largestCost(cost));
    return m_ > 0 && n_ > 0;
}

double TransportationSimplex::solve() {
    if (!setUp()) return 0.0;
    if (!costRank.empty() && costRank.size() != cost.size())
        throw Error("EMD simplex: inconsistent cost ranks (internal error)");
    lastOptimal_ = false;
    startWithCheapestCells();
    buildTree();
    improveToOptimal();
    const double total = canonicalTotal();
    lastOptimal_ = true;
    lastClear_ = false;
    return total;
}

// Completes `keys` (cells of an earlier optimal basis that still exist here) to a spanning tree
// whose reduced costs are all lexicographically >= 0, given dual potentials for the nodes that
// existed before (NaN for new nodes); see solveFrom. Leaves the tree's keys in keys_.
bool TransportationSimplex::repairBasis(std::vector<int> keys, std::vector<double>& potentials) {
    const int nodes = m_ + n_;
    double* u = potentials.data();           // cost potentials, sources then sinks
    double* tieU = potentials.data() + nodes;  // tie-break potentials
    auto reduced = [&](int i, int j) { return cost[static_cast<size_t>(i) * n_ + j] - u[i] - u[m_ + j]; };
    auto tieReduced = [&](int i, int j) { return tieCost[static_cast<size_t>(i) * n_ + j] - tieU[i] - tieU[m_ + j]; };
    auto lexLess = [&](double a, double tieA, double b, double tieB) {
        return lexicographicallyBelow(a, tieA, b, tieB, tolerance_);
    };
    // A new node takes the potentials that make its cheapest cell to a priced node tight, and that
    // cell: new sources first (against the old sinks), then new sinks (against all sources), so
    // every cell prices lexicographically >= 0.
    for (int i = 0; i < m_; ++i) {
        if (!std::isnan(u[i])) continue;
        int best = -1;
        u[i] = tieU[i] = 0.0;
        for (int j = 0; j < n_; ++j)
            if (!std::isnan(u[m_ + j]) &&
                (best < 0 || lexLess(reduced(i, j), tieReduced(i, j), reduced(i, best), tieReduced(i, best))))
                best = j;
        if (best < 0) return false;
        u[i] = reduced(i, best);
        tieU[i] = tieReduced(i, best);
        keys.push_back(i * n_ + best);
    }
    for (int j = 0; j < n_; ++j) {
        if (!std::isnan(u[m_ + j])) continue;
        u[m_ + j] = tieU[m_ + j] = 0.0;
        int best = 0;
        for (int i = 1; i < m_; ++i)
            if (lexLess(reduced(i, j), tieReduced(i, j), reduced(best, j), tieReduced(best, j))) best = i;
        u[m_ + j] = reduced(best, j);
        tieU[m_ + j] = tieReduced(best, j);
        keys.push_back(best * n_ + j);
    }
    if (masked()) return joinComponentsByMasks(std::move(keys), potentials);
    // Components of the forest (union-find).
    component_.resize(nodes);
    for (int v = 0; v < nodes; ++v) component_[v] = v;
    auto find = [&](int v) {
        while (component_[v] != v) v = component_[v] = component_[component_[v]];
        return v;
    };
    int components = nodes;
    for (const int key : keys) {
        const int a = find(key / n_), b = find(m_ + key % n_);
        if (a == b) return false;  // not a forest
        component_[a] = b;
        --components;
    }
    // Join the components one by one: take the cell between some component K and the rest with the
    // lexicographically smallest reduced costs, and shift K's potentials (sources down and sinks up,
    // or the reverse) by those amounts so that it prices zero. Cells inside K keep their prices;
    // cells between K and the rest move by that smallest amount, down in one direction (so they
    // stay >= 0) and up in the other. K is the smallest component apart from the root's, and only
    // the cells between it and the rest are priced (a few rows and columns, not all cells).
    componentSize_.resize(nodes);
    joinNodes_.resize(nodes);
    while (components > 1) {
        const int root = find(0);
        std::fill(componentSize_.begin(), componentSize_.end(), 0);
        for (int v = 0; v < nodes; ++v) ++componentSize_[find(v)];
        int k = -1;
        for (int v = 0; v < nodes; ++v)
            if (const int c = find(v); c != root && (k < 0 || componentSize_[c] < componentSize_[k])) k = c;
        // joinNodes_: K's sources, then the other sources, then K's sinks, then the other sinks.
        int* sources = joinNodes_.data();
        int* sinks = sources + m_;
        int kSources = 0, kSinks = 0;
        for (int i = 0; i < m_; ++i)
            if (find(i) == k) sources[kSources++] = i;
        for (int i = 0, other = kSources; i < m_; ++i)
            if (find(i) != k) sources[other++] = i;
        for (int j = 0; j < n_; ++j)
            if (find(m_ + j) == k) sinks[kSinks++] = j;
        for (int j = 0, other = kSinks; j < n_; ++j)
            if (find(m_ + j) != k) sinks[other++] = j;
        int bestKey = -1;
        double shift = 0.0, tieShift = 0.0;
        bool towardsK = true;  // the cell runs from a source outside K to a sink in K
        auto consider = [&](int i, int j, bool intoK) {
            const double r = reduced(i, j), tieR = tieReduced(i, j);
            if (bestKey < 0 || lexLess(r, tieR, shift, tieShift)) {
                bestKey = i * n_ + j;
                shift = r;
                tieShift = tieR;
                towardsK = intoK;
            }
        };
        for (int a = 0; a < kSources; ++a)
            for (int b = kSinks; b < n_; ++b) consider(sources[a], sinks[b], false);
        for (int a = kSources; a < m_; ++a)
            for (int b = 0; b < kSinks; ++b) consider(sources[a], sinks[b], true);
        if (bestKey < 0) return false;
        for (int a = 0; a < kSources; ++a) {
            const double sign = towardsK ? -1.0 : 1.0;
            u[sources[a]] += sign * shift;
            tieU[sources[a]] += sign * tieShift;
        }
        for (int b = 0; b < kSinks; ++b) {
            const double sign = towardsK ? 1.0 : -1.0;
            u[m_ + sinks[b]] += sign * shift;
            tieU[m_ + sinks[b]] += sign * tieShift;
        }
        component_[find(bestKey / n_)] = find(m_ + bestKey % n_);
        --components;
        keys.push_back(bestKey);
    }
    keys_ = std::move(keys);
    return static_cast<int>(keys_.size()) == nodes - 1;
}

// repairBasis's joins up to 64 nodes: the forest's components as bit masks (flood fills over the
// cells' neighbour masks), and the cheapest cell across a component's cut in each direction from
// the cut pricing (cut_pricing.h), eight cells per register with AVX-512. The same rule as the
// general joins above: any join order and choice among equals ends at the same optimum, which
// the dual pivots then reach.
bool TransportationSimplex::joinComponentsByMasks(std::vector<int> keys, std::vector<double>& potentials) {
    const int nodes = m_ + n_;
    double* u = potentials.data();
    double* tieU = potentials.data() + nodes;
    uint64_t neighbours[64] = {};
    for (const int key : keys) {
        const int i = key / n_, j = key - i * n_;
        neighbours[i] |= uint64_t{1} << (m_ + j);
        neighbours[m_ + j] |= uint64_t{1} << i;
    }
    const uint64_t all = nodes == 64 ? ~uint64_t{0} : (uint64_t{1} << nodes) - 1;
    const uint64_t sources = (uint64_t{1} << m_) - 1, sinks = all >> m_;
    uint64_t components[64];  // components[0] holds node 0 (the first fill starts there)
    int count = 0;
    for (uint64_t left = all; left;) {
        uint64_t component = left & (~left + 1), frontier = component;
        while (frontier) {
            uint64_t next = 0;
            for (uint64_t f = frontier; f; f &= f - 1) next |= neighbours[std::countr_zero(f)];
            frontier = next & ~component;
            component |= frontier;
        }
        components[count++] = component;
        left &= ~component;
    }
    if (static_cast<int>(keys.size()) != nodes - count) return false;  // a cycle: not a forest
    const CutPrices prices{cost.data(), tieCost.data(), u, tieU, m_, n_, tolerance_};
    while (count > 1) {
        int k = 1;  // the smallest component apart from the root's
        for (int c = 2; c < count; ++c)
            if (std::popcount(components[c]) < std::popcount(components[k])) k = c;
        const uint64_t component = components[k];
        const uint64_t kSources = component & sources, kSinks = component >> m_;
        int bestKey = -1;
        double shift = 0.0, tieShift = 0.0;
        bool towardsK = true;  // the cell runs from a source outside K to a sink in K
        auto consider = [&](uint64_t rows, uint64_t columns, bool intoK) {
            if (!rows || !columns) return;
            const int key = cheapestAcrossCut(prices, rows, columns, candidateRows_, candidateColumns_, candidateReduced_);
            const int i = key / n_, j = key - i * n_;
            const double r = (cost[key] - u[i]) - u[m_ + j], tieR = (tieCost[key] - tieU[i]) - tieU[m_ + j];
            if (bestKey < 0 || lexicographicallyBelow(r, tieR, shift, tieShift, tolerance_)) {
                bestKey = key;
                shift = r;
                tieShift = tieR;
                towardsK = intoK;
            }
        };
        consider(kSources, sinks & ~kSinks, false);
        consider(sources & ~kSources, kSinks, true);
        if (bestKey < 0) return false;
        for (uint64_t rest = component; rest; rest &= rest - 1) {
            const int v = std::countr_zero(rest);
            const double sign = (v < m_) == towardsK ? -1.0 : 1.0;  // K's sources down and sinks up, or the reverse
            u[v] += sign * shift;
            tieU[v] += sign * tieShift;
        }
        const int otherEnd = towardsK ? bestKey / n_ : m_ + bestKey % n_;
        int joined = 0;
        while (!((components[joined] >> otherEnd) & 1)) ++joined;
        components[joined] |= component;
        components[k] = components[--count];
        keys.push_back(bestKey);
    }
    keys_ = std::move(keys);
    return static_cast<int>(keys_.size()) == nodes - 1;
}

bool TransportationSimplex::solveFrom(const std::vector<int>& keys, std::vector<double>& potentials, double& total) {
    lastOptimal_ = false;
    if (!setUp() || potentials.size() != 2 * static_cast<size_t>(m_ + n_)) return false;
    for (const int key : keys)
        if (key < 0 || key >= m_ * n_) return false;
    if (!repairBasis(keys, potentials)) return false;
    basisSource_.resize(keys_.size());
    basisSink_.resize(keys_.size());
    basisFlow_.assign(keys_.size(), 0.0);
    for (size_t e = 0; e < keys_.size(); ++e) {
        basisSource_[e] = keys_[e] / n_;
        basisSink_[e] = keys_[e] % n_;
    }
    buildTree();
    const double lowest = solveTreeFlows();
    flowsCanonical_ = true;
    const double floor = degenerateFloor();
    if (!restoreFeasibility(floor, 2 * (m_ + n_), lowest) || !flowsAreNondegenerate(floor, lowest) ||
        !pricesAreClear())
        return false;
    total = canonicalTotal();
    lastOptimal_ = lastClear_ = true;
    return true;
}

bool TransportationSimplex::solveAgain(double& total) {
    const bool wasOptimal = lastOptimal_ && static_cast<int>(supply.size()) == m_ &&
                            static_cast<int>(demand.size()) == n_, wasClear = lastClear_;
    lastOptimal_ = false;
    if (!wasOptimal || !setUp()) return false;
    const double lowest = solveTreeFlows();
    flowsCanonical_ = true;
    const double floor = degenerateFloor();
    if (!restoreFeasibility(floor, 2 * (m_ + n_), lowest) || !flowsAreNondegenerate(floor, lowest)) return false;
    // With no pivot the prices are the last solve's; checked once per tree.
    if ((pivots_ > 0 || !wasClear) && !pricesAreClear()) return false;
    total = canonicalTotal();
    lastOptimal_ = lastClear_ = true;
    return true;
}

}  // namespace flipscope
