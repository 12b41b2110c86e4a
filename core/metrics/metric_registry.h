#pragma once
// The quality metrics by name, behind one evaluator, for the campaign engine and the GUI:
//   emd        exact earth mover's distance, ECON-T study semantics (core/metrics/emd.h)
//   telescope  ECON-T telescope loss (core/metrics/telescope.h)
//   mse        mean squared error
//   ce         categorical cross-entropy
//   accuracy   top-1 accuracy
// Every metric gives one value per sample; the dataset value is their mean (for emd that includes
// the -1 / -0.5 sentinels, exactly as the study's np.mean did).
#include "core/metrics/geometry.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flipscope {

struct MetricInfo {
    std::string name;
    bool lowerIsBetter;
    std::string description;
};

// What a metric is evaluated on: N rows of model outputs, and either N rows of targets or N class
// labels (ce and accuracy take either; emd, telescope and mse need target rows).
struct MetricInput {
    std::span<const float> outputs;   // N x dim, row-major
    int64_t dim = 0;
    std::span<const float> targets;   // N x dim (for emd: the model input the output is compared to)
    std::span<const int64_t> labels;  // N class indices
    // ce: the outputs are logits rather than probabilities.
    bool outputsAreLogits = false;
    // emd: the ground geometry of dim-cell maps. Left null, the ECON-T mapping applies: rows of 64
    // are 8x8 images, mapped to the 48 trigger cells (outputs and targets alike); rows of 48 are
    // trigger cells already. telescope always uses the ECON-T mapping.
    const Geometry* geometry = nullptr;
    int threads = 1;  // emd: std::threads to use (<= 0: all hardware threads)
};

struct MetricResult {
    std::vector<double> perSample;
    double value = 0.0;  // the dataset reduction: mean of perSample
};

// Every metric, in a stable order.
const std::vector<MetricInfo>& metricInfos();
// Throws InputError listing the known names when `name` is not one of them.
const MetricInfo& metricInfo(std::string_view name);

std::vector<double> evaluateMetricPerSample(std::string_view name, const MetricInput& input);
MetricResult evaluateMetric(std::string_view name, const MetricInput& input);

}  // namespace flipscope
