#include "core/faults/dense_unit_faults.h"

#include "core/common/error.h"
#include "core/faults/fault_group_sums.h"
#include "core/faults/incremental_engine.h"
#include "core/faults/layer_chain.h"
#include "core/model/layers/dense.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace flipscope {
namespace {

// Samples per block: the faults' values of one block go through the activations together.
constexpr int64_t kBlock = 64;

uint32_t bitsOf(float v) { return std::bit_cast<uint32_t>(v); }

}  // namespace

DenseUnitFaults::DenseUnitFaults(const std::vector<Layer*>& chain, const CleanCache& cache,
                                 const ModelEvaluator& evaluator, const DownstreamPass& downstream)
    : chain_(chain), cache_(cache), evaluator_(evaluator), downstream_(downstream), bounds_(chain.size()) {}

bool DenseUnitFaults::groupable(size_t position) const {
    const auto* dense = dynamic_cast<const DenseLayer*>(chain_[position]);
    if (!dense || dense->outputShape().size() != 1) return false;
    size_t last = position;
    return !unitActivations(chain_, position, last).empty();
}

const InputBounds& DenseUnitFaults::inputBounds(size_t position) {
    if (!bounds_[position]) bounds_[position] = flipscope::inputBounds(cleanInput(cache_, evaluator_, position));
    return *bounds_[position];
}

std::optional<std::vector<double>> DenseUnitFaults::evaluate(size_t position, int64_t unit,
                                                             std::span<const DenseUnitFault> faults,
                                                             const std::atomic<bool>* cancel) {
    const auto& dense = static_cast<const DenseLayer&>(*chain_[position]);
    const int64_t in = dense.inFeatures(), units = dense.units();
    const float* w = dense.parameter("kernel")->effective.data();
    const LayerParameter* biasParam = dense.parameter("bias");
    const float bias = biasParam ? biasParam->effective[unit] : 0.0f;

    ValueGrid weights;
    for (int64_t k = 0; k < in; ++k) weights.add(w[k * units + unit]);
    // A faulty bias never enters the double sum (it is added in float afterwards).
    for (const DenseUnitFault& f : faults)
        if (f.kernelRow >= 0) weights.add(f.faulty);
    const InputBounds& bounds = inputBounds(position);
    if (!doubleSumsAreExact(bounds.grid, weights, bounds.maxSampleAbsSum * weights.maxAbs)) return std::nullopt;

    size_t last = position;
    const auto activations = unitActivations(chain_, position, last);
    const Tensor& x = cleanInput(cache_, evaluator_, position);
    const Tensor& clean = cache_.outputs[last];
    const int64_t width = clean.rowSize();
    const int64_t n = evaluator_.samples();
    const auto count = static_cast<int64_t>(faults.size());
    const int64_t sliceSize = std::max<int64_t>(1, kGroupRowBudget / (kBlock * width * static_cast<int64_t>(sizeof(float))));
    if (count > sliceSize)
        return inFaultSlices(count, sliceSize, [&](int64_t first, int64_t slice) {
            return evaluate(position, unit, faults.subspan(first, slice), cancel);
        });

    Tensor values({count * kBlock});
    cleanSums_.resize(kBlock);
    std::vector<double> sums(count, 0.0);
    for (int64_t first = 0; first < n; first += kBlock) {
        if (cancel && *cancel) throw Cancelled();
        const int64_t size = std::min(kBlock, n - first);
        // The clean sum of each sample, zero inputs skipped like the reference (exact: any order).
        for (int64_t i = 0; i < size; ++i) {
            const float* xs = x.data() + (first + i) * in;
            double acc = 0.0;
            for (int64_t k = 0; k < in; ++k)
                if (xs[k] != 0.0f) acc += static_cast<double>(xs[k]) * static_cast<double>(w[k * units + unit]);
            cleanSums_[i] = acc;
        }
        // Each fault's pre-activation: the clean sum with one term replaced (every intermediate is
        // a sum of some of the exact terms, hence exact), rounded and biased as the layer does.
        for (int64_t f = 0; f < count; ++f) {
            const DenseUnitFault& fault = faults[f];
            float* out = values.data() + f * kBlock;
            for (int64_t i = 0; i < size; ++i) {
                const double acc = cleanSums_[i];
                if (fault.kernelRow < 0) {
                    out[i] = static_cast<float>(acc) + fault.faulty;
                    continue;
                }
                out[i] = replaceTerm(acc, x[(first + i) * in + fault.kernelRow], w[fault.kernelRow * units + unit],
                                     fault.faulty);
                if (biasParam) out[i] = out[i] + bias;
            }
        }
        for (const Activation* activation : activations) activation->apply(values);

        // (sample, value) pairs that differ from clean, each run downstream once.
        changed_.clear();
        for (int64_t f = 0; f < count; ++f)
            for (int64_t i = 0; i < size; ++i) {
                const uint32_t bits = bitsOf(values[f * kBlock + i]);
                if (bits != bitsOf(clean[(first + i) * width + unit]))
                    changed_.emplace_back(static_cast<uint64_t>(i) << 32 | bits, static_cast<int32_t>(f));
            }
        std::sort(changed_.begin(), changed_.end());
        std::vector<int64_t> rowSamples;
        std::vector<int32_t> rowOfChange(changed_.size());
        for (size_t c = 0; c < changed_.size(); ++c) {
            if (c == 0 || changed_[c].first != changed_[c - 1].first)
                rowSamples.push_back(first + static_cast<int64_t>(changed_[c].first >> 32));
            rowOfChange[c] = static_cast<int32_t>(rowSamples.size() - 1);
        }
        Shape shape = clean.shape();
        shape[0] = static_cast<int64_t>(rowSamples.size());
        Tensor rows(shape);
        for (size_t r = 0; r < rowSamples.size(); ++r)
            std::copy_n(clean.data() + rowSamples[r] * width, width, rows.data() + r * width);
        for (size_t c = 0; c < changed_.size(); ++c)
            rows[rowOfChange[c] * width + unit] = std::bit_cast<float>(static_cast<uint32_t>(changed_[c].first));
        std::vector<double> rowMetrics(rowSamples.size());
        if (!rowSamples.empty()) downstream_.run(last, rows, rowSamples, rowMetrics, cancel, true);

        addBlockSums(std::span<const double>(cache_.perSample.data() + first, size), changed_, rowOfChange, rowMetrics,
                     blockMetrics_, sums);
    }
    for (double& sum : sums) sum /= static_cast<double>(n);
    return sums;
}

}  // namespace flipscope
