#pragma once
// What flipping bits does to a model's results on a dataset: one score per sample and its mean,
// for the unflipped and the flipped model. The score depends on the model:
//  - an ECON-T-shaped autoencoder (output shape == input shape, 64 or 48 values): the earth
//    mover's distance between input and output over the 48 trigger cells ("emd" of the metric
//    registry, study semantics including its -1 / -0.5 sentinels);
//  - any other autoencoder: mean squared error between input and output ("mse");
//  - a model with class labels: accuracy ("accuracy": arg-max of the output row == label);
//  - anything else: mean absolute change of the outputs against the unflipped model's outputs.
#include "core/model/model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flipscope {

enum class OutcomeMetric { Emd, Mse, Accuracy, MeanAbsChange };

struct OutcomeMetricInfo {
    std::string name;         // "EMD (output vs input)"
    std::string shortName;    // "EMD"
    bool higherIsBetter = false;
};
OutcomeMetricInfo outcomeMetricInfo(OutcomeMetric metric);

// Output shape == input shape (an autoencoder).
bool isAutoencoder(const Model& model);
OutcomeMetric chooseOutcomeMetric(const Model& model, bool haveLabels);

struct Outcome {
    OutcomeMetric metric = OutcomeMetric::MeanAbsChange;
    double value = 0.0;              // mean of perSample
    std::vector<double> perSample;   // EMD, MSE, 1/0 for correct/wrong, or mean |change|
    Tensor outputs;                  // the model's outputs, samples first
};

// Runs `model` on `inputs` (samples first, already fitted to the model input) and scores it.
// `labels` are needed for Accuracy (one per sample); `baselineOutputs` (the unflipped model's
// outputs) for MeanAbsChange, where a null baseline scores the outputs against themselves (0).
Outcome evaluateOutcome(const Model& model, const Tensor& inputs, const std::vector<int64_t>& labels,
                        OutcomeMetric metric, const Tensor* baselineOutputs, int threads = 0);

struct FlipComparison {
    Outcome before;  // the unflipped model
    Outcome after;   // the flipped model
};

// Scores the unflipped model (unless `knownBefore` already holds its outcome) and the flipped one
// (the same object as `pristine` means no flips: `after` is then `before`).
FlipComparison compareModels(const Model& pristine, const Model& flipped, const Tensor& inputs,
                             const std::vector<int64_t>& labels, OutcomeMetric metric,
                             const std::optional<Outcome>& knownBefore = std::nullopt, int threads = 0);

}  // namespace flipscope
