#pragma once
// The fast campaign engine. The clean model runs once and every layer's output is kept. A
// single-bit fault in a Dense or Conv2D weight then recomputes only the output unit (Dense) or
// channel (Conv2D) that weight feeds, from the cached input, with the layer's own arithmetic.
// After each quantizing activation, samples whose values did not change are dropped: their
// metric is the clean one and needs no further layers and no metric evaluation. The changed
// samples run the rest of the network through the ordinary layers (downstream_pass.h).
// Faults of one Dense unit or one Conv2D channel are grouped and evaluated together
// (dense_unit_faults.h, conv_channel_faults.h).
// Results equal the reference engine's bit for bit (same operations in the same order per
// sample, or provably exact sums; the mean adds per-sample values in sample order). Faults it
// cannot speed up (several bits, other layer types, graphs that are not chains) are evaluated
// by the reference path.
#include "core/faults/campaign_engine.h"
#include "core/faults/conv_channel_faults.h"
#include "core/faults/dense_unit_faults.h"
#include "core/faults/downstream_pass.h"
#include "core/metrics/emd.h"

#include <memory>
#include <span>
#include <vector>

namespace flipscope {

// Every chain layer's clean output over the whole dataset, and the clean per-sample metric.
struct CleanCache {
    std::vector<Tensor> outputs;    // one per chain layer, [samples, ...]
    std::vector<double> perSample;  // clean metric per sample
    std::vector<EmdBasis> emdBases; // per sample, for the ECON-T EMD metric only (warm_emd.h)
    int64_t bytes() const;
};

// Null when the model is not a chain (the reference engine then does all the work). `threads`:
// as many (0: one per hardware thread); the cache is the same for any count.
std::shared_ptr<const CleanCache> buildCleanCache(const Model& model, const ModelEvaluator& evaluator, int threads = 0);

// The clean input of chain layer `position`: the dataset for the first layer, else the cached
// output of the layer before.
const Tensor& cleanInput(const CleanCache& cache, const ModelEvaluator& evaluator, size_t position);

// Work units: unit u is the faults order[begins[u]] .. order[begins[u + 1] - 1] (plan indices),
// evaluated in partsOf(u) parts, each on a range of the samples, which may run at once on
// different threads (so that the threads finish a campaign together, not one of them alone on the
// last unit).
struct CampaignWork {
    std::vector<int64_t> order;
    std::vector<int64_t> begins;
    std::vector<int> parts;  // per unit; empty: one part each
    int64_t units() const { return static_cast<int64_t>(begins.size()) - 1; }
    std::span<const int64_t> unit(int64_t u) const {
        return {order.data() + begins[u], static_cast<size_t>(begins[u + 1] - begins[u])};
    }
    int partsOf(int64_t u) const { return parts.empty() ? 1 : parts[u]; }
};

// What the parts of one work unit leave for its finish. Each part writes its own members (part 0
// the first three, part k kept[k], sized by whoever sets the parts going), so parts may run at once.
struct UnitProgress {
    std::vector<FaultResult> results;       // a group's headers, or the results of faults evaluated alone
    bool grouped = false;                   // the unit's faults were evaluated as a group
    std::vector<double> sums;               // the group's running sums over part 0's samples
    std::vector<std::vector<double>> kept;  // part k > 0: its samples' metrics, [fault][sample]
};

// One fault per unit, in plan order from `start`.
CampaignWork singleFaultWork(int64_t start, int64_t total);

class IncrementalEvaluator {
public:
    IncrementalEvaluator(Model& model, const std::vector<BoundTensor>& bound, const CleanCache& cache,
                         const ModelEvaluator& evaluator, double baseline);
    FaultResult evaluate(const PlannedFault& fault, int64_t faultIndex, const std::atomic<bool>* cancel);

    // Splits faults [start, faults.size()) into work units: within growing windows of consecutive plan
    // faults, the single-bit faults of one Dense unit or Conv2D channel form one unit, in a few
    // parts by samples when their kept metrics fit a budget (smaller with more `threads`, which
    // have more units in flight); any other fault is alone. Any split gives the same per-fault
    // results; this one shares work and keeps results flowing.
    CampaignWork planWork(const std::vector<PlannedFault>& faults, int64_t start, int threads = 1) const;
    // Part `part` of `parts` of one work unit (see UnitProgress), then its results in the unit's
    // order once all its parts are done.
    void evaluatePart(const std::vector<PlannedFault>& faults, std::span<const int64_t> unit, int part, int parts,
                      UnitProgress& progress, const std::atomic<bool>* cancel);
    std::vector<FaultResult> finishUnit(UnitProgress&& progress) const;

private:
    std::optional<FaultResult> evaluateUnit(const PlannedFault& fault, int64_t faultIndex,
                                            const std::atomic<bool>* cancel);
    bool evaluateGroup(size_t position, int64_t unit, const std::vector<FaultResult>& headers, const GroupMetrics& out,
                       const std::atomic<bool>* cancel);
    // Chain position of a layer, or of the layer a single-bit fault hits, if it is in the chain.
    std::optional<size_t> positionOf(const Layer* layer) const;
    std::optional<size_t> chainPosition(const PlannedFault& fault) const;
    // The Dense unit or Conv2D channel a fault can be grouped by: (chain position, unit), or nullopt.
    std::optional<std::pair<size_t, int64_t>> groupOf(const PlannedFault& fault) const;
    // Per bit-space tensor, whether its faults group (a groupable layer's kernel or bias): its
    // layer's chain position and unit count (0: they do not). Looked up per fault by groupOf.
    struct TensorGroups {
        size_t position = 0;
        int64_t units = 0;
    };
    std::vector<TensorGroups> listTensorGroups() const;

    Model& model_;
    const std::vector<BoundTensor>& bound_;
    const CleanCache& cache_;
    const ModelEvaluator& evaluator_;
    double baseline_;
    std::vector<Layer*> chain_;
    DownstreamPass downstream_;
    DenseUnitFaults denseUnits_;
    ConvChannelFaults convChannels_;
    std::vector<TensorGroups> tensorGroups_;
};

}  // namespace flipscope
