#pragma once
// What a campaign's results say: bits to protect (count and fraction of the bit space, the
// "normalized bits to protect"), their distribution per layer, tensor and bit position, a
// histogram of metric deltas, and the oracle ranking (bits sorted by measured damage).
#include "core/faults/results_store.h"

#include <map>
#include <string>
#include <vector>

namespace flipscope {

struct ProtectCount {
    int64_t protect = 0;  // faults that made the metric worse
    int64_t total = 0;    // faults evaluated
    double fraction() const { return total ? double(protect) / double(total) : 0.0; }
};

struct CampaignSummary {
    double baseline = 0.0;
    int64_t evaluated = 0;
    int64_t bitSpaceSize = 0;
    ProtectCount overall;
    // Bits to protect / all bits of the bit space (= overall.fraction() for an exhaustive run).
    double normalizedBitsToProtect = 0.0;
    std::vector<std::pair<std::string, ProtectCount>> perTensor;  // "layer kernel", in bit-space order
    std::map<int, ProtectCount> perBitPosition;                    // 0 = LSB
    double worstDelta = 0.0;
    double meanDelta = 0.0;
};

CampaignSummary summarizeCampaign(const CampaignResults& results);

struct Histogram {
    double lo = 0.0, hi = 0.0;
    std::vector<int64_t> counts;
};
Histogram deltaHistogram(const CampaignResults& results, int bins);

// Global bit indices sorted by damage, most harmful first ("worse" follows the metric's
// direction); ties by global index. Only single-bit results.
std::vector<int64_t> oracleRanking(const CampaignResults& results);

}  // namespace flipscope
