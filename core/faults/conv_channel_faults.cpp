#include "core/faults/conv_channel_faults.h"

#include "core/common/error.h"
#include "core/faults/fault_group_sums.h"
#include "core/faults/incremental_engine.h"
#include "core/faults/layer_chain.h"
#include "core/model/layers/conv2d.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>

namespace flipscope {
namespace {

// Samples per block (at most): the faults' channel values of one block go through the activations
// together. Blocks are smaller when their faulty rows would pass kGroupRowBudget.
constexpr int64_t kMaxBlock = 32;

uint32_t bitsOf(float v) { return std::bit_cast<uint32_t>(v); }

// FNV-1a over the bits of a sample's channel values: groups equal value sets (equality is then
// checked value by value).
uint32_t hashValues(const float* values, int64_t count) {
    uint32_t hash = 2166136261u;
    for (int64_t i = 0; i < count; ++i) {
        hash ^= bitsOf(values[i]);
        hash *= 16777619u;
    }
    return hash;
}

// Puts the rows of each sample in chains for the warm EMD (warm_emd.h): the faults of one tap
// move the channel along one direction (that tap's inputs), by the weight's change, so the rows
// of one (sample, tap, sign of the change) go nearest to clean first, each flagged in `continues`
// as close to the row before. A row shared by several faults goes with its first fault. Reorders
// rowSamples and rowFault and renumbers rowOfChange.
void chainRows(const std::function<double(int32_t)>& weightChange, const std::function<int64_t(int32_t)>& tapOf,
               std::vector<int64_t>& rowSamples, std::vector<int32_t>& rowFault, std::vector<int32_t>& rowOfChange,
               std::vector<char>& continues) {
    const size_t rows = rowSamples.size();
    struct Key {
        int64_t sample, tap;
        bool down;
        double size;
        auto operator<=>(const Key&) const = default;
    };
    std::vector<Key> keys(rows);
    for (size_t r = 0; r < rows; ++r) {
        const double change = weightChange(rowFault[r]);
        keys[r] = {rowSamples[r], tapOf(rowFault[r]), change < 0.0, std::abs(change)};
    }
    std::vector<int32_t> order(rows), position(rows);
    for (size_t r = 0; r < rows; ++r) order[r] = static_cast<int32_t>(r);
    std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return keys[a] < keys[b]; });
    std::vector<int64_t> samples(rows);
    std::vector<int32_t> faults(rows);
    continues.assign(rows, 0);
    for (size_t k = 0; k < rows; ++k) {
        const Key& key = keys[order[k]];
        samples[k] = rowSamples[order[k]];
        faults[k] = rowFault[order[k]];
        position[order[k]] = static_cast<int32_t>(k);
        if (k > 0) {
            const Key& before = keys[order[k - 1]];
            continues[k] = before.sample == key.sample && before.tap == key.tap && before.down == key.down;
        }
    }
    rowSamples.swap(samples);
    rowFault.swap(faults);
    for (int32_t& row : rowOfChange) row = position[row];
}

}  // namespace

ConvChannelFaults::ConvChannelFaults(const std::vector<Layer*>& chain, const CleanCache& cache,
                                     const ModelEvaluator& evaluator, const DownstreamPass& downstream)
    : chain_(chain), cache_(cache), evaluator_(evaluator), downstream_(downstream), bounds_(chain.size()) {}

bool ConvChannelFaults::groupable(size_t position) const {
    if (!dynamic_cast<const Conv2DLayer*>(chain_[position])) return false;
    size_t last = position;
    return !unitActivations(chain_, position, last).empty();
}

const InputBounds& ConvChannelFaults::inputBounds(size_t position) {
    if (!bounds_[position]) bounds_[position] = flipscope::inputBounds(cleanInput(cache_, evaluator_, position));
    return *bounds_[position];
}

// cleanSums_[i * positions + p]: the channel's double sum at output position p of sample i, zero
// inputs skipped like the reference (exact, so in any order). tapInput_ must be filled.
void ConvChannelFaults::cleanSums(const Conv2DLayer& conv, const float* x, int64_t samples, int64_t channel) {
    const Shape& in = conv.inputShapes().at(0);
    const int64_t inSample = in[0] * in[1] * in[2];
    const int64_t positions = conv.rowWindow().out * conv.colWindow().out;
    const int64_t taps = static_cast<int64_t>(tapInput_.size()) / positions;
    const float* w = conv.parameter("kernel")->effective.data();
    cleanSums_.assign(samples * positions, 0.0);
    for (int64_t i = 0; i < samples; ++i) {
        const float* xs = x + i * inSample;
        double* sums = cleanSums_.data() + i * positions;
        for (int64_t t = 0; t < taps; ++t) {
            const double wt = w[t * conv.filters() + channel];
            const int64_t* offsets = tapInput_.data() + t * positions;
            for (int64_t p = 0; p < positions; ++p) {
                if (offsets[p] < 0) continue;
                const double xv = xs[offsets[p]];
                if (xv != 0.0) sums[p] += xv * wt;
            }
        }
    }
}

bool ConvChannelFaults::evaluate(size_t position, int64_t channel, std::span<const ConvChannelFault> faults,
                                 const GroupMetrics& out, const std::atomic<bool>* cancel) {
    const auto& conv = static_cast<const Conv2DLayer&>(*chain_[position]);
    const Shape& in = conv.inputShapes().at(0);
    const int64_t inH = in[0], inW = in[1], inC = in[2], inSample = inH * inW * inC;
    const int64_t kh = conv.kernelSize()[0], kw = conv.kernelSize()[1], filters = conv.filters();
    const int64_t outH = conv.rowWindow().out, outW = conv.colWindow().out, positions = outH * outW;
    const int64_t taps = kh * kw * inC;
    const float* w = conv.parameter("kernel")->effective.data();
    const LayerParameter* biasParam = conv.parameter("bias");
    const float bias = biasParam ? biasParam->effective[channel] : 0.0f;

    ValueGrid weights;
    for (int64_t t = 0; t < taps; ++t) weights.add(w[t * filters + channel]);
    for (const ConvChannelFault& f : faults)
        if (f.tap >= 0) weights.add(f.faulty);
    const InputBounds& bounds = inputBounds(position);
    if (!doubleSumsAreExact(bounds.grid, weights, bounds.maxSampleAbsSum * weights.maxAbs)) return false;

    // The input offset each tap reads at each output position (-1: padding).
    tapInput_.assign(taps * positions, -1);
    for (int64_t di = 0; di < kh; ++di)
        for (int64_t dj = 0; dj < kw; ++dj)
            for (int64_t oh = 0; oh < outH; ++oh) {
                const int64_t ih = oh * conv.strides()[0] + di * conv.dilation()[0] - conv.rowWindow().padBefore;
                if (ih < 0 || ih >= inH) continue;
                for (int64_t ow = 0; ow < outW; ++ow) {
                    const int64_t iw = ow * conv.strides()[1] + dj * conv.dilation()[1] - conv.colWindow().padBefore;
                    if (iw < 0 || iw >= inW) continue;
                    for (int64_t ci = 0; ci < inC; ++ci)
                        tapInput_[((di * kw + dj) * inC + ci) * positions + oh * outW + ow] = (ih * inW + iw) * inC + ci;
                }
            }

    size_t last = position;
    const auto activations = unitActivations(chain_, position, last);
    const Tensor& x = cleanInput(cache_, evaluator_, position);
    const Tensor& clean = cache_.outputs[last];
    const int64_t width = clean.rowSize();
    const auto count = static_cast<int64_t>(faults.size());
    const int64_t rowBytes = std::max(width, positions) * static_cast<int64_t>(sizeof(float));
    const int64_t sliceSize = std::max<int64_t>(1, kGroupRowBudget / rowBytes);
    if (count > sliceSize)
        return inFaultSlices(count, sliceSize, [&](int64_t first, int64_t slice) {
            return evaluate(position, channel, faults.subspan(first, slice), out.slice(first, slice), cancel);
        });
    const int64_t block = std::clamp<int64_t>(kGroupRowBudget / (count * rowBytes), 1, kMaxBlock);

    Tensor values({count * block * positions});
    std::vector<double> blockMetrics;
    for (int64_t first = out.range.begin; first < out.range.end; first += block) {
        if (cancel && *cancel) throw Cancelled();
        const int64_t size = std::min(block, out.range.end - first);
        const float* xb = x.data() + first * inSample;
        cleanSums(conv, xb, size, channel);
        // Each fault's channel: the clean sums with one term replaced where the tap reads a
        // non-zero input (every intermediate is a sum of exact terms, hence exact), rounded and
        // biased as the layer does.
        for (int64_t f = 0; f < count; ++f) {
            const ConvChannelFault& fault = faults[f];
            const int64_t* offsets = fault.tap >= 0 ? tapInput_.data() + fault.tap * positions : nullptr;
            const float wt = fault.tap >= 0 ? w[fault.tap * filters + channel] : 0.0f;
            for (int64_t i = 0; i < size; ++i) {
                const double* acc = cleanSums_.data() + i * positions;
                float* faulty = values.data() + (f * block + i) * positions;
                for (int64_t p = 0; p < positions; ++p) {
                    if (!offsets) {
                        faulty[p] = static_cast<float>(acc[p]) + fault.faulty;
                        continue;
                    }
                    const float xv = offsets[p] < 0 ? 0.0f : xb[i * inSample + offsets[p]];
                    faulty[p] = replaceTerm(acc[p], xv, wt, fault.faulty);
                    if (biasParam) faulty[p] = faulty[p] + bias;
                }
            }
        }
        for (const Activation* activation : activations) activation->apply(values);

        // (sample, channel values) pairs that differ from clean, each run downstream once.
        keys_.clear();
        for (int64_t f = 0; f < count; ++f)
            for (int64_t i = 0; i < size; ++i) {
                const float* v = values.data() + (f * block + i) * positions;
                const float* c = clean.data() + (first + i) * width + channel;
                bool changed = false;
                for (int64_t p = 0; p < positions && !changed; ++p) changed = bitsOf(v[p]) != bitsOf(c[p * filters]);
                if (changed)
                    keys_.emplace_back(static_cast<uint64_t>(i) << 32 | hashValues(v, positions), static_cast<int32_t>(f));
            }
        std::sort(keys_.begin(), keys_.end());
        std::vector<int64_t> rowSamples;
        std::vector<int32_t> rowOfChange(keys_.size()), rowFault;
        for (size_t c = 0; c < keys_.size(); ++c) {
            const float* v = values.data() + (keys_[c].second * block + static_cast<int64_t>(keys_[c].first >> 32)) * positions;
            const bool same = c > 0 && keys_[c].first == keys_[c - 1].first &&
                              std::memcmp(v, values.data() + (rowFault.back() * block + static_cast<int64_t>(keys_[c].first >> 32)) * positions,
                                          positions * sizeof(float)) == 0;
            if (!same) {
                rowSamples.push_back(first + static_cast<int64_t>(keys_[c].first >> 32));
                rowFault.push_back(keys_[c].second);
            }
            rowOfChange[c] = static_cast<int32_t>(rowSamples.size() - 1);
        }
        std::vector<char> continues;
        chainRows([&](int32_t f) {
                      const ConvChannelFault& fault = faults[f];
                      const float before = fault.tap >= 0 ? w[fault.tap * filters + channel] : bias;
                      return static_cast<double>(fault.faulty) - static_cast<double>(before);
                  },
                  [&](int32_t f) { return faults[f].tap; }, rowSamples, rowFault, rowOfChange, continues);
        // Each row: the sample's clean row with the channel's values put in (built by appending,
        // as a zero-filled tensor would be written twice).
        Shape shape = clean.shape();
        shape[0] = static_cast<int64_t>(rowSamples.size());
        std::vector<float> rowValues;
        rowValues.reserve(rowSamples.size() * width);
        for (const int64_t sample : rowSamples)
            rowValues.insert(rowValues.end(), clean.data() + sample * width, clean.data() + (sample + 1) * width);
        for (size_t r = 0; r < rowSamples.size(); ++r) {
            float* dst = rowValues.data() + r * width;
            const float* v = values.data() + (rowFault[r] * block + (rowSamples[r] - first)) * positions;
            for (int64_t p = 0; p < positions; ++p) dst[p * filters + channel] = v[p];
        }
        Tensor rows(shape, std::move(rowValues));
        std::vector<double> rowMetrics(rowSamples.size());
        if (!rowSamples.empty()) downstream_.run(last, std::move(rows), rowSamples, rowMetrics, cancel, continues);

        addBlockMetrics(first, std::span<const double>(cache_.perSample.data() + first, size), keys_, rowOfChange,
                        rowMetrics, blockMetrics, out);
    }
    return true;
}

}  // namespace flipscope
