#pragma once
// Runs a campaign plan: for each planned fault, apply it to a worker's copy of the model,
// evaluate the dataset metric, undo it. Workers on all cores; results reported in plan order;
// progress (done, total, rate, ETA); pause, resume and cancel (answered within a chunk of
// samples, well under 200 ms). The user's model is never modified. Same numbers for any thread
// count. Without a clean cache this is the reference engine (it re-runs the whole network for
// every fault); with one, the incremental engine of incremental_engine.h.
#include "core/faults/campaign_plan.h"
#include "core/faults/campaign_result.h"
#include "core/faults/model_evaluator.h"

#include <atomic>
#include <functional>
#include <memory>

namespace flipscope {

struct CampaignProgress {
    int64_t done = 0;   // faults evaluated, including those of an earlier run being resumed
    int64_t total = 0;
    double elapsedSeconds = 0.0;
    double rate = 0.0;  // faults per second in this run
    double etaSeconds = 0.0;
};

// Shared with the UI or CLI: set `cancel` or `pause` from any thread.
struct CampaignControl {
    std::atomic<bool> cancel{false};
    std::atomic<bool> pause{false};
};

struct CampaignRequest {
    const Model* model = nullptr;
    const BitSpace* space = nullptr;
    const std::vector<PlannedFault>* faults = nullptr;
    const ModelEvaluator* evaluator = nullptr;
    double baseline = 0.0;
    int threads = 0;         // 0 = all cores
    int64_t startAt = 0;     // resume: faults before this index are already done
    // Set: the fast engine (incremental evaluation from these clean activations); null: reference.
    std::shared_ptr<const struct CleanCache> cleanCache;
    // Called on the calling thread with consecutive results in plan order.
    std::function<void(const std::vector<FaultResult>&)> onResults;
    // Called on the calling thread about every `progressInterval` seconds and at the end.
    std::function<void(const CampaignProgress&)> onProgress;
    double progressInterval = 0.2;
};

struct CampaignOutcome {
    int64_t evaluated = 0;  // faults evaluated in this run
    bool cancelled = false;
};

CampaignOutcome runCampaign(const CampaignRequest& request, CampaignControl& control);

// Evaluates one fault on a worker model (bound tensors of `space` on `model`).
FaultResult evaluateFault(Model& model, const std::vector<BoundTensor>& bound, const PlannedFault& fault,
                          int64_t faultIndex, const ModelEvaluator& evaluator, double baseline,
                          const std::atomic<bool>* cancel);

bool isWorse(double metric, double baseline, bool lowerIsBetter);

// A fault's result before evaluation: plan position, address, and for single-bit faults the
// weight's value before and after the flip (read by applying and undoing the fault).
FaultResult faultResultHeader(const std::vector<BoundTensor>& bound, const PlannedFault& fault, int64_t faultIndex);
// Sets metric, delta and protect.
void setFaultMetric(FaultResult& result, double metric, double baseline, bool lowerIsBetter);

}  // namespace flipscope
