#include "core/faults/dense_unit_faults.h"

#include "core/common/error.h"
#include "core/common/radix_sort.h"
#include "core/faults/fault_group_sums.h"
#include "core/faults/incremental_engine.h"
#include "core/faults/layer_chain.h"
#include "core/model/layers/dense.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>

namespace flipscope {
namespace {

// Samples per block: the faults' values of one block go through the activations together.
constexpr int64_t kBlock = 64;

uint32_t bitsOf(float v) { return std::bit_cast<uint32_t>(v); }

// Bits of a float whose unsigned order is the order of the values (-0 just below +0), and back.
uint32_t orderedBits(float v) {
    const uint32_t bits = bitsOf(v);
    return bits & 0x80000000u ? ~bits : bits | 0x80000000u;
}
float fromOrderedBits(uint32_t ordered) {
    return std::bit_cast<float>(ordered & 0x80000000u ? ordered & 0x7fffffffu : ~ordered);
}

// One downstream row per distinct (sample, value) of `changed` (local sample << 32 | orderedBits,
// sorted). For each sample the values below its clean value come first, walking down from it,
// then those above, walking up: each row is close to the one before (flagged in `continues`) and
// the first of each side close to clean, which keeps the warm EMD's pivots few (starting at the
// lowest value, far from clean, cost many). Fills the rows' samples (block start `first` + local
// sample) and each change's row.
void orderRows(const std::vector<std::pair<uint64_t, int32_t>>& changed, int64_t first,
               const std::function<uint32_t(int64_t)>& cleanOrderedBits, std::vector<int64_t>& rowSamples,
               std::vector<char>& continues, std::vector<int32_t>& rowOfChange) {
    for (size_t begin = 0; begin < changed.size();) {
        const uint64_t local = changed[begin].first >> 32;
        size_t end = begin;
        while (end < changed.size() && changed[end].first >> 32 == local) ++end;
        const uint32_t clean = cleanOrderedBits(static_cast<int64_t>(local));
        size_t split = begin;
        while (split < end && static_cast<uint32_t>(changed[split].first) < clean) ++split;
        auto addRow = [&](bool continuing) {
            rowSamples.push_back(first + static_cast<int64_t>(local));
            continues.push_back(continuing);
        };
        for (size_t c = split; c-- > begin;) {  // below clean, nearest first
            if (c + 1 == split || changed[c].first != changed[c + 1].first) addRow(c + 1 != split);
            rowOfChange[c] = static_cast<int32_t>(rowSamples.size() - 1);
        }
        for (size_t c = split; c < end; ++c) {  // above clean, nearest first
            if (c == split || changed[c].first != changed[c - 1].first) addRow(c != split);
            rowOfChange[c] = static_cast<int32_t>(rowSamples.size() - 1);
        }
        begin = end;
    }
}

// out[i] = replaceTerm(cleanSums[i], x[i], w, faulty) (exact_dot.h), plus the bias in float when
// there is one, for the `size` samples of a block: every intermediate is a sum of some of the
// exact terms, hence exact, so this is the float the layer's full sum gives. Written without the
// branch on a zero input (a zero input's terms are +-0.0, which leave the exact sum as it is; the
// select keeps an infinite weight from making them NaN), so that the loop runs in SIMD lanes.
__attribute__((target_clones("avx2", "default"))) void replaceTerms(const double* cleanSums, const float* x,
                                                                    int64_t size, float w, float faulty,
                                                                    bool hasBias, float bias, float* out) {
    typedef double Doubles __attribute__((vector_size(32)));
    typedef float Floats __attribute__((vector_size(16)));
    const double before = w, after = faulty;
    int64_t i = 0;
    for (; i + 4 <= size; i += 4) {
        Floats xf;
        Doubles sums;
        std::memcpy(&xf, x + i, sizeof xf);
        std::memcpy(&sums, cleanSums + i, sizeof sums);
        const Doubles xi = __builtin_convertvector(xf, Doubles);
        const Doubles replaced = (sums - xi * before) + xi * after;
        Floats value = __builtin_convertvector(xi == 0.0 ? sums : replaced, Floats);
        if (hasBias) value = value + bias;
        std::memcpy(out + i, &value, sizeof value);
    }
    for (; i < size; ++i) {
        const double xi = x[i];
        const double replaced = (cleanSums[i] - xi * before) + xi * after;
        const float value = static_cast<float>(xi == 0.0 ? cleanSums[i] : replaced);
        out[i] = hasBias ? value + bias : value;
    }
}

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

bool DenseUnitFaults::evaluate(size_t position, int64_t unit, std::span<const DenseUnitFault> faults,
                               const GroupMetrics& out, const std::atomic<bool>* cancel) {
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
    if (!doubleSumsAreExact(bounds.grid, weights, bounds.maxSampleAbsSum * weights.maxAbs)) return false;

    size_t last = position;
    const auto activations = unitActivations(chain_, position, last);
    const Tensor& x = cleanInput(cache_, evaluator_, position);
    const Tensor& clean = cache_.outputs[last];
    const int64_t width = clean.rowSize();
    const auto count = static_cast<int64_t>(faults.size());
    const int64_t sliceSize = std::max<int64_t>(1, kGroupRowBudget / (kBlock * width * static_cast<int64_t>(sizeof(float))));
    if (count > sliceSize)
        return inFaultSlices(count, sliceSize, [&](int64_t first, int64_t slice) {
            return evaluate(position, unit, faults.subspan(first, slice), out.slice(first, slice), cancel);
        });

    Tensor values({count * kBlock});
    cleanSums_.resize(kBlock);
    for (int64_t first = out.range.begin; first < out.range.end; first += kBlock) {
        if (cancel && *cancel) throw Cancelled();
        const int64_t size = std::min(kBlock, out.range.end - first);
        // The clean sum of each sample, zero inputs skipped like the reference (exact: any order).
        for (int64_t i = 0; i < size; ++i) {
            const float* xs = x.data() + (first + i) * in;
            double acc = 0.0;
            for (int64_t k = 0; k < in; ++k)
                if (xs[k] != 0.0f) acc += static_cast<double>(xs[k]) * static_cast<double>(w[k * units + unit]);
            cleanSums_[i] = acc;
        }
        // The block's inputs input by input (each fault reads one input of every sample).
        blockInputs_.resize(in * kBlock);
        for (int64_t i = 0; i < size; ++i)
            for (int64_t k = 0; k < in; ++k) blockInputs_[k * kBlock + i] = x[(first + i) * in + k];
        // Each fault's pre-activation: the clean sum with one term replaced, rounded and biased as
        // the layer does.
        for (int64_t f = 0; f < count; ++f) {
            const DenseUnitFault& fault = faults[f];
            float* out = values.data() + f * kBlock;
            if (fault.kernelRow < 0) {
                for (int64_t i = 0; i < size; ++i) out[i] = static_cast<float>(cleanSums_[i]) + fault.faulty;
                continue;
            }
            replaceTerms(cleanSums_.data(), blockInputs_.data() + fault.kernelRow * kBlock, size,
                         w[fault.kernelRow * units + unit], fault.faulty, biasParam != nullptr, bias, out);
        }
        for (const Activation* activation : activations) activation->apply(values);

        // (sample, value) pairs that differ from clean, each run downstream once.
        // Listed sample by sample, so that sorting each sample's run sorts them all (shorter sorts).
        // A sample's (value, fault) pairs sort as single 64-bit keys (value bits << 32 | fault).
        changed_.clear();
        for (int64_t i = 0; i < size; ++i) {
            const uint32_t cleanBits = bitsOf(clean[(first + i) * width + unit]);
            // Branch-free (whether a fault changed the value is not predictable): every key is
            // written, and kept when it differs.
            sampleChanges_.resize(count);
            size_t kept = 0;
            for (int64_t f = 0; f < count; ++f) {
                const float value = values[f * kBlock + i];
                sampleChanges_[kept] = static_cast<uint64_t>(orderedBits(value)) << 32 | static_cast<uint64_t>(f);
                kept += bitsOf(value) != cleanBits;
            }
            sampleChanges_.resize(kept);
            sortByHigh32(sampleChanges_, sortScratch_);
            for (const uint64_t change : sampleChanges_)
                changed_.emplace_back(static_cast<uint64_t>(i) << 32 | change >> 32, static_cast<int32_t>(change & 0xffffffffu));
        }
        std::vector<int64_t> rowSamples;
        std::vector<char> continues;
        std::vector<int32_t> rowOfChange(changed_.size());
        orderRows(
            changed_, first, [&](int64_t i) { return orderedBits(clean[(first + i) * width + unit]); }, rowSamples,
            continues, rowOfChange);
        Shape shape = clean.shape();
        shape[0] = static_cast<int64_t>(rowSamples.size());
        Tensor rows(shape);
        for (size_t r = 0; r < rowSamples.size(); ++r)
            std::copy_n(clean.data() + rowSamples[r] * width, width, rows.data() + r * width);
        for (size_t c = 0; c < changed_.size(); ++c)
            rows[rowOfChange[c] * width + unit] = fromOrderedBits(static_cast<uint32_t>(changed_[c].first));
        std::vector<double> rowMetrics(rowSamples.size());
        if (!rowSamples.empty()) downstream_.run(last, std::move(rows), rowSamples, rowMetrics, cancel, continues);

        addBlockMetrics(first, std::span<const double>(cache_.perSample.data() + first, size), changed_, rowOfChange,
                        rowMetrics, blockMetrics_, out);
    }
    return true;
}

}  // namespace flipscope
