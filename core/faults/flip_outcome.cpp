#include "core/faults/flip_outcome.h"

#include "core/common/error.h"
#include "core/metrics/econt_remap.h"
#include "core/metrics/metric_registry.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace flipscope {

OutcomeMetricInfo outcomeMetricInfo(OutcomeMetric metric) {
    switch (metric) {
    case OutcomeMetric::Emd: return {"EMD (output vs input)", "EMD", false};
    case OutcomeMetric::Mse: return {"MSE (output vs input)", "MSE", false};
    case OutcomeMetric::Accuracy: return {"Accuracy", "accuracy", true};
    case OutcomeMetric::MeanAbsChange: return {"Mean |output change|", "mean |Δout|", false};
    }
    return {};
}

bool isAutoencoder(const Model& model) {
    const auto inputs = model.modelInputShapes();
    return inputs.size() == 1 && inputs[0] == model.outputShape();
}

OutcomeMetric chooseOutcomeMetric(const Model& model, bool haveLabels) {
    if (isAutoencoder(model)) {
        const int64_t cells = shapeSize(model.outputShape());
        return cells == kEcontPixels || cells == kEcontCells ? OutcomeMetric::Emd : OutcomeMetric::Mse;
    }
    if (haveLabels) return OutcomeMetric::Accuracy;
    return OutcomeMetric::MeanAbsChange;
}

namespace {

// Mean |a - b| per row: how far the outputs moved.
std::vector<double> rowMeanAbsDiff(const Tensor& a, const Tensor& b) {
    const int64_t rows = a.dim(0), n = a.rowSize();
    std::vector<double> out(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r) {
        double sum = 0.0;
        for (int64_t i = 0; i < n; ++i) sum += std::fabs(static_cast<double>(a[r * n + i]) - b[r * n + i]);
        out[r] = n ? sum / n : 0.0;
    }
    return out;
}

const char* registryName(OutcomeMetric metric) {
    switch (metric) {
    case OutcomeMetric::Emd: return "emd";
    case OutcomeMetric::Mse: return "mse";
    case OutcomeMetric::Accuracy: return "accuracy";
    case OutcomeMetric::MeanAbsChange: break;
    }
    return nullptr;
}

}  // namespace

Outcome evaluateOutcome(const Model& model, const Tensor& inputs, const std::vector<int64_t>& labels,
                        OutcomeMetric metric, const Tensor* baselineOutputs, int threads) {
    Outcome o;
    o.metric = metric;
    o.outputs = model.predict(inputs, threads);
    if (metric == OutcomeMetric::MeanAbsChange) {
        if (baselineOutputs && baselineOutputs->shape() != o.outputs.shape())
            throw InputError("baseline outputs " + shapeToString(baselineOutputs->shape()) + " do not match outputs " +
                             shapeToString(o.outputs.shape()));
        o.perSample = rowMeanAbsDiff(o.outputs, baselineOutputs ? *baselineOutputs : o.outputs);
    } else {
        MetricInput in;
        in.outputs = o.outputs.values();
        in.dim = o.outputs.rowSize();
        if (metric == OutcomeMetric::Accuracy) {
            if (static_cast<int64_t>(labels.size()) != o.outputs.dim(0))
                throw InputError("accuracy needs one label per sample: " + std::to_string(labels.size()) +
                                 " labels for " + std::to_string(o.outputs.dim(0)) + " samples");
            in.labels = labels;
        } else {
            if (inputs.size() != o.outputs.size())
                throw InputError(outcomeMetricInfo(metric).shortName + " compares outputs with inputs, but the model maps " +
                                 shapeToString(inputs.shape()) + " to " + shapeToString(o.outputs.shape()));
            in.targets = inputs.values();
        }
        in.threads = threads;
        o.perSample = evaluateMetricPerSample(registryName(metric), in);
    }
    o.value = o.perSample.empty() ? 0.0
                                  : std::accumulate(o.perSample.begin(), o.perSample.end(), 0.0) / o.perSample.size();
    return o;
}

FlipComparison compareModels(const Model& pristine, const Model& flipped, const Tensor& inputs,
                             const std::vector<int64_t>& labels, OutcomeMetric metric,
                             const std::optional<Outcome>& knownBefore, int threads) {
    FlipComparison c;
    c.before = knownBefore && knownBefore->metric == metric
                   ? *knownBefore
                   : evaluateOutcome(pristine, inputs, labels, metric, nullptr, threads);
    c.after = &flipped == &pristine ? c.before
                                    : evaluateOutcome(flipped, inputs, labels, metric, &c.before.outputs, threads);
    return c;
}

}  // namespace flipscope
