#pragma once
// One evaluated fault of a campaign, and the campaign's description: what is written to and
// read back from a results file.
#include "core/faults/campaign_plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flipscope {

struct FaultResult {
    int64_t faultIndex = 0;   // position in the plan
    int64_t globalBit = -1;   // single-bit faults: global index in the bit space
    int tensor = -1;          // single-bit faults: address
    int64_t param = -1;
    int bit = -1;
    double original = 0.0;    // single-bit faults: weight value before and after
    double flipped = 0.0;
    double metric = 0.0;      // dataset mean of the metric with the fault
    double delta = 0.0;       // metric - baseline
    bool protect = false;     // the fault makes the metric worse than the baseline
    double bitErrorRate = 0.0;// ber plans
    int trial = -1;
    std::vector<int64_t> bits;  // multi-bit faults: global indices of the flipped bits
};

struct CampaignInfo {
    std::string modelPath, modelFingerprint;
    std::string configPath;
    std::string dataSpec, dataFingerprint;
    std::string labelsSpec, labelsFingerprint;
    std::string metric;
    bool lowerIsBetter = true;
    CampaignPlan plan;
    std::string engine = "reference";
    int64_t samples = 0;
    double baseline = 0.0;
    int64_t totalFaults = 0;
    nlohmann::json bitSpace;  // the selected tensors (layer, tensor, params, bits, offset)
    std::string status;       // "running", "complete", "cancelled"
};

}  // namespace flipscope
