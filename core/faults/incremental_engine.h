#pragma once
// The fast campaign engine. The clean model runs once and every layer's output is kept; a
// single-bit fault in a Dense or Conv2D weight then recomputes only the output unit (Dense) or
// channel (Conv2D) that weight feeds, from the cached input, with the layer's own arithmetic.
// After each quantizing activation, samples whose values did not change are dropped: their
// metric is the clean one and needs no further layers and no EMD. The changed samples run the
// rest of the network through the ordinary layers. Results equal the reference engine's bit for
// bit (same operations in the same order per sample; the mean sums per-sample values in sample
// order). Faults it cannot speed up (several bits, other layer types, graphs that are not
// chains) are evaluated by the reference path.
#include "core/faults/campaign_engine.h"

#include <memory>
#include <vector>

namespace flipscope {

// Every chain layer's clean output over the whole dataset, and the clean per-sample metric.
struct CleanCache {
    std::vector<Tensor> outputs;    // one per chain layer, [samples, ...]
    std::vector<double> perSample;  // clean metric per sample
    int64_t bytes() const;
};

// Null when the model is not a chain (the reference engine then does all the work).
std::shared_ptr<const CleanCache> buildCleanCache(const Model& model, const ModelEvaluator& evaluator);

class IncrementalEvaluator {
public:
    IncrementalEvaluator(Model& model, const std::vector<BoundTensor>& bound, const CleanCache& cache,
                         const ModelEvaluator& evaluator, double baseline);
    FaultResult evaluate(const PlannedFault& fault, int64_t faultIndex, const std::atomic<bool>* cancel);

private:
    std::optional<FaultResult> evaluateUnit(const PlannedFault& fault, int64_t faultIndex,
                                            const std::atomic<bool>* cancel);

    Model& model_;
    const std::vector<BoundTensor>& bound_;
    const CleanCache& cache_;
    const ModelEvaluator& evaluator_;
    double baseline_;
    std::vector<Layer*> chain_;
};

}  // namespace flipscope
