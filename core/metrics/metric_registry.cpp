#include "core/metrics/metric_registry.h"

#include "core/common/error.h"
#include "core/metrics/basic_metrics.h"
#include "core/metrics/econt_remap.h"
#include "core/metrics/emd.h"
#include "core/metrics/telescope.h"

#include <array>
#include <string>

namespace flipscope {

namespace {

void requireTargetRows(const MetricInput& input, const char* metric) {
    if (input.targets.empty() || !input.labels.empty())
        throw InputError(std::string(metric) + " compares outputs with target rows of the same shape; class labels "
                                               "do not apply");
    if (input.targets.size() != input.outputs.size())
        throw InputError(std::string(metric) + ": " + std::to_string(input.outputs.size()) + " output values but " +
                         std::to_string(input.targets.size()) + " target values");
}

// ECON-T rows (48 trigger cells, or 8x8 images of 64 pixels) as N x 48 doubles.
std::vector<double> econtCells(std::span<const float> values, int64_t dim, const char* metric) {
    if (dim == kEcontPixels) return imagesToCells(values.data(), static_cast<int64_t>(values.size()) / dim);
    if (dim == kEcontCells) return {values.begin(), values.end()};
    throw InputError(std::string(metric) + " on ECON-T maps needs rows of 48 trigger cells or 8x8 images (64 values), "
                                           "got rows of " + std::to_string(dim));
}

int64_t rows(const MetricInput& input, const char* metric) {
    if (input.dim <= 0 || static_cast<int64_t>(input.outputs.size()) % input.dim != 0)
        throw InputError(std::string(metric) + ": " + std::to_string(input.outputs.size()) +
                         " output values are not whole rows of " + std::to_string(input.dim));
    return static_cast<int64_t>(input.outputs.size()) / input.dim;
}

std::vector<double> emdPerSample(const MetricInput& input) {
    requireTargetRows(input, "emd");
    const int64_t n = rows(input, "emd");
    if (input.geometry) {
        if (input.geometry->size() != input.dim)
            throw InputError("emd: geometry \"" + input.geometry->name() + "\" has " +
                             std::to_string(input.geometry->size()) + " cells but rows have " +
                             std::to_string(input.dim) + " values");
        return emdRows(*input.geometry, input.targets.data(), input.outputs.data(), n, input.threads);
    }
    static const Geometry econt = Geometry::econt();
    const std::vector<double> inputs = econtCells(input.targets, input.dim, "emd");
    const std::vector<double> outputs = econtCells(input.outputs, input.dim, "emd");
    return emdRows(econt, inputs.data(), outputs.data(), n, input.threads);
}

std::vector<double> telescopePerSample(const MetricInput& input) {
    requireTargetRows(input, "telescope");
    const int64_t n = rows(input, "telescope");
    const std::vector<double> targets = econtCells(input.targets, input.dim, "telescope");
    const std::vector<double> outputs = econtCells(input.outputs, input.dim, "telescope");
    return telescopeLossRows(targets.data(), outputs.data(), n);
}

std::vector<double> msePerSample(const MetricInput& input) {
    requireTargetRows(input, "mse");
    return mseRows(input.outputs, input.targets, input.dim);
}

std::vector<double> crossEntropyPerSample(const MetricInput& input) {
    if (input.outputsAreLogits)
        return input.labels.empty() ? crossEntropyFromLogitsRows(input.outputs, input.targets, input.dim)
                                    : crossEntropyFromLogitsRows(input.outputs, input.labels, input.dim);
    return input.labels.empty() ? crossEntropyRows(input.outputs, input.targets, input.dim)
                                : crossEntropyRows(input.outputs, input.labels, input.dim);
}

std::vector<double> accuracyPerSample(const MetricInput& input) {
    return input.labels.empty() ? accuracyRows(input.outputs, input.targets, input.dim)
                                : accuracyRows(input.outputs, input.labels, input.dim);
}

struct Metric {
    MetricInfo info;
    std::vector<double> (*perSample)(const MetricInput&);
};

const std::array<Metric, 5>& metrics() {
    static const std::array<Metric, 5> table = {{
        {{"emd", true, "Earth mover's distance between input and output charge maps (ECON-T study)"}, emdPerSample},
        {{"telescope", true, "ECON-T telescope loss: 4 L1 + 2 L2 + L3 over cells and super-cells"}, telescopePerSample},
        {{"mse", true, "Mean squared error between outputs and targets"}, msePerSample},
        {{"ce", true, "Categorical cross-entropy (Keras, probabilities clipped at 1e-7, or from logits)"},
         crossEntropyPerSample},
        {{"accuracy", false, "Top-1 accuracy: arg-max of the output equals the label"}, accuracyPerSample},
    }};
    return table;
}

const Metric& metricNamed(std::string_view name) {
    for (const Metric& metric : metrics())
        if (metric.info.name == name) return metric;
    std::string known;
    for (const Metric& metric : metrics()) known += (known.empty() ? "" : ", ") + metric.info.name;
    throw InputError("unknown metric \"" + std::string(name) + "\"; known metrics: " + known);
}

}  // namespace

const std::vector<MetricInfo>& metricInfos() {
    static const std::vector<MetricInfo> infos = [] {
        std::vector<MetricInfo> list;
        for (const Metric& metric : metrics()) list.push_back(metric.info);
        return list;
    }();
    return infos;
}

const MetricInfo& metricInfo(std::string_view name) { return metricNamed(name).info; }

std::vector<double> evaluateMetricPerSample(std::string_view name, const MetricInput& input) {
    return metricNamed(name).perSample(input);
}

MetricResult evaluateMetric(std::string_view name, const MetricInput& input) {
    MetricResult result;
    result.perSample = evaluateMetricPerSample(name, input);
    result.value = meanOf(result.perSample);
    return result;
}

}  // namespace flipscope
