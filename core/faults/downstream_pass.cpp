#include "core/faults/downstream_pass.h"

#include "core/common/error.h"
#include "core/faults/incremental_engine.h"
#include "core/metrics/econt_remap.h"
#include "core/model/layers/simple_layers.h"

#include <algorithm>
#include <cstring>

namespace flipscope {

DownstreamPass::DownstreamPass(const std::vector<Layer*>& chain, const CleanCache& cache,
                               const ModelEvaluator& evaluator)
    : chain_(chain), cache_(cache), evaluator_(evaluator), packedTranspose_(chain.size()), packedDense_(chain.size()) {
    for (size_t l = 0; l < chain.size(); ++l) {
        if (const auto* transpose = dynamic_cast<const Conv2DTransposeLayer*>(chain[l]))
            packedTranspose_[l] = std::make_unique<PackedConvTranspose>(*transpose);
        if (PackedDense::packs(*chain[l]))
            packedDense_[l] = std::make_unique<PackedDense>(static_cast<const DenseLayer&>(*chain[l]));
    }
    if (!cache.emdBases.empty()) warmEmd_ = std::make_unique<WarmEmd>(evaluator, cache.emdBases, cache.outputs.back());
    listPackedRuns();
    planCellTail();
}

namespace {

// A layer that maps each value on its own (so it commutes with cutting rows to some positions).
bool elementwise(const Layer& layer) {
    if (dynamic_cast<const ReshapeLayer*>(&layer)) return true;
    const auto* activation = dynamic_cast<const ActivationLayer*>(&layer);
    if (!activation) return false;
    const Activation::Kind kind = activation->activation().kind();
    return kind != Activation::Kind::Softmax && kind != Activation::Kind::Quantizer;
}

// In place, row r becomes the 48 cell pixels of the 64-pixel row r, in cell order (the tensor
// keeps its storage). Row r's cells go where rows r and earlier were, ahead of row r + 1.
void cutToCells(Tensor& images) {
    const auto& pixels = econtCellPixels();
    const int64_t rows = images.dim(0);
    float* data = images.data();
    float cells[kEcontCells];
    for (int64_t r = 0; r < rows; ++r) {
        for (int c = 0; c < kEcontCells; ++c) cells[c] = data[r * kEcontPixels + pixels[c]];
        std::copy_n(cells, kEcontCells, data + r * kEcontCells);
    }
    images.resize({rows, kEcontCells});
}

}  // namespace

// The ECON-T EMD reads 48 of the output image's 64 pixels (econt_remap.h): after the last layer
// that mixes values (a packed transposed convolution, then computing only those pixels) rows are
// cut to the cells. Left off (cellsAfter_ = chain size) for any other metric or chain.
void DownstreamPass::planCellTail() {
    cellsAfter_ = chain_.size();
    if (!warmEmd_ || chain_.empty() || shapeSize(chain_.back()->outputShape()) != kEcontPixels) return;
    size_t last = chain_.size() - 1;
    while (last > 0 && elementwise(*chain_[last])) --last;
    if (elementwise(*chain_[last]) || shapeSize(chain_[last]->outputShape()) != kEcontPixels) return;
    cellsAfter_ = last;
    if (packedTranspose_[last]) {
        const auto& pixels = econtCellPixels();
        packedTranspose_[last]->restrictOutputs(std::vector<int64_t>(pixels.begin(), pixels.end()));
        // Transposed convolutions before it (elementwise layers between) compute only what the
        // next one reads (the ECON-T decoders: 55 of the 64 pixels feed the 48 cells).
        for (size_t l = last; l > 0;) {
            size_t before = l - 1;
            while (before > 0 && elementwise(*chain_[before])) --before;
            if (!packedTranspose_[before] || elementwise(*chain_[before])) break;
            packedTranspose_[before]->restrictOutputs(packedTranspose_[l]->neededInputs());
            l = before;
        }
    }
    cleanCells_.resize(chain_.size());
    for (size_t l = last + 1; l < chain_.size(); ++l)
        if (dynamic_cast<const ActivationLayer*>(chain_[l])) {
            cleanCells_[l] = cache_.outputs[l];
            cutToCells(cleanCells_[l]);
        }
}

void DownstreamPass::listPackedRuns() {
    packedRuns_.resize(chain_.size());
    runLast_.assign(chain_.size(), 0);
    denseDeltas_.resize(chain_.size());
    auto fusableStep = [&](size_t l, PackedRun::Step& step) {
        if (packedDense_[l] && packedDense_[l]->lanesFusable()) step.dense = packedDense_[l].get();
        else if (packedTranspose_[l] && packedTranspose_[l]->lanesFusable()) step.transpose = packedTranspose_[l].get();
        else return false;
        return true;
    };
    for (size_t first = 0; first < chain_.size(); ++first) {
        std::vector<PackedRun::Step> steps;
        size_t last = first;
        for (size_t l = first; l < chain_.size(); ++l) {
            PackedRun::Step step;
            if (fusableStep(l, step)) {
                steps.push_back(step);
                last = l;
            } else if (!(dynamic_cast<const ReshapeLayer*>(chain_[l]) && !steps.empty())) {
                break;
            }
        }
        if (steps.size() < 2) continue;
        packedRuns_[first] = std::make_unique<PackedRun>(std::move(steps), chain_[last]->outputShape());
        runLast_[first] = last;
        if (first > 0 && packedRuns_[first]->startsWithDense())
            denseDeltas_[first] = std::make_unique<DenseDeltaSums>(static_cast<const DenseLayer&>(*chain_[first]),
                                                                  cache_.outputs[first - 1]);
    }
}

void DownstreamPass::run(size_t after, Tensor rows, const std::vector<int64_t>& samples, std::span<double> metrics,
                         const std::atomic<bool>* cancel, const std::vector<char>& continues) const {
    const int64_t count = static_cast<int64_t>(samples.size());
    if (count <= ModelEvaluator::kChunk) {  // one chunk: the rows themselves, not a copy
        if (cancel && *cancel) throw Cancelled();
        std::vector<int64_t> rowIds(count);
        for (int64_t i = 0; i < count; ++i) rowIds[i] = i;
        runChunk(after, std::move(rows), samples, std::move(rowIds), continues, metrics);
        return;
    }
    const int64_t width = rows.rowSize();
    for (int64_t begin = 0; begin < count; begin += ModelEvaluator::kChunk) {
        if (cancel && *cancel) throw Cancelled();
        const int64_t end = std::min(count, begin + ModelEvaluator::kChunk);
        Shape shape = rows.shape();
        shape[0] = end - begin;
        Tensor batch(shape, std::vector<float>(rows.data() + begin * width, rows.data() + end * width));
        std::vector<int64_t> chunkSamples(samples.begin() + begin, samples.begin() + end);
        std::vector<int64_t> rowIds(end - begin);
        for (int64_t i = begin; i < end; ++i) rowIds[i - begin] = i;
        std::vector<char> chunkContinues;
        if (!continues.empty()) chunkContinues.assign(continues.begin() + begin, continues.begin() + end);
        runChunk(after, std::move(batch), std::move(chunkSamples), std::move(rowIds), std::move(chunkContinues),
                 metrics);
    }
}

void DownstreamPass::runChunk(size_t after, Tensor batch, std::vector<int64_t> samples, std::vector<int64_t> rowIds,
                              std::vector<char> continues, std::span<double> metrics) const {
    bool cut = after >= cellsAfter_ && cellsAfter_ < chain_.size();  // rows already cut to the cells
    if (cut && batch.rowSize() != kEcontCells) cutToCells(batch);
    for (size_t l = after + 1; l < chain_.size() && !samples.empty(); ++l) {
        // The packed layers write into a kept buffer; activations and reshapes work in place (the
        // same operations as their layers' forward, without the copy).
        const auto* activation = dynamic_cast<const ActivationLayer*>(chain_[l]);
        if (packedRuns_[l]) {  // ends with a packed layer, not an activation layer
            packedRuns_[l]->forward(batch, scratch_, denseDeltas_[l].get(), samples.data());
            std::swap(batch, scratch_);
            l = runLast_[l];
        } else if (packedTranspose_[l] || packedDense_[l]) {
            if (packedTranspose_[l]) packedTranspose_[l]->forward(batch, scratch_);
            else packedDense_[l]->forward(batch, scratch_);
            std::swap(batch, scratch_);
        } else if (activation) {
            activation->activation().apply(batch);
        } else if (dynamic_cast<const ReshapeLayer*>(chain_[l])) {
            if (!cut) {
                Shape shape = chain_[l]->outputShape();
                shape.insert(shape.begin(), batch.dim(0));
                batch.reshape(std::move(shape));
            }
        } else {
            batch = chain_[l]->forward({&batch});
        }
        afterLayer(l, batch, samples, rowIds, continues, metrics, cut);
    }
    if (samples.empty()) return;
    const std::vector<double> values =
        warmEmd_ ? warmEmd_->perSample(batch, samples, continues) : evaluator_.perSampleFromOutputs(batch, samples);
    for (size_t i = 0; i < samples.size(); ++i) metrics[rowIds[i]] = values[i];
}

// After layer l: rows are cut to the cells once past cellsAfter_, and after an activation (where
// quantizers sit) rows that are back to clean keep the clean metric and leave the batch.
void DownstreamPass::afterLayer(size_t l, Tensor& batch, std::vector<int64_t>& samples, std::vector<int64_t>& rowIds,
                                std::vector<char>& continues, std::span<double> metrics, bool& cut) const {
    if (l == cellsAfter_) {
        cutToCells(batch);
        cut = true;
    }
    if (!dynamic_cast<const ActivationLayer*>(chain_[l])) return;
    const Tensor& clean = cut ? cleanCells_[l] : cache_.outputs[l];
    const int64_t width = batch.rowSize();
    size_t kept = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
        const float* row = batch.data() + i * width;
        if (std::memcmp(row, clean.data() + samples[i] * width, width * sizeof(float)) == 0) {
            metrics[rowIds[i]] = cache_.perSample[samples[i]];
            continue;
        }
        if (kept != i) std::memmove(batch.data() + kept * width, row, width * sizeof(float));
        samples[kept] = samples[i];
        rowIds[kept] = rowIds[i];
        if (!continues.empty()) continues[kept] = continues[i];
        ++kept;
    }
    if (kept != samples.size()) {
        samples.resize(kept);
        rowIds.resize(kept);
        if (!continues.empty()) continues.resize(kept);
        Shape shape = batch.shape();
        shape[0] = static_cast<int64_t>(kept);
        batch.resize(std::move(shape));
    }
}

}  // namespace flipscope
