#include "core/faults/campaign_analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace flipscope {

namespace {
// Damage in the metric's "worse" direction: positive = worse than the baseline. A fault that
// made the metric NaN (the network output broke down) counts as the worst possible.
double damage(const CampaignInfo& info, const FaultResult& r) {
    if (std::isnan(r.delta)) return std::numeric_limits<double>::infinity();
    return info.lowerIsBetter ? r.delta : -r.delta;
}
}  // namespace

CampaignSummary summarizeCampaign(const CampaignResults& results) {
    CampaignSummary s;
    s.baseline = results.info.baseline;
    s.evaluated = static_cast<int64_t>(results.faults.size());
    for (const auto& t : results.info.bitSpace) {
        s.bitSpaceSize += t.value("size", int64_t{0});
        s.perTensor.push_back({t.value("layer", "") + " " + t.value("tensor", ""), {}});
    }
    double sum = 0.0;
    for (const FaultResult& r : results.faults) {
        s.overall.total++;
        s.overall.protect += r.protect;
        sum += r.delta;
        if (std::fabs(damage(results.info, r)) > std::fabs(s.worstDelta) && damage(results.info, r) > 0) s.worstDelta = r.delta;
        if (r.tensor >= 0 && r.tensor < static_cast<int>(s.perTensor.size())) {
            s.perTensor[r.tensor].second.total++;
            s.perTensor[r.tensor].second.protect += r.protect;
        }
        if (r.bit >= 0) {
            s.perBitPosition[r.bit].total++;
            s.perBitPosition[r.bit].protect += r.protect;
        }
    }
    s.meanDelta = s.evaluated ? sum / double(s.evaluated) : 0.0;
    s.normalizedBitsToProtect = s.bitSpaceSize ? double(s.overall.protect) / double(s.bitSpaceSize) : 0.0;
    return s;
}

Histogram deltaHistogram(const CampaignResults& results, int bins) {
    Histogram h;
    h.counts.assign(std::max(bins, 1), 0);
    if (results.faults.empty()) return h;
    h.lo = h.hi = results.faults.front().delta;
    for (const FaultResult& r : results.faults) {
        if (!std::isfinite(r.delta)) continue;
        h.lo = std::min(h.lo, r.delta);
        h.hi = std::max(h.hi, r.delta);
    }
    const double width = (h.hi - h.lo) / h.counts.size();
    for (const FaultResult& r : results.faults) {
        if (!std::isfinite(r.delta)) continue;
        size_t bin = width > 0 ? static_cast<size_t>((r.delta - h.lo) / width) : 0;
        h.counts[std::min(bin, h.counts.size() - 1)]++;
    }
    return h;
}

std::vector<int64_t> oracleRanking(const CampaignResults& results) {
    std::vector<const FaultResult*> single;
    for (const FaultResult& r : results.faults)
        if (r.globalBit >= 0) single.push_back(&r);
    std::stable_sort(single.begin(), single.end(), [&](const FaultResult* a, const FaultResult* b) {
        const double da = damage(results.info, *a), db = damage(results.info, *b);
        if (da != db) return da > db;
        return a->globalBit < b->globalBit;
    });
    std::vector<int64_t> order;
    for (const FaultResult* r : single) order.push_back(r->globalBit);
    return order;
}

}  // namespace flipscope
