#pragma once
// The dataset metric of a model: runs the model on the evaluation samples and reduces the chosen
// metric (EMD, MSE, telescope, cross-entropy, accuracy) to its dataset mean. Targets are
// prepared once: the labels for classifiers, the input itself for autoencoders (for ECON-T both
// the 8x8 input and the output are mapped to the 48 trigger cells).
#include "core/model/model.h"

#include <atomic>
#include <string>
#include <vector>

namespace flipscope {

class ModelEvaluator {
public:
    // `inputs` must fit the model's input; `labels` are needed for ce/accuracy.
    ModelEvaluator(std::string metric, Tensor inputs, std::vector<int64_t> labels, const Model& model);

    const std::string& metric() const { return metric_; }
    bool lowerIsBetter() const { return lowerIsBetter_; }
    int64_t samples() const { return inputs_.dim(0); }
    const Tensor& inputs() const { return inputs_; }

    // Dataset mean on the calling thread, in fixed chunks of samples; between chunks it checks
    // `cancel` and throws Cancelled. The same model gives the same number on any thread.
    double evaluate(const Model& model, const std::atomic<bool>* cancel = nullptr) const;
    std::vector<double> perSample(const Model& model, const std::atomic<bool>* cancel = nullptr) const;
    // Per-sample values for outputs already computed (rows [first, first + rows)).
    std::vector<double> perSampleFromOutputs(const Tensor& outputs, int64_t first) const;
    // The same for outputs of the listed samples (row i of `outputs` is sample samples[i]).
    std::vector<double> perSampleFromOutputs(const Tensor& outputs, const std::vector<int64_t>& samples) const;

    static constexpr int64_t kChunk = 256;

private:
    std::string metric_;
    bool lowerIsBetter_ = true;
    Tensor inputs_;
    std::vector<int64_t> labels_;
    std::vector<double> targets_;  // flattened per-sample targets (autoencoder metrics)
    int64_t targetWidth_ = 0;
};

}  // namespace flipscope
