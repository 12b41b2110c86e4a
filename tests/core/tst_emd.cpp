// Exact EMD: geometry tables, the reference's worked examples computed with POT ot.emd2 (section
// 2.2 of econt-and-metrics.md), the study's sentinels, and randomized agreement of the fast
// solver with the dense reference and with the closed form on a line.
#include "core/common/error.h"
#include "core/common/numpy_sum.h"
#include "core/metrics/cut_pricing.h"
#include "core/metrics/emd.h"
#include "core/metrics/excess_split.h"
#include "core/metrics/geometry.h"

#include <QtTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>
#include <vector>

using namespace flipscope;

namespace {

using Map = std::vector<double>;

Map oneHot(int cell, double value, int cells = 48) {
    Map map(cells, 0.0);
    map[cell] = value;
    return map;
}

// Worked examples C and D of the reference, literal.
const Map kExampleCx = {4, 5, 7, 9, 0, 1, 8, 9, 2, 3, 8, 4, 2, 8, 2, 4, 6, 5, 0, 0, 8, 7, 8, 5,
                        8, 3, 4, 7, 1, 3, 1, 4, 9, 1, 3, 4, 9, 2, 5, 2, 0, 7, 0, 2, 4, 4, 1, 9};
const Map kExampleCy = {7, 9, 0, 7, 2, 5, 9, 2, 7, 1, 3, 9, 4, 5, 2, 1, 4, 6, 4, 7, 3, 6, 7, 9,
                        4, 0, 7, 5, 8, 4, 3, 0, 4, 6, 7, 8, 2, 5, 8, 2, 3, 8, 5, 5, 6, 5, 9, 7};
const Map kExampleDx = {0.261612, 0.298491, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.150062, 0.432631, 0.669297, 0, 0.633184,
                        0.967436, 0, 0.391625, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.104544, 0, 0,
                        0.679811, 0, 0, 0, 0.516578, 0, 0.862118, 0, 0.89224, 0.613717, 0, 0, 0, 0.339025, 0, 0};
const Map kExampleDy = {0.287786, 0.29883,  0.007398, 0.010494, 0.022025, 0.015115, 0.030666, 0.014272,
                        0.045482, 0.048093, 0.002972, 0.160515, 0.460782, 0.70783,  0.003201, 0.642425,
                        0.990272, 0.033435, 0.436791, 0.043349, 0.039688, 0.002637, 0.048832, 0.030731,
                        0.004306, 0.012746, 0.031038, 0.019282, 0.02233,  0.144773, 0.041202, 0.027339,
                        0.719434, 0.0203,   0.048724, 0.030258, 0.564963, 0.002199, 0.906253, 0.027969,
                        0.927922, 0.623347, 0.027435, 0.014464, 0.005274, 0.339185, 0.045342, 0.033545};

Map scaled(const Map& map, double factor) {
    Map out(map);
    for (double& v : out) v *= factor;
    return out;
}

// Moves every cell of a positive map by up to +-scale/2 at random, keeping it at least 1e-3: the
// next faulty output of a chain.
void nudge(Map& map, double scale, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (double& v : map) v = std::max(1e-3, v + scale * (unit(rng) - 0.5));
}

// A map with `nonZero` random cells; integer charges (many exact ties in masses) or continuous.
Map randomSparseMap(std::mt19937_64& rng, int cells, int nonZero, bool integers) {
    Map map(cells, 0.0);
    std::vector<int> order(cells);
    for (int c = 0; c < cells; ++c) order[c] = c;
    std::shuffle(order.begin(), order.end(), rng);
    std::uniform_real_distribution<double> charge(0.0, 1.0);
    std::uniform_int_distribution<int> count(1, 5);
    for (int k = 0; k < nonZero; ++k) map[order[k]] = integers ? count(rng) : charge(rng);
    return map;
}

// 1-D closed form: on unit-spaced points W1(p, q) = sum_k |P_k - Q_k| with P, Q the cumulative
// sums of the normalized maps. Independent of any LP code.
double lineEmdClosedForm(const Map& x, const Map& y) {
    double xSum = 0, ySum = 0;
    for (double v : x) xSum += v;
    for (double v : y) ySum += v;
    double cumulative = 0, total = 0;
    for (size_t k = 0; k + 1 < x.size(); ++k) {
        cumulative += x[k] / xSum - y[k] / ySum;
        total += std::abs(cumulative);
    }
    return total;
}

}  // namespace

class TestEmd : public QObject {
    Q_OBJECT
private slots:
    // The maps are normalized by their sums in numpy's order: np.sum's results (numpy 1.24) for
    // a[i] = 1 / (i + 1), where a running sum from the first value differs at n = 48, 129, 300, 784.
    void mapSumsAddInNumpysOrder() {
        const std::vector<std::pair<size_t, double>> numpySums = {
            {5, 2.283333333333333},   {8, 2.7178571428571425}, {13, 3.180133755133755},
            {48, 4.458797175064118},  {100, 5.187377517639621}, {129, 5.440899030573669},
            {300, 6.282663880299504}, {784, 7.242262304776814}};
        for (const auto& [n, expected] : numpySums) {
            std::vector<double> a(n);
            for (size_t i = 0; i < n; ++i) a[i] = 1.0 / static_cast<double>(i + 1);
            QCOMPARE(numpySum(a.data(), n), expected);
        }
    }

    void econtGeometryMatchesReference() {
        const Geometry g = Geometry::econt();
        QCOMPARE(g.size(), 48);
        QCOMPARE(g.name(), std::string("econt"));
        // Section 2: adjacent TCs in a column are 2 apart; max and smallest non-zero distances.
        QVERIFY(std::abs(g.distance(0, 1) - 2.0) < 1e-12);
        double largest = 0, smallest = 1e9;
        for (int i = 0; i < 48; ++i) {
            QCOMPARE(g.distance(i, i), 0.0);
            for (int j = 0; j < 48; ++j) {
                QCOMPARE(g.distance(i, j), g.distance(j, i));
                largest = std::max(largest, g.distance(i, j));
                if (i != j) smallest = std::min(smallest, g.distance(i, j));
            }
        }
        QVERIFY(std::abs(largest - 13.756812026164628) < 1e-12);
        QVERIFY(std::abs(smallest - 1.8027677248008998) < 1e-12);
        // Table 2.1, normalized coordinates of TC 47.
        QVERIFY(std::abs(g.cells()[47].x - -6.4951904) < 1e-7);
        QVERIFY(std::abs(g.cells()[47].y - -10.2499945) < 1e-7);
    }

    void gridGeometries() {
        const Geometry line = Geometry::grid1d(5);
        QCOMPARE(line.size(), 5);
        QCOMPARE(line.distance(0, 4), 4.0);
        QCOMPARE(line.distance(3, 1), 2.0);
        const Geometry image = Geometry::grid2d(4, 5);
        QCOMPARE(image.size(), 20);
        QCOMPARE(image.distance(0, 19), 5.0);  // (row 0, col 0) to (row 3, col 4): 3-4-5
        QCOMPARE(image.distance(0, 5), 1.0);   // one row down
        QCOMPARE(image.distance(1, 5), std::sqrt(2.0));
        QCOMPARE(image.name(), std::string("grid2d:4x5"));
    }

    void geometryByNameParsesAndRejects() {
        QCOMPARE(geometryByName("econt").size(), 48);
        QCOMPARE(geometryByName("grid1d:7").size(), 7);
        QCOMPARE(geometryByName("grid2d:28x28").size(), 784);
        for (const char* bad : {"", "hex", "grid1d:", "grid1d:0", "grid1d:-3", "grid1d:4x", "grid2d:8", "grid2d:8x",
                                "grid2d:0x3", "grid2d:100x100", "grid3d:2x2x2"}) {
            bool threw = false;
            try {
                (void)geometryByName(bad);
            } catch (const InputError& error) {
                threw = true;
                QVERIFY2(std::string(error.what()).find("grid") != std::string::npos, error.what());
            }
            QVERIFY2(threw, bad);
        }
    }

    void workedExamplesFromPot_data() {
        QTest::addColumn<int>("example");
        QTest::addColumn<double>("expected");
        QTest::newRow("A one-hot 0 -> one-hot 1") << 0 << 2.0;
        QTest::newRow("B 5 at TC0 -> 3 at TC47") << 1 << 12.134656377958395;
        QTest::newRow("C default_rng(1) integers") << 2 << 0.9467590590309909;
        QTest::newRow("D sparse vs noisy") << 3 << 0.40593231107922834;
        QTest::newRow("E 3*xD vs 0.1*yD") << 4 << 0.4059323110792284;
    }

    void workedExamplesFromPot() {
        QFETCH(int, example);
        QFETCH(double, expected);
        const Map examples[5][2] = {{oneHot(0, 1.0), oneHot(1, 1.0)},
                                    {oneHot(0, 5.0), oneHot(47, 3.0)},
                                    {kExampleCx, kExampleCy},
                                    {kExampleDx, kExampleDy},
                                    {scaled(kExampleDx, 3.0), scaled(kExampleDy, 0.1)}};
        const Geometry g = Geometry::econt();
        const double fast = emd(g, examples[example][0], examples[example][1]);
        const double reference = emdReferenceDense(g, examples[example][0], examples[example][1]);
        QVERIFY2(std::abs(fast - expected) < 1e-9, qPrintable(QString::number(fast, 'g', 17)));
        QVERIFY2(std::abs(reference - expected) < 1e-9, qPrintable(QString::number(reference, 'g', 17)));
    }

    void sentinelsAndInvariances() {
        const Geometry g = Geometry::econt();
        const Map zeros(48, 0.0);
        QCOMPARE(emd(g, zeros, kExampleDy), kEmdEmptyInput);
        QCOMPARE(emd(g, zeros, zeros), kEmdEmptyInput);  // the input check comes first
        QCOMPARE(emd(g, kExampleDx, zeros), kEmdEmptyOutput);
        QCOMPARE(emdReferenceDense(g, zeros, kExampleDy), -1.0);
        QCOMPARE(emdReferenceDense(g, kExampleDx, zeros), -0.5);
        QCOMPARE(emd(g, kExampleDx, kExampleDx), 0.0);
        QCOMPARE(emd(g, kExampleCx, scaled(kExampleCx, 7.5)), 0.0);
        const double base = emd(g, kExampleCx, kExampleCy);
        QVERIFY(std::abs(emd(g, scaled(kExampleCx, 1e-3), scaled(kExampleCy, 250.0)) - base) < 1e-12);
        // Symmetric.
        QVERIFY(std::abs(emd(g, kExampleCy, kExampleCx) - base) < 1e-12);
    }

    void rejectsBadMaps() {
        const Geometry g = Geometry::econt();
        QVERIFY_THROWS_EXCEPTION(InputError, emd(g, Map(47, 1.0), Map(48, 1.0)));
        QVERIFY_THROWS_EXCEPTION(InputError, emd(g, Map(48, 1.0), Map(64, 1.0)));
        Map negative(48, 1.0);
        negative[5] = -0.25;
        QVERIFY_THROWS_EXCEPTION(InputError, emd(g, Map(48, 1.0), negative));
        Map withNan(48, 1.0);
        withNan[3] = std::nan("");
        QVERIFY(std::isnan(emd(g, withNan, Map(48, 1.0))));
        Map withInf(48, 1.0);
        withInf[3] = INFINITY;
        QVERIFY(std::isnan(emd(g, Map(48, 1.0), withInf)));
    }

    void floatOverloadMatchesDouble() {
        const Geometry g = Geometry::econt();
        std::vector<float> xf(kExampleDx.begin(), kExampleDx.end()), yf(kExampleDy.begin(), kExampleDy.end());
        const Map xd(xf.begin(), xf.end()), yd(yf.begin(), yf.end());  // the same float-rounded values
        QCOMPARE(emd(g, std::span<const float>(xf), std::span<const float>(yf)), emd(g, xd, yd));
        QVERIFY(std::abs(emd(g, std::span<const float>(xf), std::span<const float>(yf)) - 0.40593231107922834) < 1e-6);
    }

    // The fast solver (reduced sparse problem, cheapest-cell start, Dantzig pricing) against the
    // dense reference (full problem, north-west start, Bland) on thousands of random ECON-T maps:
    // sparse vs sparse, sparse vs dense, integer charges with many ties, and near-identical maps.
    void fastAgreesWithDenseReferenceOnRandomEcontMaps() {
        const Geometry g = Geometry::econt();
        EmdSolver solver(g);
        std::mt19937_64 rng(20240601);
        std::uniform_int_distribution<int> sparseCount(1, 20);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        double worst = 0;
        int problems = 0, pivoting = 0;
        for (int trial = 0; trial < 3000; ++trial) {
            const int kind = trial % 4;
            const bool integers = kind == 2;
            const Map x = randomSparseMap(rng, 48, sparseCount(rng), integers);
            Map y;
            if (kind == 0 || kind == 2) {
                y = randomSparseMap(rng, 48, sparseCount(rng), integers);
            } else if (kind == 1) {  // decoder-like: every cell positive
                y = Map(48);
                for (double& v : y) v = unit(rng);
            } else {  // x plus small noise on a few cells
                y = x;
                for (int k = 0; k < 4; ++k) y[rng() % 48] += 0.05 * unit(rng);
            }
            const double fast = solver(x, y);
            pivoting += solver.lastPivotCount() > 0;
            const double reference = emdReferenceDense(g, x, y);
            worst = std::max(worst, std::abs(fast - reference));
            if (std::abs(fast - reference) >= 1e-9)
                QFAIL(qPrintable(QString("trial %1: fast %2, reference %3")
                                     .arg(trial).arg(fast, 0, 'g', 17).arg(reference, 0, 'g', 17)));
            ++problems;
        }
        QCOMPARE(problems, 3000);
        QVERIFY2(pivoting > 1000, "the random problems should exercise the simplex pivots, not just the start");
        qInfo("worst |fast - reference| over %d ECON-T problems: %.3g", problems, worst);
    }

    // Warm starts give the cold solve's value bit for bit: from the optimal basis of a nearby
    // problem (decoder-like outputs moved by a little or a lot, cells switching between sending
    // and receiving), on the ECON-T geometry and on integer grids full of tied distances. Most
    // nearby problems must actually be solved warm (else the test proves nothing about them).
    // The 9x9 grid has more nodes than the solver's bit masks hold (its other tree form).
    void warmStartsEqualColdSolves_data() {
        QTest::addColumn<QString>("geometry");
        QTest::newRow("econt") << "econt";
        QTest::newRow("grid2d:4x4") << "grid2d:4x4";
        QTest::newRow("grid1d:12") << "grid1d:12";
        // Over 64 nodes the solver keeps its tree as edge lists instead of bit masks.
        QTest::newRow("grid2d:9x9") << "grid2d:9x9";
    }
    void warmStartsEqualColdSolves() {
        QFETCH(QString, geometry);
        const Geometry g = geometryByName(geometry.toStdString());
        const int cells = g.size();
        EmdSolver cold(g), warm(g);
        std::mt19937_64 rng(4242);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        int warmSolves = 0, switched = 0, pivoted = 0;
        const int trials = 1500;
        for (int trial = 0; trial < trials; ++trial) {
            const Map x = randomSparseMap(rng, cells, 1 + static_cast<int>(rng() % (cells / 2)), trial % 3 == 0);
            Map y(cells), moved(cells);
            for (double& v : y) v = 0.02 + unit(rng);
            const double scale = std::pow(10.0, -4.0 + 4.0 * unit(rng));  // 1e-4 .. 1 of a cell's charge
            for (int c = 0; c < cells; ++c) moved[c] = std::max(1e-3, y[c] + scale * (unit(rng) - 0.5));
            EmdBasis start;
            QCOMPARE(warm.solve(x, y, nullptr, &start), cold(x, y));
            QVERIFY(!start.empty());
            const double expected = cold(x, moved);
            EmdBasis reached;
            const double actual = warm.solve(x, moved, &start, &reached);
            if (actual != expected)
                QFAIL(qPrintable(QString("trial %1: warm %2, cold %3").arg(trial).arg(actual, 0, 'g', 17).arg(expected, 0, 'g', 17)));
            warmSolves += warm.lastSolveWasWarm();
            pivoted += warm.lastSolveWasWarm() && warm.lastPivotCount() > 0;
            switched += warm.lastSolveWasWarm() && (reached.senders != start.senders || reached.receivers != start.receivers);
        }
        qInfo("%s: %d of %d nearby problems solved warm (%d with dual pivots, %d with cells that changed side)",
              qPrintable(geometry), warmSolves, trials, pivoted, switched);
        QVERIFY(warmSolves > trials * 8 / 10);
        QVERIFY(pivoted > trials / 20);
        QVERIFY(switched > trials / 50);
    }

    // A run of nearby problems, each solved from the previous optimum the solver holds (the
    // fast engine's chain over one sample's faulty outputs), equals cold solves bit for bit,
    // including after sentinels and problems whose cells changed side, on the ECON-T geometry and
    // on integer grids full of tied distances (where dual pivots must notice prices that tie).
    void solvesAfterPreviousEqualColdSolves_data() { warmStartsEqualColdSolves_data(); }
    void solvesAfterPreviousEqualColdSolves() {
        QFETCH(QString, geometry);
        const Geometry g = geometryByName(geometry.toStdString());
        const int cells = g.size();
        EmdSolver cold(g), chained(g);
        std::mt19937_64 rng(31337);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        int reused = 0, solves = 0, pivoted = 0;
        for (int run = 0; run < 200; ++run) {
            const Map x = randomSparseMap(rng, cells, 1 + static_cast<int>(rng() % (cells * 5 / 12)), run % 4 == 0);
            Map y(cells);
            for (double& v : y) v = 0.02 + unit(rng);
            EmdBasis start, next;
            chained.solve(x, y, nullptr, &start);
            for (int step = 0; step < 8; ++step) {
                const double scale = std::pow(10.0, -4.0 + 3.0 * unit(rng));
                nudge(y, scale, rng);
                if (step == 5) {  // a sentinel in between must not leave a stale state behind
                    QCOMPARE(chained.solveAfterPrevious(x, Map(cells, 0.0), nullptr), kEmdEmptyOutput);
                }
                EmdBasis coldBasis;
                const double expected = cold.solve(x, y, nullptr, &coldBasis);
                const double actual = chained.solveAfterPrevious(x, y, &next);
                if (actual != expected)
                    QFAIL(qPrintable(QString("run %1 step %2: chained %3, cold %4")
                                         .arg(run).arg(step).arg(actual, 0, 'g', 17).arg(expected, 0, 'g', 17)));
                // A warm solve ends at the cold one's tree with the same potentials, to the bit
                // (those left by dual pivots are recomputed as a new tree's), which the next warm
                // start prices with.
                if (chained.lastSolveWasWarm()) {
                    QCOMPARE(next.cells, coldBasis.cells);
                    QCOMPARE(next.potentials.size(), coldBasis.potentials.size());
                    for (size_t k = 0; k < next.potentials.size(); ++k)
                        if (std::bit_cast<uint64_t>(next.potentials[k]) != std::bit_cast<uint64_t>(coldBasis.potentials[k]))
                            QFAIL(qPrintable(QString("run %1 step %2: potential %3 is %4 warm, %5 cold")
                                                 .arg(run).arg(step).arg(k).arg(next.potentials[k], 0, 'g', 17)
                                                 .arg(coldBasis.potentials[k], 0, 'g', 17)));
                }
                const bool samePattern = next.senders == start.senders && next.receivers == start.receivers;
                reused += samePattern;
                pivoted += samePattern && chained.lastSolveWasWarm() && chained.lastPivotCount() > 0;
                ++solves;
                std::swap(start, next);
            }
        }
        qInfo("%s: %d of %d chained solves kept the senders and receivers, %d of them warm with dual pivots",
              qPrintable(geometry), reused, solves, pivoted);
        QVERIFY2(reused > solves / 2, "most steps should keep the senders and receivers (the reuse path)");
        QVERIFY2(pivoted > solves / 100, "some reused trees should need dual pivots");
    }

    // Rows that go back to an anchor (one sample's clean optimum) between chains: each solve from
    // the anchor equals the cold solve, whichever problems the solver saw in between, and the
    // anchor survives them (the solver's own state is copied back, not shared).
    void solvesAfterAnchorEqualColdSolves_data() { warmStartsEqualColdSolves_data(); }
    void solvesAfterAnchorEqualColdSolves() {
        QFETCH(QString, geometry);
        const Geometry g = geometryByName(geometry.toStdString());
        const int cells = g.size();
        EmdSolver cold(g), solver(g);
        std::mt19937_64 rng(4242);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        int warm = 0, pivoted = 0, solves = 0;
        for (int run = 0; run < 100; ++run) {
            const Map x = randomSparseMap(rng, cells, 1 + static_cast<int>(rng() % (cells * 5 / 12)), run % 4 == 0);
            Map anchor(cells);
            for (double& v : anchor) v = 0.02 + unit(rng);
            solver.solve(x, anchor, nullptr, nullptr);
            solver.setAnchor();
            for (int chain = 0; chain < 4; ++chain) {
                Map y = anchor;
                const double scale = std::pow(10.0, -2.5 + 2.0 * unit(rng));
                nudge(y, scale, rng);
                const double expected = cold(x, y);
                const double actual = solver.solveAfterAnchor(x, y);
                if (actual != expected)
                    QFAIL(qPrintable(QString("run %1 chain %2: from the anchor %3, cold %4")
                                         .arg(run).arg(chain).arg(actual, 0, 'g', 17).arg(expected, 0, 'g', 17)));
                warm += solver.lastSolveWasWarm();
                pivoted += solver.lastSolveWasWarm() && solver.lastPivotCount() > 0;
                ++solves;
                // A chain step after it, away from the anchor.
                nudge(y, scale, rng);
                QCOMPARE(solver.solveAfterPrevious(x, y, nullptr), cold(x, y));
            }
        }
        qInfo("%s: %d of %d solves from the anchor were warm, %d of them with dual pivots", qPrintable(geometry), warm,
              solves, pivoted);
        QVERIFY2(warm > solves / 2, "most solves from a nearby anchor should be warm");
        QVERIFY2(pivoted > solves / 20, "some solves from the anchor should need dual pivots");
    }

    // A warm start from an unrelated problem's basis (another input map entirely) still gives the
    // cold value: the start only changes the path, never the answer.
    void warmStartFromUnrelatedBasis() {
        const Geometry g = Geometry::econt();
        EmdSolver cold(g), warm(g);
        std::mt19937_64 rng(99);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        for (int trial = 0; trial < 500; ++trial) {
            Map y(48), other(48);
            for (double& v : y) v = 0.01 + unit(rng);
            for (double& v : other) v = 0.01 + unit(rng);
            const Map x = randomSparseMap(rng, 48, 1 + static_cast<int>(rng() % 20), false);
            const Map x2 = randomSparseMap(rng, 48, 1 + static_cast<int>(rng() % 20), false);
            EmdBasis start;
            warm.solve(x2, other, nullptr, &start);
            QCOMPARE(warm.solve(x, y, &start, nullptr), cold(x, y));
        }
    }

    // A start whose potentials are not those of an optimum (here another problem's basis, its
    // potentials with noise added) makes the repair join the cells that changed side wrongly, so
    // some cells price below zero; the dual pivots then end at a feasible basis that is not
    // optimal, which must not stand: the solve falls back to cold and returns its value.
    void warmStartFromWrongPotentialsFallsBackToCold() {
        const Geometry g = Geometry::econt();
        EmdSolver cold(g), warm(g);
        std::mt19937_64 rng(2024);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        int fellBack = 0;
        for (int trial = 0; trial < 500; ++trial) {
            Map y(48), other(48);
            for (double& v : y) v = 0.01 + unit(rng);
            for (double& v : other) v = 0.01 + unit(rng);
            const Map x = randomSparseMap(rng, 48, 1 + static_cast<int>(rng() % 20), false);
            EmdBasis start;
            warm.solve(x, other, nullptr, &start);
            for (double& potential : start.potentials) potential += 4.0 * (unit(rng) - 0.5);
            QCOMPARE(warm.solve(x, y, &start, nullptr), cold(x, y));
            fellBack += !warm.lastSolveWasWarm();
        }
        QVERIFY2(fellBack > 50, "wrong potentials should send many solves back to cold");
    }

    // Small problems on tiny grids with integer charges: integer distances and integer masses give
    // ties in costs and in flows (heavy degeneracy), where a careless simplex cycles or stalls.
    void fastAgreesWithDenseReferenceOnDegenerateGrids() {
        std::mt19937_64 rng(77);
        const Geometry grids[] = {Geometry::grid1d(2), Geometry::grid1d(6), Geometry::grid2d(2, 3),
                                  Geometry::grid2d(4, 4), Geometry::grid2d(3, 5)};
        int checked = 0;
        for (const Geometry& g : grids) {
            EmdSolver solver(g);
            for (int trial = 0; trial < 400; ++trial) {
                std::uniform_int_distribution<int> count(1, g.size());
                const Map x = randomSparseMap(rng, g.size(), count(rng), true);
                const Map y = randomSparseMap(rng, g.size(), count(rng), true);
                const double fast = solver(x, y), reference = emdReferenceDense(g, x, y);
                if (std::abs(fast - reference) >= 1e-9)
                    QFAIL(qPrintable(QString("%1 trial %2: fast %3, reference %4")
                                         .arg(QString::fromStdString(g.name())).arg(trial)
                                         .arg(fast, 0, 'g', 17).arg(reference, 0, 'g', 17)));
                ++checked;
            }
        }
        QCOMPARE(checked, 2000);
    }

    // On a line both solvers must reproduce the closed form sum |CDF_p - CDF_q|.
    void bothSolversMatchLineClosedForm() {
        std::mt19937_64 rng(5);
        for (int cells : {2, 3, 10, 40}) {
            const Geometry g = Geometry::grid1d(cells);
            for (int trial = 0; trial < 200; ++trial) {
                std::uniform_int_distribution<int> count(1, cells);
                const bool integers = trial % 2 == 0;
                const Map x = randomSparseMap(rng, cells, count(rng), integers);
                const Map y = randomSparseMap(rng, cells, count(rng), integers);
                const double expected = lineEmdClosedForm(x, y);
                QVERIFY(std::abs(emd(g, x, y) - expected) < 1e-9);
                QVERIFY(std::abs(emdReferenceDense(g, x, y) - expected) < 1e-9);
            }
        }
    }

    // Past 1024 cells the solver sorts costs instead of using its distance-rank table.
    void largeGeometryMatchesLineClosedForm() {
        const Geometry g = Geometry::grid1d(1500);
        EmdSolver solver(g);
        std::mt19937_64 rng(11);
        for (int trial = 0; trial < 50; ++trial) {
            const Map x = randomSparseMap(rng, 1500, 1 + trial % 25, trial % 2 == 0);
            const Map y = randomSparseMap(rng, 1500, 1 + trial % 40, trial % 2 == 0);
            const double expected = lineEmdClosedForm(x, y);
            QVERIFY2(std::abs(solver(x, y) - expected) < 1e-9 * std::max(1.0, expected),
                     qPrintable(QString("trial %1").arg(trial)));
        }
        const Geometry image = Geometry::grid2d(40, 40);
        QVERIFY(std::abs(emd(image, oneHot(0, 1.0, 1600), oneHot(4 * 40 + 3, 2.0, 1600)) - 5.0) < 1e-12);
    }

    void rowsIndependentOfThreadCount() {
        const Geometry g = Geometry::econt();
        const int rows = 257;  // not a multiple of any thread count below
        std::mt19937_64 rng(99);
        std::vector<double> X, Y;
        for (int r = 0; r < rows; ++r) {
            const Map x = randomSparseMap(rng, 48, 1 + r % 20, false);
            const Map y = randomSparseMap(rng, 48, 48 - r % 30, false);
            X.insert(X.end(), x.begin(), x.end());
            Y.insert(Y.end(), y.begin(), y.end());
        }
        std::fill_n(X.begin() + 48 * 10, 48, 0.0);  // one empty input row
        std::fill_n(Y.begin() + 48 * 11, 48, 0.0);  // one empty output row
        const std::vector<double> single = emdRows(g, X.data(), Y.data(), rows, 1);
        QCOMPARE(single.size(), size_t(rows));
        QCOMPARE(single[10], -1.0);
        QCOMPARE(single[11], -0.5);
        for (int r = 0; r < rows; ++r)
            QCOMPARE(single[r], emd(g, std::span<const double>(X.data() + 48 * r, 48),
                                    std::span<const double>(Y.data() + 48 * r, 48)));
        for (int threads : {2, 3, 7, 0, 1000}) QCOMPARE(emdRows(g, X.data(), Y.data(), rows, threads), single);
        QVERIFY(emdRows(g, X.data(), Y.data(), 0, 2).empty());

        const std::vector<float> Xf(X.begin(), X.end()), Yf(Y.begin(), Y.end());
        const std::vector<double> fromFloats = emdRows(g, Xf.data(), Yf.data(), rows, 2);
        QCOMPARE(fromFloats, emdRows(g, Xf.data(), Yf.data(), rows, 1));
        for (int r = 0; r < rows; ++r) QVERIFY(std::abs(fromFloats[r] - single[r]) < 1e-5);
    }

    void rowsPropagateErrors() {
        const Geometry g = Geometry::econt();
        std::vector<double> X(48 * 4, 1.0), Y(48 * 4, 1.0);
        Y[48 * 3 + 2] = -1.0;
        QVERIFY_THROWS_EXCEPTION(InputError, emdRows(g, X.data(), Y.data(), 4, 2));
    }

    // A dual pivot's entering cell, priced from bit masks (eight cells per register with AVX-512)
    // and from lists: the same cell on problems full of exact ties (small integer costs and
    // potentials, tie-break costs from a few values), so the tolerance and the row-major rule on
    // equal tie-break prices decide often.
    void cutPricingFormsAgree() {
        std::mt19937_64 rng(97);
        std::vector<int> rowScratch, columnScratch, rows, columns;
        std::vector<double> scratch;
        int tiesDecided = 0;
        for (int trial = 0; trial < 4000; ++trial) {
            const int m = 1 + static_cast<int>(rng() % 40), n = 1 + static_cast<int>(rng() % (64 - m));
            std::vector<double> cost(static_cast<size_t>(m) * n), tieCost(cost.size()), potential(m + n),
                tiePotential(m + n);
            for (double& c : cost) c = static_cast<double>(rng() % 6);
            for (double& c : tieCost) c = static_cast<double>(rng() % 4) / 8.0;
            for (double& u : potential) u = static_cast<double>(rng() % 4) - 1.0;
            for (double& u : tiePotential) u = static_cast<double>(rng() % 3) / 16.0;
            const CutPrices prices{cost.data(), tieCost.data(), potential.data(), tiePotential.data(), m, n, 1e-12};
            const uint64_t rowMask = (rng() & ((uint64_t{1} << m) - 1)) | uint64_t{1} << (rng() % m);
            const uint64_t columnMask = (rng() & ((uint64_t{1} << n) - 1)) | uint64_t{1} << (rng() % n);
            rows.clear();
            columns.clear();
            for (int i = 0; i < m; ++i)
                if (rowMask >> i & 1) rows.push_back(i);
            for (int j = 0; j < n; ++j)
                if (columnMask >> j & 1) columns.push_back(j);
            const int fromLists = cheapestAcrossCut(prices, rows.data(), static_cast<int>(rows.size()), columns.data(),
                                                    static_cast<int>(columns.size()), scratch);
            const int fromMasks = cheapestAcrossCut(prices, rowMask, columnMask, rowScratch, columnScratch, scratch);
            QCOMPARE(fromMasks, fromLists);
            // How often more than one cell was priced at the minimum (the tie-break decided).
            double lowest = std::numeric_limits<double>::infinity();
            int atLowest = 0;
            for (int i : rows)
                for (int j : columns) {
                    const double reduced = (cost[i * n + j] - potential[i]) - potential[m + j];
                    atLowest = reduced < lowest ? 1 : atLowest + (reduced == lowest);
                    lowest = std::min(lowest, reduced);
                }
            tiesDecided += atLowest > 1;
        }
        QVERIFY(tiesDecided > 1000);
    }

    // The reduced problem's sides, eight cells per register (where the CPU has AVX-512) and value
    // by value: the same cells and the same excesses to the bit, for map sizes that are and are not
    // multiples of eight, with cells of no excess (equal shares, exact zeros) among them.
    void excessSplitFormsAgree() {
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        int noExcess = 0;
        for (int trial = 0; trial < 3000; ++trial) {
            const int cells = 1 + static_cast<int>(rng() % 70);
            std::vector<double> share(cells), y(cells);
            double ySum = 0.0;
            for (int c = 0; c < cells; ++c) {
                y[c] = rng() % 5 == 0 ? 0.0 : unit(rng);
                ySum += y[c];
            }
            if (ySum == 0.0) continue;
            for (int c = 0; c < cells; ++c)
                share[c] = rng() % 4 == 0 ? y[c] / ySum : (rng() % 5 == 0 ? 0.0 : unit(rng) / cells);
            const size_t room = cells + kExcessSplitSlack;
            std::vector<int> sources(room, -1), sinks(room, -1), scalarSources(room, -1), scalarSinks(room, -1);
            std::vector<double> supply(room), demand(room), scalarSupply(room), scalarDemand(room);
            const ExcessSides sides =
                splitExcess(share.data(), y.data(), cells, ySum, sources.data(), supply.data(), sinks.data(), demand.data());
            const ExcessSides scalar = splitExcessScalar(share.data(), y.data(), cells, ySum, scalarSources.data(),
                                                         scalarSupply.data(), scalarSinks.data(), scalarDemand.data());
            QCOMPARE(sides.sources, scalar.sources);
            QCOMPARE(sides.sinks, scalar.sinks);
            noExcess += cells - sides.sources - sides.sinks;
            for (int k = 0; k < sides.sources; ++k) {
                QCOMPARE(sources[k], scalarSources[k]);
                QCOMPARE(std::bit_cast<uint64_t>(supply[k]), std::bit_cast<uint64_t>(scalarSupply[k]));
                QVERIFY(supply[k] > 0.0);
            }
            for (int k = 0; k < sides.sinks; ++k) {
                QCOMPARE(sinks[k], scalarSinks[k]);
                QCOMPARE(std::bit_cast<uint64_t>(demand[k]), std::bit_cast<uint64_t>(scalarDemand[k]));
                QVERIFY(demand[k] > 0.0);
            }
        }
        QVERIFY(noExcess > 1000);
    }
};

QTEST_APPLESS_MAIN(TestEmd)
#include "tst_emd.moc"
