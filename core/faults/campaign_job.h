#pragma once
// A campaign from files to a results file: loads the model and data, builds the bit space, the
// plan and the evaluator, measures the baseline, creates (or reopens, to resume) the results file
// and runs the engine, writing results as they come. The CLI and the GUI both run campaigns
// through this class.
#include "core/faults/campaign_engine.h"
#include "core/faults/results_store.h"
#include "core/io/dataset.h"
#include "core/io/keras_h5_loader.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace flipscope {

struct CampaignSetup {
    std::string modelPath;
    std::optional<std::string> configPath;
    std::string dataSpec;
    DatasetOptions dataOptions;
    std::string labelsSpec;      // for ce/accuracy
    std::string metric = "emd";
    CampaignPlan plan;
    // For a ranked plan whose order is not in `plan` yet: called once with the job's bit space
    // (the model loaded once) to give it, say from a ranking file naming bits of that space.
    std::function<std::vector<int64_t>(const BitSpace&)> rankedOrder;
    BitSpaceFilter filter;
    int threads = 0;
    std::string outPath;
    bool resume = false;         // continue an existing results file
    bool overwrite = false;      // replace an existing results file
    std::string engine = "fast";  // or "reference"
};

class CampaignJob {
public:
    // Everything that can fail on bad input fails here, before any work starts.
    explicit CampaignJob(const CampaignSetup& setup);
    ~CampaignJob();

    const CampaignInfo& info() const { return info_; }
    const BitSpace& bitSpace() const { return space_; }
    const Model& model() const { return *loaded_.model; }
    int64_t alreadyDone() const { return startAt_; }
    int64_t totalFaults() const { return static_cast<int64_t>(faults_.size()); }

    // Runs (or continues) the campaign; results are written as they arrive. Returns when done or
    // cancelled; the results file's status says which.
    CampaignOutcome run(CampaignControl& control, const std::function<void(const CampaignProgress&)>& onProgress,
                        const std::function<void(const std::vector<FaultResult>&)>& onResults = {});

private:
    CampaignSetup setup_;
    LoadedModel loaded_;
    BitSpace space_;
    std::vector<PlannedFault> faults_;
    std::unique_ptr<ModelEvaluator> evaluator_;
    CampaignInfo info_;
    std::unique_ptr<ResultsWriter> writer_;
    int64_t startAt_ = 0;
};

// The bit space as stored in results files: per tensor its layer, tensor, params, bits, offset.
nlohmann::json bitSpaceJson(const BitSpace& space);

}  // namespace flipscope
