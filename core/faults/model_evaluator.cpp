#include "core/faults/model_evaluator.h"

#include "core/common/error.h"
#include "core/metrics/metric_registry.h"

namespace flipscope {

ModelEvaluator::ModelEvaluator(std::string metric, Tensor inputs, std::vector<int64_t> labels, const Model& model)
    : metric_(std::move(metric)), inputs_(std::move(inputs)), labels_(std::move(labels)) {
    lowerIsBetter_ = metricInfo(metric_).lowerIsBetter;
    const bool classification = metric_ == "ce" || metric_ == "accuracy";
    const int64_t outWidth = shapeSize(model.outputShape());
    if (classification) {
        if (labels_.empty())
            throw InputError("metric '" + metric_ + "' needs class labels (--labels)");
        if (static_cast<int64_t>(labels_.size()) != inputs_.dim(0))
            throw InputError("there are " + std::to_string(labels_.size()) + " labels for " +
                             std::to_string(inputs_.dim(0)) + " samples");
        for (int64_t label : labels_)
            if (label < 0 || label >= outWidth)
                throw InputError("label " + std::to_string(label) + " is outside the model's " +
                                 std::to_string(outWidth) + " classes");
    } else if (outWidth != inputs_.rowSize()) {
        throw InputError("metric '" + metric_ + "' compares the model's output with its input, but the output " +
                         shapeToString(model.outputShape()) + " and the input " +
                         shapeToString(model.modelInputShapes().at(0)) +
                         " differ in size (for a classifier use ce or accuracy with --labels)");
    }
    if (inputs_.dim(0) == 0) throw InputError("the dataset has no samples");
}

std::vector<double> ModelEvaluator::perSampleFromOutputs(const Tensor& outputs, int64_t first) const {
    const int64_t rows = outputs.dim(0);
    MetricInput in;
    in.outputs = outputs.values();
    in.dim = outputs.rowSize();
    if (!labels_.empty()) in.labels = std::span<const int64_t>(labels_.data() + first, rows);
    else in.targets = std::span<const float>(inputs_.data() + first * inputs_.rowSize(), rows * inputs_.rowSize());
    return evaluateMetricPerSample(metric_, in);
}

std::vector<double> ModelEvaluator::perSampleFromOutputs(const Tensor& outputs,
                                                         const std::vector<int64_t>& samples) const {
    MetricInput in;
    in.outputs = outputs.values();
    in.dim = outputs.rowSize();
    std::vector<int64_t> labels;
    std::vector<float> targets;
    if (!labels_.empty()) {
        for (int64_t s : samples) labels.push_back(labels_[s]);
        in.labels = labels;
    } else {
        const int64_t width = inputs_.rowSize();
        targets.resize(samples.size() * width);
        for (size_t i = 0; i < samples.size(); ++i)
            std::copy_n(inputs_.data() + samples[i] * width, width, targets.data() + i * width);
        in.targets = targets;
    }
    return evaluateMetricPerSample(metric_, in);
}

std::vector<double> ModelEvaluator::perSample(const Model& model, const std::atomic<bool>* cancel) const {
    std::vector<double> values;
    values.reserve(samples());
    for (int64_t begin = 0; begin < samples(); begin += kChunk) {
        if (cancel && *cancel) throw Cancelled();
        const int64_t end = std::min(samples(), begin + kChunk);
        const Tensor part = inputs_.slice(begin, end);
        const Tensor out = model.forward({&part});
        const auto chunk = perSampleFromOutputs(out, begin);
        values.insert(values.end(), chunk.begin(), chunk.end());
    }
    return values;
}

double ModelEvaluator::evaluate(const Model& model, const std::atomic<bool>* cancel) const {
    // Mean in sample order, so the value does not depend on how work is split across threads.
    double sum = 0.0;
    for (double v : perSample(model, cancel)) sum += v;
    return sum / static_cast<double>(samples());
}

}  // namespace flipscope
