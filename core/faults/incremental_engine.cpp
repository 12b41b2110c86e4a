#include "core/faults/incremental_engine.h"

#include "core/common/error.h"
#include "core/faults/layer_chain.h"
#include "core/model/layers/conv2d.h"
#include "core/model/layers/dense.h"
#include "core/model/layers/simple_layers.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace flipscope {
namespace {

// Elementwise activations can be applied to one unit's values alone.
bool isElementwise(const Activation& a) {
    if (a.kind() == Activation::Kind::Softmax) return false;
    const auto& q = a.quantizer();
    return !q || (q->alpha != AlphaMode::Auto && q->alpha != AlphaMode::AutoPo2);
}

const Activation* elementwiseActivationOf(const Layer* layer) {
    const auto* act = dynamic_cast<const ActivationLayer*>(layer);
    return act && isElementwise(act->activation()) ? &act->activation() : nullptr;
}

bool sameBits(float a, float b) { return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b); }

bool sameRow(const float* a, const float* b, int64_t n) { return std::memcmp(a, b, n * sizeof(float)) == 0; }

}  // namespace

int64_t CleanCache::bytes() const {
    int64_t total = static_cast<int64_t>(perSample.size() * sizeof(double));
    for (const Tensor& t : outputs) total += t.size() * static_cast<int64_t>(sizeof(float));
    return total;
}

std::shared_ptr<const CleanCache> buildCleanCache(const Model& model, const ModelEvaluator& evaluator) {
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
    for (int64_t begin = 0; begin < n; begin += ModelEvaluator::kChunk) {
        const int64_t end = std::min(n, begin + ModelEvaluator::kChunk);
        Tensor x = inputs.slice(begin, end);
        for (size_t l = 0; l < chain->size(); ++l) {
            x = (*chain)[l]->forward({&x});
            std::copy_n(x.data(), x.size(), cache->outputs[l].data() + begin * cache->outputs[l].rowSize());
        }
    }
    cache->perSample = evaluator.perSampleFromOutputs(cache->outputs.back(), 0);
    return cache;
}

IncrementalEvaluator::IncrementalEvaluator(Model& model, const std::vector<BoundTensor>& bound,
                                           const CleanCache& cache, const ModelEvaluator& evaluator, double baseline)
    : model_(model), bound_(bound), cache_(cache), evaluator_(evaluator), baseline_(baseline) {
    if (auto chain = flattenChain(model)) chain_ = std::move(*chain);
}

FaultResult IncrementalEvaluator::evaluate(const PlannedFault& fault, int64_t faultIndex,
                                           const std::atomic<bool>* cancel) {
    if (auto result = evaluateUnit(fault, faultIndex, cancel)) return *result;
    return evaluateFault(model_, bound_, fault, faultIndex, evaluator_, baseline_, cancel);
}

std::optional<FaultResult> IncrementalEvaluator::evaluateUnit(const PlannedFault& planned, int64_t faultIndex,
                                                              const std::atomic<bool>* cancel) {
    if (planned.globalBit < 0 || chain_.empty()) return std::nullopt;
    const BitAddress& a = planned.fault.bits.front().address;
    Layer* layer = bound_[a.tensor].layer;
    const auto found = std::find(chain_.begin(), chain_.end(), layer);
    if (found == chain_.end()) return std::nullopt;
    const size_t position = found - chain_.begin();
    const auto* dense = dynamic_cast<const DenseLayer*>(layer);
    const auto* conv = dynamic_cast<const Conv2DLayer*>(layer);
    if (!dense && !conv) return std::nullopt;
    const Activation& ownActivation = dense ? dense->activation() : conv->activation();
    if (!isElementwise(ownActivation)) return std::nullopt;

    const int64_t n = evaluator_.samples();
    const int64_t units = dense ? dense->units() : conv->filters();
    const int64_t unit = a.index % units;  // kernel [..., units] and bias [units] alike
    const int64_t perSample = shapeSize(layer->outputShape()) / units;  // unit values per sample
    const Tensor& input = position == 0 ? evaluator_.inputs() : cache_.outputs[position - 1];

    FaultResult r;
    r.faultIndex = faultIndex;
    r.globalBit = planned.globalBit;
    r.tensor = a.tensor;
    r.param = a.index;
    r.bit = a.bit;
    r.original = bound_[a.tensor].parameter->effective[a.index];
    const FaultUndo undo = applyFault(bound_, planned.fault);
    r.flipped = bound_[a.tensor].parameter->effective[a.index];
    Tensor values({n * perSample});
    if (dense) dense->affineUnit(input.data(), n * perSample, unit, values.data());
    else conv->affineChannel(input.data(), n, unit, values.data());
    undoFault(bound_, undo);

    // The unit through the layer's activation and the elementwise activation layers after it.
    ownActivation.apply(values);
    size_t last = position;
    while (last + 1 < chain_.size()) {
        const Activation* next = elementwiseActivationOf(chain_[last + 1]);
        if (!next) break;
        next->apply(values);
        ++last;
    }
    if (cancel && *cancel) throw Cancelled();

    // Samples whose unit changed; the others keep their clean metric.
    const Tensor& clean = cache_.outputs[last];
    std::vector<int64_t> changed;
    for (int64_t s = 0; s < n; ++s)
        for (int64_t p = 0; p < perSample; ++p)
            if (!sameBits(values[s * perSample + p], clean[(s * perSample + p) * units + unit])) {
                changed.push_back(s);
                break;
            }

    std::vector<double> metric = cache_.perSample;
    for (size_t begin = 0; begin < changed.size(); begin += ModelEvaluator::kChunk) {
        if (cancel && *cancel) throw Cancelled();
        std::vector<int64_t> samples(changed.begin() + begin,
                                     changed.begin() + std::min(changed.size(), begin + ModelEvaluator::kChunk));
        Shape shape = clean.shape();
        shape[0] = static_cast<int64_t>(samples.size());
        Tensor batch(shape);
        const int64_t row = clean.rowSize();
        for (size_t i = 0; i < samples.size(); ++i) {
            float* dst = batch.data() + i * row;
            std::copy_n(clean.data() + samples[i] * row, row, dst);
            for (int64_t p = 0; p < perSample; ++p) dst[p * units + unit] = values[samples[i] * perSample + p];
        }
        for (size_t l = last + 1; l < chain_.size() && !samples.empty(); ++l) {
            batch = chain_[l]->forward({&batch});
            if (!dynamic_cast<const ActivationLayer*>(chain_[l])) continue;
            // After an activation (where quantizers sit), drop samples that are back to clean.
            const Tensor& reference = cache_.outputs[l];
            const int64_t width = batch.rowSize();
            std::vector<int64_t> still;
            std::vector<float> kept;
            for (size_t i = 0; i < samples.size(); ++i) {
                const float* rowData = batch.data() + i * width;
                if (sameRow(rowData, reference.data() + samples[i] * width, width)) continue;
                still.push_back(samples[i]);
                kept.insert(kept.end(), rowData, rowData + width);
            }
            if (still.size() != samples.size()) {
                Shape keptShape = batch.shape();
                keptShape[0] = static_cast<int64_t>(still.size());
                batch = Tensor(keptShape, std::move(kept));
                samples = std::move(still);
            }
        }
        if (samples.empty()) continue;
        const auto per = evaluator_.perSampleFromOutputs(batch, samples);
        for (size_t i = 0; i < samples.size(); ++i) metric[samples[i]] = per[i];
    }
    double sum = 0.0;
    for (double v : metric) sum += v;
    r.metric = sum / static_cast<double>(n);
    r.delta = r.metric - baseline_;
    r.protect = isWorse(r.metric, baseline_, evaluator_.lowerIsBetter());
    return r;
}

}  // namespace flipscope
