#include "core/train/synth_hgcal.h"

#include "core/common/error.h"
#include "core/metrics/econt_remap.h"
#include "core/metrics/geometry.h"

#include <cmath>
#include <numbers>
#include <random>

namespace flipscope {
namespace {

// Uniform and normal draws written out here: std:: distributions differ between libraries.
class Random {
public:
    explicit Random(uint64_t seed) : engine_(seed) {}
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    double normal() {  // Box-Muller
        const double u = 1.0 - uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * uniform());
    }
    int pick(std::span<const double> weights) {
        double r = uniform(), sum = 0.0;
        for (size_t i = 0; i < weights.size(); ++i)
            if (r < (sum += weights[i])) return static_cast<int>(i);
        return static_cast<int>(weights.size()) - 1;
    }

private:
    std::mt19937_64 engine_;
};

// Generator settings, in charge counts and cell-pitch units (adjacent cells are ~2 apart).
constexpr double kClusterCountWeights[] = {0.12, 0.58, 0.22, 0.08};  // 0..3 clusters
constexpr double kEnergyLogMedian = 3.4;   // log-normal: median e^3.4 ~ 30 counts
constexpr double kEnergyLogSigma = 1.0;
constexpr double kCoreWidthMin = 0.9, kCoreWidthMax = 2.6;
constexpr double kHaloFraction = 0.25, kHaloWidthFactor = 2.5;
constexpr double kNoiseProbability = 0.08, kNoiseSigma = 2.0;
constexpr double kThreshold = 1.5;  // zero suppression
constexpr double kMargin = 2.0;     // cluster centres up to this far outside the module

void drawModule(Random& rng, const Geometry& geometry, double xMin, double xMax, double yMin, double yMax,
                std::span<float> charge) {
    std::vector<double> q(kEcontCells, 0.0);
    const int clusters = rng.pick(kClusterCountWeights);
    for (int c = 0; c < clusters; ++c) {
        const double cx = rng.uniform(xMin - kMargin, xMax + kMargin);
        const double cy = rng.uniform(yMin - kMargin, yMax + kMargin);
        const double energy = std::exp(kEnergyLogMedian + kEnergyLogSigma * rng.normal());
        const double core = rng.uniform(kCoreWidthMin, kCoreWidthMax);
        const double halo = core * kHaloWidthFactor;
        // Each shape is normalized to unit sum over an infinite plane of cells of area ~ 2*sqrt(3).
        const double cellArea = 2.0 * std::sqrt(3.0);
        for (int i = 0; i < kEcontCells; ++i) {
            const double dx = geometry.cells()[i].x - cx, dy = geometry.cells()[i].y - cy;
            const double d2 = dx * dx + dy * dy;
            const double gCore = std::exp(-d2 / (2 * core * core)) * cellArea / (2 * std::numbers::pi * core * core);
            const double gHalo = std::exp(-d2 / (2 * halo * halo)) * cellArea / (2 * std::numbers::pi * halo * halo);
            q[i] += energy * ((1.0 - kHaloFraction) * gCore + kHaloFraction * gHalo);
        }
    }
    for (int i = 0; i < kEcontCells; ++i) {
        if (rng.uniform() < kNoiseProbability) q[i] += std::fabs(kNoiseSigma * rng.normal()) + kThreshold;
        const double counts = std::round(q[i]);
        charge[i] = counts >= kThreshold ? static_cast<float>(counts) : 0.0f;
    }
}

}  // namespace

void normalizeBySumLog2(std::span<float> cells) {
    double sum = 0.0;
    for (float v : cells) sum += v;
    if (sum <= 0.0) return;
    const float scale = std::ldexp(1.0f, -static_cast<int>(std::floor(std::log2(sum))));
    for (float& v : cells) v *= scale;
}

SyntheticModules synthesizeHgcalModules(int64_t count, uint64_t seed) {
    if (count <= 0) throw InputError("the number of samples must be positive");
    const Geometry geometry = Geometry::econt();
    double xMin = 1e9, xMax = -1e9, yMin = 1e9, yMax = -1e9;
    for (const auto& c : geometry.cells()) {
        xMin = std::min(xMin, c.x);
        xMax = std::max(xMax, c.x);
        yMin = std::min(yMin, c.y);
        yMax = std::max(yMax, c.y);
    }
    SyntheticModules out;
    out.count = count;
    out.charges.assign(count * kEcontCells, 0.0f);
    Random rng(seed);
    for (int64_t s = 0; s < count; ++s) {
        std::span<float> charge(out.charges.data() + s * kEcontCells, kEcontCells);
        double sum = 0.0;
        while (sum == 0.0) {  // all-zero modules are dropped
            drawModule(rng, geometry, xMin, xMax, yMin, yMax, charge);
            sum = 0.0;
            for (float v : charge) sum += v;
        }
    }
    out.cells = out.charges;
    std::vector<double> cellsDouble(out.cells.size());
    for (int64_t s = 0; s < count; ++s) {
        std::span<float> cells(out.cells.data() + s * kEcontCells, kEcontCells);
        normalizeBySumLog2(cells);
    }
    for (size_t i = 0; i < cellsDouble.size(); ++i) cellsDouble[i] = out.cells[i];
    out.images = cellsToImages(cellsDouble);
    return out;
}

}  // namespace flipscope
