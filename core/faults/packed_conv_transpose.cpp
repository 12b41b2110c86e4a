#include "core/faults/packed_conv_transpose.h"

#include "core/common/error.h"
#include "core/faults/sample_lanes.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace flipscope {
namespace {

using namespace sample_lanes;

// For one input pixel's channels `xp` [inC][lane] and Width of its targets: per lane and target,
// sum = 0.0, then sum += x[ci] * k[ci][column] for ci in order, then acc[target] += sum -- the
// reference's arithmetic for one (tap, output channel). A pixel's targets are distinct
// accumulators, so their sums are independent and computed side by side (Width of them kept in
// registers, each as kParts<Part> parts of the group's lanes; the loops over w and p are unrolled
// for that, -O2 would not).
template <int Width, class Part>
inline __attribute__((always_inline)) void addTargets(const double* xp, const double* kernel, int64_t inC,
                                                      int64_t columns, const PackedConvTranspose::Target* targets,
                                                      double* acc) {
    constexpr int parts = kParts<Part>, lanes = kGroup / parts;
    Part sums[Width][parts];
    setToZero(sums);
    for (int64_t ci = 0; ci < inC; ++ci) {
        Part x[parts];
#pragma GCC unroll 4
        for (int p = 0; p < parts; ++p) loadLanes(x[p], xp + ci * kGroup + p * lanes);
        const double* k = kernel + ci * columns;
#pragma GCC unroll 8
        for (int w = 0; w < Width; ++w) {
            const double weight = k[targets[w].column];
#pragma GCC unroll 4
            for (int p = 0; p < parts; ++p) sums[w][p] = sums[w][p] + x[p] * weight;
        }
    }
    // An accumulator's first target starts it from +0.0 (no zeroing pass over all of them first).
#pragma GCC unroll 8
    for (int w = 0; w < Width; ++w) {
        double* target = acc + targets[w].accumulator * kGroup;
        const bool first = targets[w].first;
#pragma GCC unroll 4
        for (int p = 0; p < parts; ++p) {
            Part a = Part{};
            if (!first) loadLanes(a, target + p * lanes);
            a = a + sums[w][p];
            storeLanes(target + p * lanes, a);
        }
    }
}

// The double accumulators acc [outH, outW, filters][lane] of one group, from its transposed input
// x [inH, inW, inC][lane]: each input pixel in order adds to its targets in order (taps, then
// output channels), eight at a time, then four, then one at a time. The accumulators that no
// target reaches but that are read (`untouched`) are set to +0.0; the others not read are left.
template <class Part>
inline __attribute__((always_inline)) void scatterGroupWith(const double* kernel, int64_t inC, int64_t columns,
                                                            const int64_t* pixelTargets, int64_t pixels,
                                                            const PackedConvTranspose::Target* targets,
                                                            const double* x, const int64_t* untouched,
                                                            int64_t untouchedCount, double* acc) {
    for (int64_t u = 0; u < untouchedCount; ++u) std::fill_n(acc + untouched[u] * kGroup, kGroup, 0.0);
    for (int64_t pixel = 0; pixel < pixels; ++pixel) {
        const double* xp = x + pixel * inC * kGroup;
        int64_t t = pixelTargets[pixel];
        const int64_t end = pixelTargets[pixel + 1];
        for (; t + 8 <= end; t += 8) addTargets<8, Part>(xp, kernel, inC, columns, targets + t, acc);
        for (; t + 4 <= end; t += 4) addTargets<4, Part>(xp, kernel, inC, columns, targets + t, acc);
        for (; t < end; ++t) addTargets<1, Part>(xp, kernel, inC, columns, targets + t, acc);
    }
}

// scatterGroupWith in register-sized parts: built three times (AVX-512 with a whole Lanes per
// register, AVX2 with halves, baseline SSE2 with quarters) and picked at run time; the per-lane
// arithmetic is the same.
__attribute__((target("avx512f"))) void scatterGroup(const double* kernel, int64_t inC, int64_t columns,
                                                     const int64_t* pixelTargets, int64_t pixels,
                                                     const PackedConvTranspose::Target* targets, const double* x,
                                                     const int64_t* untouched, int64_t untouchedCount, double* acc) {
    scatterGroupWith<Lanes>(kernel, inC, columns, pixelTargets, pixels, targets, x, untouched, untouchedCount, acc);
}
__attribute__((target("avx2"))) void scatterGroup(const double* kernel, int64_t inC, int64_t columns,
                                                  const int64_t* pixelTargets, int64_t pixels,
                                                  const PackedConvTranspose::Target* targets, const double* x,
                                                  const int64_t* untouched, int64_t untouchedCount, double* acc) {
    scatterGroupWith<LaneQuad>(kernel, inC, columns, pixelTargets, pixels, targets, x, untouched, untouchedCount,
                               acc);
}
__attribute__((target("default"))) void scatterGroup(const double* kernel, int64_t inC, int64_t columns,
                                                     const int64_t* pixelTargets, int64_t pixels,
                                                     const PackedConvTranspose::Target* targets, const double* x,
                                                     const int64_t* untouched, int64_t untouchedCount, double* acc) {
    scatterGroupWith<LanePair>(kernel, inC, columns, pixelTargets, pixels, targets, x, untouched, untouchedCount,
                               acc);
}

}  // namespace

PackedConvTranspose::PackedConvTranspose(const Conv2DTransposeLayer& layer) : layer_(layer) {
    const Shape& in = layer.inputShapes().at(0);
    g_.inH = in[0];
    g_.inW = in[1];
    g_.inC = in[2];
    g_.filters = layer.filters();
    g_.kh = layer.kernelSize()[0];
    g_.kw = layer.kernelSize()[1];
    g_.strideH = layer.strides()[0];
    g_.strideW = layer.strides()[1];
    g_.outH = layer.rowWindow().out;
    g_.outW = layer.colWindow().out;
    g_.padTop = layer.rowWindow().padBefore;
    g_.padLeft = layer.colWindow().padBefore;
    // Kernel [tap][filters][inC] -> [inC][tap, filters]: column tap * filters + co.
    const float* k = layer.parameter("kernel")->effective.data();
    columns_ = g_.kh * g_.kw * g_.filters;
    kernel_.resize(g_.inC * columns_);
    for (int64_t column = 0; column < columns_; ++column)
        for (int64_t ci = 0; ci < g_.inC; ++ci) kernel_[ci * columns_ + column] = k[column * g_.inC + ci];
    gather_.skipZeros = std::all_of(kernel_.begin(), kernel_.end(), [](double w) { return std::isfinite(w); });
    listTargets();
    // The bias repeated for every output pixel, so that output value i gets bias_[i].
    if (const LayerParameter* bias = layer.parameter("bias"))
        for (int64_t pixel = 0; pixel < g_.outH * g_.outW; ++pixel)
            bias_.insert(bias_.end(), bias->effective.data(), bias->effective.data() + g_.filters);
}

void PackedConvTranspose::restrictOutputs(const std::vector<int64_t>& needed) {
    std::vector<char> keep(outPlane(), 0);
    for (const int64_t output : needed) keep.at(output) = 1;
    needed_ = keep;
    std::vector<Target> kept;
    std::vector<int64_t> starts{0};
    for (int64_t pixel = 0; pixel + 1 < static_cast<int64_t>(pixelTargets_.size()); ++pixel) {
        for (int64_t t = pixelTargets_[pixel]; t < pixelTargets_[pixel + 1]; ++t)
            if (keep[targets_[t].accumulator]) kept.push_back(targets_[t]);
        starts.push_back(static_cast<int64_t>(kept.size()));
    }
    targets_ = std::move(kept);
    pixelTargets_ = std::move(starts);
    markTouches();
}

// Each accumulator's first target (in the targets' order), the read accumulators that no target
// reaches, and the read accumulators as ranges (what finishing a group goes over).
void PackedConvTranspose::markTouches() {
    std::vector<char> touched(outPlane(), 0);
    for (Target& target : targets_) {
        target.first = !touched[target.accumulator];
        touched[target.accumulator] = 1;
    }
    untouched_.clear();
    finishRanges_.clear();
    for (int64_t output = 0; output < outPlane(); ++output) {
        if (!needed_[output]) continue;
        if (!touched[output]) untouched_.push_back(output);
        if (finishRanges_.empty() || finishRanges_.back().second != output) finishRanges_.emplace_back(output, output);
        ++finishRanges_.back().second;
    }
    planGather();
}

// Output by output (conv_transpose_gather.h) for layers with eight or more filters whose needed
// outputs are whole pixels (all filters or none); with fewer filters an output pixel's few sums
// would wait on one another.
void PackedConvTranspose::planGather() {
    ConvTransposeGather& plan = gather_;
    plan.inC = g_.inC;
    plan.columns = columns_;
    plan.filters = g_.filters;
    plan.inputPixels = g_.inH * g_.inW;
    plan.outputPixels.clear();
    plan.starts.assign(1, 0);
    plan.contributions.clear();
    gathers_ = false;
    if (g_.filters < 8) return;
    for (int64_t pixel = 0; pixel < g_.outH * g_.outW; ++pixel) {
        const auto first = needed_.begin() + pixel * g_.filters, last = first + g_.filters;
        const auto neededCount = std::count(first, last, 1);
        if (neededCount == 0) continue;
        if (neededCount != g_.filters) return;
        plan.outputPixels.push_back(pixel);
        const int64_t oh = pixel / g_.outW, ow = pixel % g_.outW;
        for (int64_t ih = 0; ih < g_.inH; ++ih) {  // the input pixels reaching it, in input order
            const int64_t di = oh + g_.padTop - ih * g_.strideH;
            if (di < 0 || di >= g_.kh) continue;
            for (int64_t iw = 0; iw < g_.inW; ++iw) {
                const int64_t dj = ow + g_.padLeft - iw * g_.strideW;
                if (dj < 0 || dj >= g_.kw) continue;
                plan.contributions.push_back({ih * g_.inW + iw, (di * g_.kw + dj) * g_.filters});
            }
        }
        plan.starts.push_back(static_cast<int64_t>(plan.contributions.size()));
    }
    channels_.resize(plan.inputPixels * (plan.inC + 1));
    gathers_ = true;
}

// acc [outH, outW, filters][lane] of one group from its input lanes x (the needed outputs; the
// others are left as they were).
void PackedConvTranspose::computeGroup(const double* x, double* acc) const {
    if (gathers_)
        gatherGroup(gather_, kernel_.data(), x, channels_.data(), acc);
    else
        scatterGroup(kernel_.data(), g_.inC, columns_, pixelTargets_.data(), g_.inH * g_.inW, targets_.data(), x,
                     untouched_.data(), static_cast<int64_t>(untouched_.size()), acc);
}

std::vector<int64_t> PackedConvTranspose::neededInputs() const {
    std::vector<int64_t> needed;
    for (int64_t pixel = 0; pixel + 1 < static_cast<int64_t>(pixelTargets_.size()); ++pixel)
        if (pixelTargets_[pixel + 1] > pixelTargets_[pixel])
            for (int64_t ci = 0; ci < g_.inC; ++ci) needed.push_back(pixel * g_.inC + ci);
    return needed;
}

// For each input pixel in order, its (tap, output channel) pairs that land inside the output, in
// the reference's order: taps row by row, then output channels.
void PackedConvTranspose::listTargets() {
    pixelTargets_.assign(1, 0);
    for (int64_t ih = 0; ih < g_.inH; ++ih) {
        for (int64_t iw = 0; iw < g_.inW; ++iw) {
            for (int64_t di = 0; di < g_.kh; ++di) {
                const int64_t oh = ih * g_.strideH + di - g_.padTop;
                if (oh < 0 || oh >= g_.outH) continue;
                for (int64_t dj = 0; dj < g_.kw; ++dj) {
                    const int64_t ow = iw * g_.strideW + dj - g_.padLeft;
                    if (ow < 0 || ow >= g_.outW) continue;
                    for (int64_t co = 0; co < g_.filters; ++co)
                        targets_.push_back({(di * g_.kw + dj) * g_.filters + co, (oh * g_.outW + ow) * g_.filters + co});
                }
            }
            pixelTargets_.push_back(static_cast<int64_t>(targets_.size()));
        }
    }
    needed_.assign(outPlane(), 1);
    markTouches();
}

void PackedConvTranspose::forward(const Tensor& x, Tensor& y) const {
    const int64_t inPlane = g_.inH * g_.inW * g_.inC, outPlane = g_.outH * g_.outW * g_.filters;
    if (x.rank() != 4 || x.rowSize() != inPlane)
        throw Error("layer '" + layer_.name() + "': the packed Conv2DTranspose forward expects input [n, " +
                    std::to_string(g_.inH) + ", " + std::to_string(g_.inW) + ", " + std::to_string(g_.inC) + "]");
    const int64_t n = x.dim(0);
    y.resize({n, g_.outH, g_.outW, g_.filters});
    input_.resize(inPlane * kGroup);
    // Accumulators that are not read stay +0.0 (never written), so the outputs not computed keep
    // the bias alone.
    acc_.assign(outPlane * kGroup, 0.0);
    for (int64_t s = 0; s < n; s += kGroup) {
        const int64_t count = std::min(kGroup, n - s);
        transposeGroup(x.data() + s * inPlane, count, inPlane, input_.data());
        computeGroup(input_.data(), acc_.data());
        storeGroup(acc_.data(), count, outPlane, bias_.empty() ? nullptr : bias_.data(), y.data() + s * outPlane);
    }
    layer_.activation().apply(y);
}

bool PackedConvTranspose::lanesFusable() const { return finishesInLanes(layer_.activation()); }

void PackedConvTranspose::forwardLanes(const double* input, double* output) const {
    computeGroup(input, output);
    // Only the outputs read are finished; the others hold whatever the buffer held.
    for (const auto& [begin, end] : finishRanges_)
        finishGroup(output + begin * kGroup, end - begin, bias_.empty() ? nullptr : bias_.data() + begin,
                    layer_.activation());
}

Tensor PackedConvTranspose::forward(const Tensor& x) const {
    Tensor y;
    forward(x, y);
    return y;
}

}  // namespace flipscope
