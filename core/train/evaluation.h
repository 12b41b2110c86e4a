#pragma once
// Scores a trained model on held-out data: its loss, and the metric its kind of model is judged
// by: accuracy for classifiers (labels given), the mean EMD between input and reconstruction
// for ECON-T autoencoders (8x8 inputs and outputs; core/metrics/emd.h on the 48 cells).
#include "core/model/model.h"
#include "core/train/losses.h"

#include <optional>
#include <vector>

namespace flipscope {

struct Evaluation {
    int64_t samples = 0;
    double loss = 0.0;
    std::optional<double> accuracy;
    std::optional<double> meanEmd;
};

Evaluation evaluateModel(const Model& model, const Tensor& inputs, const Tensor& targets,
                         const std::vector<int64_t>& labels, const Loss& loss, int threads = 2);

// Mean EMD over samples between 8x8 ECON-T input images and the model's reconstructions.
double meanEcontEmd(const Tensor& inputs, const Tensor& outputs, int threads = 2);

}  // namespace flipscope
