#pragma once
// Per-sample quality metrics for classifiers and regressors, following Keras' definitions.
// Outputs and targets are row-major rows x dim float matrices; labels are class indices.
// Each function returns one value per row; meanOf() reduces them as Keras does.
#include <cstdint>
#include <span>
#include <vector>

namespace flipscope {

// Keras backend epsilon, the clip applied to probabilities before the log.
inline constexpr double kKerasEpsilon = 1e-7;

// mean over dim of (output - target)^2.
std::vector<double> mseRows(std::span<const float> outputs, std::span<const float> targets, int64_t dim);

// Categorical cross-entropy from probabilities, as keras.backend.categorical_crossentropy with
// from_logits=False: each output row is divided by its sum, clipped to [eps, 1 - eps], and
// -sum(target * log(output)) is taken. Targets: one-hot (or soft) rows, or class indices.
std::vector<double> crossEntropyRows(std::span<const float> probabilities, std::span<const float> targets, int64_t dim);
std::vector<double> crossEntropyRows(std::span<const float> probabilities, std::span<const int64_t> labels, int64_t dim);

// Categorical cross-entropy from logits: -sum(target * log_softmax(logits)), with a
// max-subtracted, hence overflow-free, log-sum-exp.
std::vector<double> crossEntropyFromLogitsRows(std::span<const float> logits, std::span<const float> targets,
                                               int64_t dim);
std::vector<double> crossEntropyFromLogitsRows(std::span<const float> logits, std::span<const int64_t> labels,
                                               int64_t dim);

// 1 where the arg-max of the output row (first one on ties, like numpy/TF) is the label, else 0.
// Target rows are one-hot: their arg-max is the label.
std::vector<double> accuracyRows(std::span<const float> outputs, std::span<const float> targets, int64_t dim);
std::vector<double> accuracyRows(std::span<const float> outputs, std::span<const int64_t> labels, int64_t dim);

// Arithmetic mean; NaN for no values.
double meanOf(std::span<const double> values);

}  // namespace flipscope
