#include "core/faults/incremental_engine.h"

#include "core/common/error.h"
#include "core/common/parallel_chunks.h"
#include "core/faults/layer_chain.h"
#include "core/faults/packed_conv_transpose.h"
#include "core/faults/packed_dense.h"
#include "core/faults/warm_emd.h"
#include "core/model/layers/conv2d.h"
#include "core/model/layers/dense.h"

#include <algorithm>
#include <bit>
#include <map>

namespace flipscope {
namespace {

// Faults are grouped within windows of consecutive plan faults: three small ones (1, 4 and 16
// faults) so that the first results reach the caller (and the results file) at once and a
// campaign stopped early has results on disk, then windows of kLargeGroupWindow faults, which give
// a Dense unit's group many faults to share work with (the equal faulty values of a unit are run
// downstream once per window).
constexpr int64_t kLargeGroupWindow = 32768;

int64_t nextWindow(int64_t window) { return window < 16 ? window * 4 : kLargeGroupWindow; }

// A group's work goes in up to kMaxParts parts by samples, of at least kMinPartSamples samples,
// as many as keep the metrics its later parts keep (8 bytes per fault and sample) under a budget
// per unit: kKeptBudget, shared out among the threads past kKeptThreads (each thread can have a
// unit in flight).
constexpr int kMaxParts = 4;
constexpr int64_t kMinPartSamples = 64;
constexpr int64_t kKeptBudget = int64_t{32} << 20;
constexpr int kKeptThreads = 8;

int groupParts(int64_t faults, int64_t samples, int threads) {
    const int64_t budget = kKeptBudget * kKeptThreads / std::max(kKeptThreads, threads);
    for (auto parts = static_cast<int>(std::clamp<int64_t>(samples / kMinPartSamples, 1, kMaxParts)); parts > 1; --parts)
        if (faults * (samples - samples / parts) * static_cast<int64_t>(sizeof(double)) <= budget) return parts;
    return 1;
}

SampleRange partRange(int part, int parts, int64_t samples) {
    return {samples * part / parts, samples * (part + 1) / parts};
}

bool sameBits(float a, float b) { return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b); }

std::vector<Layer*> chainOf(const Model& model) {
    auto chain = flattenChain(model);
    return chain ? std::move(*chain) : std::vector<Layer*>{};
}

}  // namespace

int64_t CleanCache::bytes() const {
    int64_t total = static_cast<int64_t>(perSample.size() * sizeof(double));
    for (const Tensor& t : outputs) total += t.size() * static_cast<int64_t>(sizeof(float));
    for (const EmdBasis& basis : emdBases)
        total += static_cast<int64_t>(sizeof basis + (basis.senders.size() + basis.receivers.size() + basis.cells.size()) * sizeof(int));
    return total;
}

std::shared_ptr<const CleanCache> buildCleanCache(const Model& model, const ModelEvaluator& evaluator, int threads) {
    const auto chain = flattenChain(model);
    if (!chain) return nullptr;
    auto cache = std::make_shared<CleanCache>();
    const Tensor& inputs = evaluator.inputs();
    const int64_t n = inputs.dim(0);
    for (const Layer* layer : *chain) {
        Shape shape = layer->outputShape();
        shape.insert(shape.begin(), n);
        cache->outputs.emplace_back(shape);
    }
    // Chunks of samples on the threads; every chunk's rows are its own, so the cache does not depend
    // on the thread count. Small chunks, so that a few hundred samples (a quick campaign) still
    // keep the threads busy. The layers that have a packed form run in it: the same bits, several
    // times faster.
    constexpr int64_t kCacheChunk = 64;
    const int64_t chunks = (n + kCacheChunk - 1) / kCacheChunk;
    parallelChunks(chunks, threads, [&](int64_t c) {
        const int64_t begin = c * kCacheChunk, end = std::min(n, begin + kCacheChunk);
        Tensor x = inputs.slice(begin, end);
        for (size_t l = 0; l < chain->size(); ++l) {
            const Layer& layer = *(*chain)[l];
            if (const auto* transpose = dynamic_cast<const Conv2DTransposeLayer*>(&layer))
                x = PackedConvTranspose(*transpose).forward(x);
            else if (PackedDense::packs(layer))
                x = PackedDense(static_cast<const DenseLayer&>(layer)).forward(x);
            else
                x = layer.forward({&x});
            std::copy_n(x.data(), x.size(), cache->outputs[l].data() + begin * cache->outputs[l].rowSize());
        }
    });
    // For the ECON-T EMD the solves that give the clean plans give the clean metric too.
    cache->emdBases = cleanEmdBases(evaluator, cache->outputs.back(), cache->perSample, threads);
    if (cache->emdBases.empty()) cache->perSample = evaluator.perSampleFromOutputs(cache->outputs.back(), 0);
    return cache;
}

const Tensor& cleanInput(const CleanCache& cache, const ModelEvaluator& evaluator, size_t position) {
    return position == 0 ? evaluator.inputs() : cache.outputs[position - 1];
}

CampaignWork singleFaultWork(int64_t start, int64_t total) {
    CampaignWork work;
    for (int64_t i = start; i < total; ++i) {
        work.begins.push_back(static_cast<int64_t>(work.order.size()));
        work.order.push_back(i);
    }
    work.begins.push_back(static_cast<int64_t>(work.order.size()));
    return work;
}

IncrementalEvaluator::IncrementalEvaluator(Model& model, const std::vector<BoundTensor>& bound,
                                           const CleanCache& cache, const ModelEvaluator& evaluator, double baseline)
    : model_(model), bound_(bound), cache_(cache), evaluator_(evaluator), baseline_(baseline), chain_(chainOf(model)),
      downstream_(chain_, cache_, evaluator_), denseUnits_(chain_, cache_, evaluator_, downstream_),
      convChannels_(chain_, cache_, evaluator_, downstream_), tensorGroups_(listTensorGroups()) {}

std::optional<size_t> IncrementalEvaluator::positionOf(const Layer* layer) const {
    const auto found = std::find(chain_.begin(), chain_.end(), layer);
    if (found == chain_.end()) return std::nullopt;
    return static_cast<size_t>(found - chain_.begin());
}

std::optional<size_t> IncrementalEvaluator::chainPosition(const PlannedFault& planned) const {
    if (planned.globalBit < 0 || planned.fault.bits.size() != 1) return std::nullopt;
    return positionOf(bound_[planned.fault.bits.front().address.tensor].layer);
}

std::vector<IncrementalEvaluator::TensorGroups> IncrementalEvaluator::listTensorGroups() const {
    std::vector<TensorGroups> groups(bound_.size());
    for (size_t t = 0; t < bound_.size(); ++t) {
        const auto found = positionOf(bound_[t].layer);
        if (!found) continue;
        const size_t position = *found;
        const Layer& layer = *chain_[position];
        const LayerParameter* parameter = bound_[t].parameter;
        if (parameter != layer.parameter("kernel") && parameter != layer.parameter("bias")) continue;
        if (denseUnits_.groupable(position))
            groups[t] = {position, static_cast<const DenseLayer&>(layer).units()};
        else if (convChannels_.groupable(position))
            groups[t] = {position, static_cast<const Conv2DLayer&>(layer).filters()};
    }
    return groups;
}

std::optional<std::pair<size_t, int64_t>> IncrementalEvaluator::groupOf(const PlannedFault& planned) const {
    if (planned.globalBit < 0 || planned.fault.bits.size() != 1) return std::nullopt;
    const BitAddress& address = planned.fault.bits.front().address;
    const TensorGroups& group = tensorGroups_[address.tensor];
    if (group.units == 0) return std::nullopt;
    // Kernels [..., units] and biases [units] alike.
    return std::pair{group.position, address.index % group.units};
}

CampaignWork IncrementalEvaluator::planWork(const std::vector<PlannedFault>& faults, int64_t start, int threads) const {
    CampaignWork work;
    const auto total = static_cast<int64_t>(faults.size());
    int64_t window = 1;
    for (int64_t windowStart = start; windowStart < total;
         windowStart += window, window = nextWindow(window)) {
        const int64_t windowEnd = std::min(total, windowStart + window);
        // Units in the order of their first fault; groupable faults join their unit's or channel's
        // group.
        std::vector<std::vector<int64_t>> units;
        std::map<std::pair<size_t, int64_t>, size_t> unitOfGroup;
        for (int64_t i = windowStart; i < windowEnd; ++i) {
            const auto key = groupOf(faults[i]);
            if (!key) {
                units.push_back({i});
                continue;
            }
            const auto [it, isNew] = unitOfGroup.try_emplace(*key, units.size());
            if (isNew) units.emplace_back();
            units[it->second].push_back(i);
        }
        for (const auto& unit : units) {
            work.begins.push_back(static_cast<int64_t>(work.order.size()));
            work.order.insert(work.order.end(), unit.begin(), unit.end());
            const bool grouped = unit.size() > 1 && groupOf(faults[unit.front()]);
            work.parts.push_back(grouped ? groupParts(static_cast<int64_t>(unit.size()), evaluator_.samples(), threads) : 1);
        }
    }
    work.begins.push_back(static_cast<int64_t>(work.order.size()));
    return work;
}

void IncrementalEvaluator::evaluatePart(const std::vector<PlannedFault>& faults, std::span<const int64_t> unit,
                                        int part, int parts, UnitProgress& progress, const std::atomic<bool>* cancel) {
    const auto key = groupOf(faults[unit.front()]);
    if (!key || unit.size() < 2) {  // faults alone: all in part 0
        if (part == 0)
            for (int64_t i : unit) progress.results.push_back(evaluate(faults[i], i, cancel));
        return;
    }
    std::vector<FaultResult> headers;
    headers.reserve(unit.size());
    for (int64_t i : unit) headers.push_back(faultResultHeader(bound_, faults[i], i));
    const SampleRange range = partRange(part, parts, evaluator_.samples());
    if (part > 0) {
        // Not exact: part 0 finds the same and evaluates the faults one by one, this part nothing.
        std::vector<double> kept(unit.size() * range.size());
        if (evaluateGroup(key->first, key->second, headers, {range, {}, kept}, cancel)) progress.kept[part] = std::move(kept);
        return;
    }
    std::vector<double> sums(unit.size(), 0.0);
    progress.grouped = evaluateGroup(key->first, key->second, headers, {range, sums, {}}, cancel);
    if (progress.grouped) {
        progress.results = std::move(headers);
        progress.sums = std::move(sums);
        return;
    }
    for (int64_t i : unit) progress.results.push_back(evaluate(faults[i], i, cancel));  // sums not provably exact
}

// A group's means: part 0's sums, then the later parts' metrics added in sample order.
std::vector<FaultResult> IncrementalEvaluator::finishUnit(UnitProgress&& progress) const {
    if (!progress.grouped) return std::move(progress.results);
    const auto faults = static_cast<int64_t>(progress.results.size());
    for (size_t k = 1; k < progress.kept.size(); ++k)
        if (static_cast<int64_t>(progress.kept[k].size()) % std::max<int64_t>(1, faults) != 0 || progress.kept[k].empty())
            throw Error("fast campaign: a part of a fault group is missing (internal error)");
    for (int64_t f = 0; f < faults; ++f) {
        double sum = progress.sums[f];
        for (size_t k = 1; k < progress.kept.size(); ++k) {
            const int64_t size = static_cast<int64_t>(progress.kept[k].size()) / faults;
            for (int64_t i = 0; i < size; ++i) sum += progress.kept[k][f * size + i];
        }
        setFaultMetric(progress.results[f], sum / static_cast<double>(evaluator_.samples()), baseline_,
                       evaluator_.lowerIsBetter());
    }
    return std::move(progress.results);
}

// The grouped faults' metrics on out.range (headers give each fault's parameter and flipped value).
bool IncrementalEvaluator::evaluateGroup(size_t position, int64_t unit, const std::vector<FaultResult>& headers,
                                         const GroupMetrics& out, const std::atomic<bool>* cancel) {
    const Layer& layer = *chain_[position];
    auto isBias = [&](const FaultResult& r) { return bound_[r.tensor].parameter == layer.parameter("bias"); };
    if (const auto* dense = dynamic_cast<const DenseLayer*>(&layer)) {
        std::vector<DenseUnitFault> grouped;
        for (const FaultResult& r : headers)
            grouped.push_back({isBias(r) ? -1 : r.param / dense->units(), static_cast<float>(r.flipped)});
        return denseUnits_.evaluate(position, unit, grouped, out, cancel);
    }
    const auto& conv = static_cast<const Conv2DLayer&>(layer);
    std::vector<ConvChannelFault> grouped;
    for (const FaultResult& r : headers)
        grouped.push_back({isBias(r) ? -1 : r.param / conv.filters(), static_cast<float>(r.flipped)});
    return convChannels_.evaluate(position, unit, grouped, out, cancel);
}

FaultResult IncrementalEvaluator::evaluate(const PlannedFault& fault, int64_t faultIndex,
                                           const std::atomic<bool>* cancel) {
    if (auto result = evaluateUnit(fault, faultIndex, cancel)) return *result;
    return evaluateFault(model_, bound_, fault, faultIndex, evaluator_, baseline_, cancel);
}

std::optional<FaultResult> IncrementalEvaluator::evaluateUnit(const PlannedFault& planned, int64_t faultIndex,
                                                              const std::atomic<bool>* cancel) {
    const auto position = chainPosition(planned);
    if (!position) return std::nullopt;
    Layer* layer = chain_[*position];
    const auto* dense = dynamic_cast<const DenseLayer*>(layer);
    const auto* conv = dynamic_cast<const Conv2DLayer*>(layer);
    if (!dense && !conv) return std::nullopt;
    size_t last = *position;
    const auto activations = unitActivations(chain_, *position, last);
    if (activations.empty()) return std::nullopt;

    const BitAddress& a = planned.fault.bits.front().address;
    const int64_t n = evaluator_.samples();
    const int64_t units = dense ? dense->units() : conv->filters();
    const int64_t unit = a.index % units;  // kernel [..., units] and bias [units] alike
    const int64_t perSample = shapeSize(layer->outputShape()) / units;  // unit values per sample
    const Tensor& input = cleanInput(cache_, evaluator_, *position);

    FaultResult r = faultResultHeader(bound_, planned, faultIndex);
    const FaultUndo undo = applyFault(bound_, planned.fault);
    Tensor values({n * perSample});
    if (dense) dense->affineUnit(input.data(), n * perSample, unit, values.data());
    else conv->affineChannel(input.data(), n, unit, values.data());
    undoFault(bound_, undo);
    for (const Activation* activation : activations) activation->apply(values);
    if (cancel && *cancel) throw Cancelled();

    // Samples whose unit changed: their changed activations go downstream; the others keep their
    // clean metric.
    const Tensor& clean = cache_.outputs[last];
    const int64_t row = clean.rowSize();
    std::vector<int64_t> changed;
    for (int64_t s = 0; s < n; ++s)
        for (int64_t p = 0; p < perSample; ++p)
            if (!sameBits(values[s * perSample + p], clean[(s * perSample + p) * units + unit])) {
                changed.push_back(s);
                break;
            }
    Shape shape = clean.shape();
    shape[0] = static_cast<int64_t>(changed.size());
    Tensor rows(shape);
    for (size_t i = 0; i < changed.size(); ++i) {
        float* dst = rows.data() + i * row;
        std::copy_n(clean.data() + changed[i] * row, row, dst);
        for (int64_t p = 0; p < perSample; ++p) dst[p * units + unit] = values[changed[i] * perSample + p];
    }
    std::vector<double> changedMetrics(changed.size());
    if (!changed.empty()) downstream_.run(last, std::move(rows), changed, changedMetrics, cancel);

    std::vector<double> metric = cache_.perSample;
    for (size_t i = 0; i < changed.size(); ++i) metric[changed[i]] = changedMetrics[i];
    double sum = 0.0;
    for (double v : metric) sum += v;
    setFaultMetric(r, sum / static_cast<double>(n), baseline_, evaluator_.lowerIsBetter());
    return r;
}

}  // namespace flipscope
