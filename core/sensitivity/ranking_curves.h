#pragma once
// How well a bit ranking finds the bits a campaign measured as harmful (reference 3.4, 3.6):
// the oracle (bits by measured damage), the "found" curve (bits to protect among the first k
// ranked bits) and the damage curve (sum of positive deltas of the first k bits), for k = 0..N
// over the bits the campaign evaluated, and scores comparing a ranking with the oracle.
#include "core/faults/results_store.h"
#include "core/sensitivity/bit_ranking.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flipscope {

struct Oracle {
    int64_t bitSpaceSize = 0;
    std::vector<int64_t> order;   // evaluated bits, most damaging first (ties by global index)
    std::vector<double> damage;   // per global bit: the delta in the "worse" direction if > 0, else 0
    std::vector<char> evaluated;  // per global bit
    std::vector<char> sensitive;  // per global bit: in the set of bits to protect
    int64_t evaluatedCount = 0;
    int64_t sensitiveCount = 0;
    std::string label = "bits to protect";  // or "top 3%"
};

// Sensitive = the metric got worse than the baseline (the study's bits to protect).
// InputError when the results hold no single-bit faults.
Oracle makeOracle(const CampaignResults& results);

// The same damage, sensitive = the first int(percent/100 * evaluated) bits of the oracle order
// (the study's "top p%" sets, p in 1, 3, 10, 30).
Oracle topPercentOracle(const Oracle& oracle, double percent);

struct RankingCurve {
    std::string name;
    std::vector<int64_t> found;  // found[k]: sensitive bits among the first k ranked evaluated bits
    std::vector<double> damage;  // damage[k]: their summed damage; k = 0..evaluatedCount
};

// Bits the oracle did not evaluate are skipped; evaluated bits the ranking lacks come last in
// global order (so every curve ends at the oracle's totals).
RankingCurve rankingCurve(const std::string& name, const std::vector<int64_t>& order, const Oracle& oracle);
RankingCurve oracleCurve(const Oracle& oracle);

struct RankingScore {
    double foundScore = 0.0;   // area under found curve / the oracle's, in [0,1]
    double damageScore = 0.0;  // the same for the damage curve
    int64_t bitsFor99 = 0;     // first k with found[k] >= int(0.99 * sensitive), as FKeras counts
    int64_t atK = 0;           // = the oracle's number of sensitive bits
    double precisionAtK = 0.0; // found[atK] / atK
    double recallAtK = 0.0;    // found[atK] / sensitive
};

RankingScore scoreRanking(const RankingCurve& curve, const Oracle& oracle);

}  // namespace flipscope
