#pragma once
// The exact solver behind EmdSolver (emd.h): a transportation simplex.
//
// Balanced transportation problem: ship supply[i] from m sources to demand[j] at n sinks, cost
// cost[i*n+j] per unit. The basis is a spanning tree of the bipartite source/sink graph with
// exactly m+n-1 cells (some may carry zero flow: degeneracy). Tree node ids: sources 0..m-1, sinks
// m..m+n-1, rooted at source 0, with dual potentials u_i + v_j = cost on basis cells. A primal
// pivot prices every cell (O(mn)), moves flow around the cycle the entering cell closes, and
// re-hangs only the subtree cut off by the leaving cell (O(its size)); a dual pivot (warm starts)
// prices only the cells across the cut, and up to 64 nodes re-hangs the subtree through bit masks
// without walking it (see dualExchange).
//
// One optimal plan among equals: ground costs on regular grids tie often, so a problem can have
// several optimal plans, whose totals are equal but add up with different rounding. Every cell
// also has a tie-break cost (tieCost, pseudo-random), and the solver minimizes (cost, tieCost) in
// lexicographic order: the cost first, then among the cheapest plans the tie-break cost. That
// optimum is unique for generic tie-break costs, so every way of solving a problem (cold, or warm
// from a nearby problem's basis) ends at the same plan.
//
// Anti-cycling: pivots use Dantzig's rule (most negative reduced cost). Cycling can only happen
// during a run of degenerate pivots, so after m+n degenerate pivots in a row the solver switches to
// Bland's rule (first improving cell in row-major order enters; among tied leaving cells the one
// with the smallest row-major key leaves), which cannot cycle, until a pivot moves mass again.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace flipscope {

// A cell enters the basis only if its reduced cost is below -kCostTolerance * (largest cost).
// Potentials are sums of up to (sources + sinks) costs, so they carry rounding of a few ulps of
// the largest cost; this margin keeps rounding noise from being taken for an improving direction.
// At the end every reduced cost is >= -tolerance, which bounds the gap to the true optimum by
// tolerance * total mass (1 for EMD): about 1e-11 on the ECON-T geometry. Reduced costs within
// the tolerance of zero count as ties, decided by the tie-break cost.
inline constexpr double kCostTolerance = 1e-12;
// The same for the tie-break costs, which lie in [0, 1).
inline constexpr double kTieCostTolerance = 1e-12;

// A pivot moving less than this fraction of the total mass counts as degenerate (no progress).
inline constexpr double kDegenerateMass = 1e-14;

class TransportationSimplex {
public:
    // The problem: the caller fills these (cost and tieCost row-major, supply.size() x
    // demand.size()), then calls solve(). Kept between solves so their capacity is reused.
    std::vector<double> supply, demand, cost, tieCost;
    // Optional, for a faster cold start: the rank of each cost among rankCount distinct values
    // (equal costs share a rank, larger costs have larger ranks), so that cells sort by counting.
    // Left empty, the costs are sorted by comparison. solveFrom does not use them.
    std::vector<int> costRank;
    int rankCount = 0;
    // Optional: an upper bound of the costs (say the largest distance of the whole geometry), which
    // scales the tolerances; 0 means the largest cost of the problem (a scan per solve).
    double costScale = 0.0;

    // Returns the optimal total cost.
    double solve();

    // Warm start. `keys`: cells (i*n+j) of an earlier optimal basis, of a problem with the same
    // costs between the same map cells, that exist in this problem; `potentials`: that solution's
    // dual potentials for this problem's nodes (see potentials()), NaN for nodes it did not have
    // (overwritten). Completes the cells to a basis whose prices are all optimal, then runs dual
    // simplex pivots until no flow is negative. Returns false (nothing solved) when that does not
    // reach an optimum clearly apart from any other basis (a zero flow, or another cell priced
    // zero in both costs): a cold solve would then be the one to trust for bit-equal results.
    bool solveFrom(const std::vector<int>& keys, std::vector<double>& potentials, double& total);

    // Warm start from this simplex's own last optimum, for a problem with the same sources, sinks
    // and costs (only supply and demand changed): the basis tree stays as it is, its flows are
    // solved anew and dual pivots repair negative ones. Returns false as solveFrom does (and when
    // the last solve did not end at an optimum).
    bool solveAgain(double& total);

    // Becomes a copy of `other`'s problem costs and solve state (basis, tree, potentials, flags) -
    // what solveAgain and solveFrom go on from - without its scratch buffers. For keeping one
    // solve's optimum aside and going back to it. `withCosts` false: the caller knows this
    // simplex's cost and tieCost equal other's already (they are most of the copy).
    void copyStateFrom(const TransportationSimplex& other, bool withCosts = true);

    // Dual potentials after a solve: u (sources), v (sinks), then the same for the tie-break costs;
    // source 0 has 0.
    void potentials(std::vector<double>& out) const;
    int pivots() const { return pivots_; }
    // The basis after a solve, as cell keys (in node order: node v's parent edge at v - 1).
    const std::vector<int>& basisKeys() const;

private:
    struct CycleEdge {
        int basisIndex;
        bool decreases;
        bool sourceSide;  // on the tree path from the entering cell's source (else its sink)
    };

    bool setUp();
    void sortCellsByCost();
    void startWithCheapestCells();
    void addBasisCell(int i, int j, double flow);
    void buildTree();
    bool masked() const;
    size_t cellBetween(int a, int b) const;
    void clearEdges();
    void attachAllEdges();
    void detachEdge(int e);
    void attachEdge(int e);
    int hangSubtree(int top, int newParent, int viaEdge);
    void improveToOptimal();
    int enteringCell(bool bland) const;
    int enteringTie(bool bland) const;
    void collectCycle(int source, int sinkNode);
    int leavingEdge(bool bland, double& theta) const;
    void pivot(int enteringKey, bool bland, double& theta);
    void exchange(int enterI, int enterJ, CycleEdge out, double theta);
    bool repairBasis(std::vector<int> keys, std::vector<double>& potentials);
    bool joinComponentsByMasks(std::vector<int> keys, std::vector<double>& potentials);
    std::pair<uint64_t, uint64_t> cutMasks(int leaving) const;
    void listCandidates(int leaving, int& rowCount, int& columnCount);
    bool restoreFeasibility(double floor, int maxPivots, double lowestFlow);
    bool pivotToFeasible(double floor, int maxPivots, double lowestFlow);
    void collectCycleByMasks(int source, int sinkNode);
    void dualExchange(int enterI, int enterJ, CycleEdge out, double theta, double shift, double tieShift);
    void computeSubtrees();
    void refreshTree();
    void levelTree(bool findParents);
    template <bool FindParents>
    void levelTreeWith();
    void buildOrder();
    void listFlowSteps();
    bool flowsAreNondegenerate(double floor, double lowestFlow) const;
    bool pricesAreClear() const;
    double degenerateFloor() const;
    double solveTreeFlows();
    double canonicalTotal();

    // The solve state (copyStateFrom copies it; keep the two in step), then scratch.
    int m_ = 0, n_ = 0;
    int pivots_ = 0;
    double tolerance_ = 0.0;  // kCostTolerance scaled to the largest cost
    // Basis: m+n-1 cells (source i, sink j, flow).
    std::vector<int> basisSource_, basisSink_;
    std::vector<double> basisFlow_;
    // The tree's edges. Up to 64 nodes (masked()): each node's neighbours as a bit mask and the
    // basis index of each basis cell (edgeOfCell_[i * n + j], read only for cells in the basis),
    // so that walks take a node's neighbours at once; above that, the basis cells at each node
    // (degree_[v] of them from nodeEdges(v), in one flat array of (m + n) rows).
    std::vector<uint64_t> adjacencyMask_;
    std::vector<int> edgeOfCell_;
    std::vector<int> adjacency_, degree_;
    int* nodeEdges(int node) { return adjacency_.data() + static_cast<size_t>(node) * (m_ + n_); }
    const int* nodeEdges(int node) const { return adjacency_.data() + static_cast<size_t>(node) * (m_ + n_); }
    // Each node's parent, edge to it and depth.
    std::vector<int> parent_, parentEdge_, depth_, stack_;
    // Up to 64 nodes, each node's subtree as a bit mask (when subtreesValid_), kept through dual
    // pivots (dualExchange), which then leave the depths, order_ and the potentials' exact
    // roundings to refreshTree (treeExact_ false until then).
    std::vector<uint64_t> subtree_;
    bool subtreesValid_ = false;
    bool treeExact_ = true;
    // u_i for sources, v_j for sinks: u_i + v_j = cost on basis cells; the same for tieCost.
    std::vector<double> potential_, tiePotential_;
    std::vector<CycleEdge> cycle_;
    // Tree flows and the canonical total.
    mutable std::vector<int> keys_;  // basisKeys(); repairBasis's cells while it builds a basis
    std::vector<int> order_, depthStart_;
    struct FlowStep {
        int node, parent, edge;
        double cost;  // the parent edge's
    };
    std::vector<FlowStep> flowSteps_;  // listFlowSteps
    bool orderValid_ = false;  // order_ (nodes by depth) and flowSteps_ are the current tree's
    std::vector<double> residual_;
    bool flowsCanonical_ = false;  // flows solved on the tree (solveTreeFlows), no pivot since
    double treeTotal_ = 0.0;       // and their total (canonicalTotal)
    bool lastOptimal_ = false;     // the state holds the last problem's optimal basis and tree
    bool lastClear_ = false;       // and pricesAreClear() held for it
    // Warm-start scratch.
    std::vector<char> inSubtree_;
    std::vector<int> component_, componentSize_, joinNodes_;
    std::vector<int> candidateRows_, candidateColumns_;
    std::vector<double> candidateReduced_;
    // Start-up scratch.
    std::vector<std::pair<double, int>> costKeyPairs_;
    std::vector<int> cellsByCost_, rankStart_;
    std::vector<double> remainingSupply_, remainingDemand_;
    std::vector<char> rowOpen_, columnOpen_;
};

}  // namespace flipscope
