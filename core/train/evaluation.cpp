#include "core/train/evaluation.h"

#include "core/metrics/basic_metrics.h"
#include "core/metrics/econt_remap.h"
#include "core/metrics/emd.h"
#include "core/metrics/geometry.h"

namespace flipscope {

double meanEcontEmd(const Tensor& inputs, const Tensor& outputs, int threads) {
    const std::vector<double> x = imagesToCells(inputs), y = imagesToCells(outputs);
    const std::vector<double> emds = emdRows(Geometry::econt(), x.data(), y.data(), inputs.dim(0), threads);
    return meanOf(emds);
}

Evaluation evaluateModel(const Model& model, const Tensor& inputs, const Tensor& targets,
                         const std::vector<int64_t>& labels, const Loss& loss, int threads) {
    Evaluation e;
    e.samples = inputs.dim(0);
    const Tensor outputs = model.predict(inputs, threads);
    e.loss = loss.mean(outputs, targets);
    if (!labels.empty())
        e.accuracy = meanOf(accuracyRows(outputs.values(), std::span<const int64_t>(labels), outputs.rowSize()));
    else if (inputs.rowSize() == kEcontPixels && outputs.rowSize() == kEcontPixels)
        e.meanEmd = meanEcontEmd(inputs, outputs, threads);
    return e;
}

}  // namespace flipscope
