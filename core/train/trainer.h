#pragma once
// Quantization-aware training of a Model, as QKeras trains: the float shadow weights
// (LayerParameter::stored) are what Adam updates; every forward pass uses the quantized
// effective weights (Model::prepare() after each step); gradients reach the shadow weights
// through the quantizers' straight-through estimator (core/model/backward.h).
//
// Mini-batches over a seeded shuffle of the training samples, a validation split (the LAST
// fraction of the samples, as Keras's validation_split takes it, before any shuffling), early
// stopping on the validation loss (the training loss without validation) with the best weights
// restored, a per-epoch progress callback and a cancel flag. For a given seed every number is
// the same on any machine and for any thread count.
#include "core/model/model.h"
#include "core/train/adam.h"
#include "core/train/losses.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace flipscope {

struct TrainOptions {
    int epochs = 10;
    int64_t batchSize = 32;
    AdamOptions adam;
    uint64_t seed = 1;
    double validationSplit = 0.0;  // in [0, 1)
    int patience = 0;              // epochs without improvement before stopping; 0 = never stop early
    bool restoreBestWeights = true;
    int threads = 2;
};

struct EpochReport {
    int epoch = 0;  // 1-based
    int epochs = 0;
    double loss = 0.0;                // mean training loss over the epoch's batches
    std::optional<double> validationLoss;
    double seconds = 0.0;
};

struct TrainResult {
    std::vector<EpochReport> history;
    int bestEpoch = 0;  // the epoch whose weights the model holds at the end (0: none finished)
    bool stoppedEarly = false;
    bool cancelled = false;
};

using TrainProgress = std::function<void(const EpochReport&)>;

// x: samples along the first axis; target: shaped like the model's output for x. The model must
// be prepared (weights loaded or initialized).
TrainResult train(Model& model, const Tensor& x, const Tensor& target, const Loss& loss, const TrainOptions& options,
                  const TrainProgress& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Rows `indices[begin, end)` of a tensor, in that order.
Tensor gatherRows(const Tensor& t, const std::vector<int64_t>& indices, size_t begin, size_t end);

}  // namespace flipscope
