// EMDs per second on ECON-T-like maps: the fast exact solver (EmdSolver via emdRows) on one thread
// and on all hardware threads, and the dense reference solver, for two pairings:
//   sparse vs sparse: an HGCal-like input against a sparse reconstruction (a few cells moved,
//                     dropped or added);
//   sparse vs dense:  the same input against a decoder-like output in which every cell is
//                     positive (sigmoid outputs never reach 0).
// Usage: bench_emd [samples] [seed]   (defaults 20000, 1)
#include "core/metrics/emd.h"
#include "core/metrics/geometry.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace flipscope;

namespace {

constexpr int kCells = 48;

// A module hit by 1-3 shower-like clusters: each deposits on a centre cell and on the cells around
// it with a Gaussian fall-off in distance; cells under a threshold read 0; a few isolated noise hits
// are added. Charges are rounded like ADC counts. Redrawn until 5-20 cells are non-zero.
std::vector<double> hgcalLikeInput(const Geometry& g, std::mt19937_64& rng) {
    std::uniform_int_distribution<int> anyCell(0, kCells - 1), clusters(1, 3), noiseHits(0, 3);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (;;) {
        std::vector<double> map(kCells, 0.0);
        for (int c = clusters(rng); c > 0; --c) {
            const int centre = anyCell(rng);
            const double amplitude = 20.0 + 400.0 * unit(rng) * unit(rng);
            const double width = 1.5 + 1.5 * unit(rng);
            for (int cell = 0; cell < kCells; ++cell) {
                const double d = g.distance(centre, cell);
                map[cell] += amplitude * std::exp(-0.5 * d * d / (width * width));
            }
        }
        for (double& charge : map) charge = charge < 4.0 ? 0.0 : std::round(charge);
        for (int k = noiseHits(rng); k > 0; --k) map[anyCell(rng)] += std::round(1.0 + 6.0 * unit(rng));
        const auto nonZero = std::count_if(map.begin(), map.end(), [](double v) { return v > 0.0; });
        if (nonZero >= 5 && nonZero <= 20) return map;
    }
}

// A decoder output for `input`: every cell in (0, 1) like a sigmoid, the input's shape (normalized
// to its largest cell) with 15% multiplicative noise, a little blur into neighbours and a baseline.
std::vector<double> decoderLikeOutput(const Geometry& g, const std::vector<double>& input, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const double largest = *std::max_element(input.begin(), input.end());
    std::vector<double> out(kCells);
    for (int cell = 0; cell < kCells; ++cell) {
        double blurred = 0.0;
        for (int other = 0; other < kCells; ++other)
            if (other != cell && g.distance(cell, other) < 2.5) blurred += 0.08 * input[other] / largest;
        const double shape = input[cell] / largest * (0.85 + 0.3 * unit(rng)) + blurred;
        out[cell] = std::min(0.999, 0.005 + 0.04 * unit(rng) + 0.9 * shape);
    }
    return out;
}

// A sparse reconstruction: each hit kept with noise, sometimes moved to a neighbour or dropped,
// and now and then a spurious hit.
std::vector<double> sparseReconstruction(const Geometry& g, const std::vector<double>& input, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<int> anyCell(0, kCells - 1);
    std::vector<double> out(kCells, 0.0);
    for (int cell = 0; cell < kCells; ++cell) {
        if (input[cell] == 0.0) continue;
        const double luck = unit(rng);
        int target = cell;
        if (luck < 0.1) continue;  // dropped
        if (luck < 0.3) {          // moved to a random neighbour
            std::vector<int> neighbours;
            for (int other = 0; other < kCells; ++other)
                if (other != cell && g.distance(cell, other) < 2.5) neighbours.push_back(other);
            target = neighbours[static_cast<size_t>(unit(rng) * neighbours.size())];
        }
        out[target] += input[cell] * (0.8 + 0.4 * unit(rng));
    }
    if (unit(rng) < 0.3) out[anyCell(rng)] += 5.0 * unit(rng);
    if (std::all_of(out.begin(), out.end(), [](double v) { return v == 0.0; })) out = input;
    return out;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Rate {
    double wall = 0.0;  // EMDs per second of elapsed time
    double cpu = 0.0;   // EMDs per second of process CPU time (all threads), robust to a busy machine
};

// Best of `repeats` timings of emdRows over all samples.
Rate fastRate(const Geometry& g, const std::vector<double>& X, const std::vector<double>& Y, int64_t rows,
              int threads, int repeats, std::vector<double>& results) {
    Rate best;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const std::clock_t cpuStart = std::clock();
        results = emdRows(g, X.data(), Y.data(), rows, threads);
        const double cpuSeconds = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
        best.wall = std::max(best.wall, rows / secondsSince(start));
        best.cpu = std::max(best.cpu, rows / std::max(cpuSeconds, 1e-9));
    }
    return best;
}

void runScenario(const char* name, const Geometry& g, const std::vector<double>& X, const std::vector<double>& Y,
                 int64_t rows) {
    const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<double> single, parallel;
    const Rate rate1 = fastRate(g, X, Y, rows, 1, 3, single);
    const Rate rateN = fastRate(g, X, Y, rows, threads, 3, parallel);

    // Pivot statistics and mean, from a plain pass.
    EmdSolver solver(g);
    double pivots = 0.0, mean = 0.0;
    for (int64_t r = 0; r < rows; ++r) {
        mean += solver(std::span<const double>(X.data() + r * kCells, kCells),
                       std::span<const double>(Y.data() + r * kCells, kCells));
        pivots += solver.lastPivotCount();
    }

    // The dense reference is slow: time it on a prefix of the samples.
    const int64_t referenceRows = std::min<int64_t>(rows, 300);
    double worstDifference = 0.0;
    const auto start = std::chrono::steady_clock::now();
    for (int64_t r = 0; r < referenceRows; ++r) {
        const double reference = emdReferenceDense(g, std::span<const double>(X.data() + r * kCells, kCells),
                                                   std::span<const double>(Y.data() + r * kCells, kCells));
        worstDifference = std::max(worstDifference, std::abs(reference - single[r]));
    }
    const double referenceRate = referenceRows / secondsSince(start);

    std::printf("%s  (%lld samples, mean EMD %.4f, mean simplex pivots %.1f)\n", name, static_cast<long long>(rows),
                mean / rows, pivots / rows);
    std::printf("  fast, 1 thread        %12.0f EMD/s  (%.0f per CPU-second)\n", rate1.wall, rate1.cpu);
    std::printf("  fast, %d threads       %12.0f EMD/s  (x%.2f; %.0f per CPU-second; results %s the 1-thread ones)\n",
                threads, rateN.wall, rateN.wall / rate1.wall, rateN.cpu,
                parallel == single ? "identical to" : "DIFFERENT from");
    std::printf("  dense reference       %12.1f EMD/s  (%lld samples; max |fast - reference| %.2g)\n", referenceRate,
                static_cast<long long>(referenceRows), worstDifference);
    std::printf("  fast / reference      %12.0f x (1 thread each)\n\n", rate1.wall / referenceRate);
}

}  // namespace

int main(int argc, char** argv) {
    const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 20000;
    const unsigned long long seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
    if (rows <= 0) {
        std::fprintf(stderr, "usage: bench_emd [samples > 0] [seed]\n");
        return 2;
    }
    const Geometry g = Geometry::econt();
    std::mt19937_64 rng(seed);
    std::vector<double> X, Ydense, Ysparse;
    X.reserve(rows * kCells);
    double nonZero = 0.0;
    for (int64_t r = 0; r < rows; ++r) {
        const std::vector<double> input = hgcalLikeInput(g, rng);
        nonZero += std::count_if(input.begin(), input.end(), [](double v) { return v > 0.0; });
        const std::vector<double> dense = decoderLikeOutput(g, input, rng);
        const std::vector<double> sparse = sparseReconstruction(g, input, rng);
        X.insert(X.end(), input.begin(), input.end());
        Ydense.insert(Ydense.end(), dense.begin(), dense.end());
        Ysparse.insert(Ysparse.end(), sparse.begin(), sparse.end());
    }
    std::printf("ECON-T geometry, %lld HGCal-like inputs (seed %llu, mean %.1f non-zero cells of 48), "
                "%u hardware threads\n\n",
                static_cast<long long>(rows), seed, nonZero / rows, std::thread::hardware_concurrency());
    runScenario("sparse input vs sparse reconstruction", g, X, Ysparse, rows);
    runScenario("sparse input vs dense decoder output", g, X, Ydense, rows);
    return 0;
}
