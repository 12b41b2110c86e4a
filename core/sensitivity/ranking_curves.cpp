#include "core/sensitivity/ranking_curves.h"

#include "core/common/error.h"
#include "core/faults/campaign_analysis.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace flipscope {

namespace {

// A fault whose metric became NaN (the network broke down) is the worst possible, but an infinite
// damage would make every damage curve infinite: it counts as the largest finite damage measured.
std::vector<double> positiveDamage(const CampaignResults& results, int64_t size) {
    std::vector<double> damage(static_cast<size_t>(size), 0.0);
    double largest = 0.0;
    for (const FaultResult& r : results.faults) {
        if (r.globalBit < 0 || std::isnan(r.delta)) continue;
        const double d = results.info.lowerIsBetter ? r.delta : -r.delta;
        if (std::isfinite(d)) largest = std::max(largest, d);
    }
    for (const FaultResult& r : results.faults) {
        if (r.globalBit < 0) continue;
        const double d = results.info.lowerIsBetter ? r.delta : -r.delta;
        damage[r.globalBit] = std::isnan(r.delta) || std::isinf(d) ? largest : std::max(d, 0.0);
    }
    return damage;
}

// Area under a curve sampled at k = 0..N (k = 0 is always 0): the sum of its steps.
template <typename T>
double area(const std::vector<T>& curve) {
    return std::accumulate(curve.begin(), curve.end(), 0.0, [](double s, T v) { return s + static_cast<double>(v); });
}

double ratio(double part, double whole) { return whole > 0.0 ? part / whole : 1.0; }

}  // namespace

Oracle makeOracle(const CampaignResults& results) {
    Oracle oracle;
    for (const auto& t : results.info.bitSpace) oracle.bitSpaceSize += t.value("size", int64_t{0});
    for (const FaultResult& r : results.faults)
        if (r.globalBit >= oracle.bitSpaceSize)
            throw InputError("campaign results: bit " + std::to_string(r.globalBit) + " lies outside the bit space of " +
                             std::to_string(oracle.bitSpaceSize) + " bits");
    oracle.order = oracleRanking(results);
    if (oracle.order.empty())
        throw InputError("the campaign results hold no single-bit faults (plan " + results.info.plan.toString() +
                         "): an oracle ranking needs an exhaustive, sampled or ranked campaign");
    oracle.damage = positiveDamage(results, oracle.bitSpaceSize);
    oracle.evaluated.assign(static_cast<size_t>(oracle.bitSpaceSize), 0);
    oracle.sensitive.assign(static_cast<size_t>(oracle.bitSpaceSize), 0);
    for (const FaultResult& r : results.faults) {
        if (r.globalBit < 0 || oracle.evaluated[r.globalBit]) continue;
        oracle.evaluated[r.globalBit] = 1;
        oracle.sensitive[r.globalBit] = r.protect;
        oracle.evaluatedCount++;
        oracle.sensitiveCount += r.protect;
    }
    return oracle;
}

Oracle topPercentOracle(const Oracle& oracle, double percent) {
    if (!(percent > 0.0 && percent <= 100.0))
        throw InputError("top-p% oracle: p must be in (0, 100], not " + std::to_string(percent));
    Oracle top = oracle;
    std::fill(top.sensitive.begin(), top.sensitive.end(), 0);
    top.sensitiveCount = static_cast<int64_t>(percent / 100.0 * static_cast<double>(oracle.evaluatedCount));
    for (int64_t i = 0; i < top.sensitiveCount; ++i) top.sensitive[oracle.order[i]] = 1;
    char label[32];
    std::snprintf(label, sizeof label, "top %g%%", percent);
    top.label = label;
    return top;
}

RankingCurve rankingCurve(const std::string& name, const std::vector<int64_t>& order, const Oracle& oracle) {
    RankingCurve curve;
    curve.name = name;
    curve.found.reserve(static_cast<size_t>(oracle.evaluatedCount + 1));
    curve.damage.reserve(static_cast<size_t>(oracle.evaluatedCount + 1));
    curve.found.push_back(0);
    curve.damage.push_back(0.0);
    std::vector<char> taken(static_cast<size_t>(oracle.bitSpaceSize), 0);
    const auto take = [&](int64_t bit) {
        if (bit < 0 || bit >= oracle.bitSpaceSize || !oracle.evaluated[bit] || taken[bit]) return;
        taken[bit] = 1;
        curve.found.push_back(curve.found.back() + oracle.sensitive[bit]);
        curve.damage.push_back(curve.damage.back() + oracle.damage[bit]);
    };
    for (int64_t bit : order) take(bit);
    for (int64_t bit = 0; bit < oracle.bitSpaceSize; ++bit) take(bit);
    return curve;
}

RankingCurve oracleCurve(const Oracle& oracle) {
    // The bits to protect first (in damage order), so the curve is the best possible for both
    // measures even where a campaign's protect flag and its damage disagree.
    std::vector<int64_t> order;
    order.reserve(oracle.order.size());
    for (int64_t bit : oracle.order)
        if (oracle.sensitive[bit]) order.push_back(bit);
    for (int64_t bit : oracle.order)
        if (!oracle.sensitive[bit]) order.push_back(bit);
    return rankingCurve("oracle", order, oracle);
}

RankingScore scoreRanking(const RankingCurve& curve, const Oracle& oracle) {
    const int64_t n = oracle.evaluatedCount;
    if (static_cast<int64_t>(curve.found.size()) != n + 1 || static_cast<int64_t>(curve.damage.size()) != n + 1)
        throw InputError("ranking curve '" + curve.name + "' does not belong to this oracle (" +
                         std::to_string(curve.found.size()) + " points for " + std::to_string(n) + " bits)");
    // The best curves possible: every sensitive bit first; damages in decreasing order.
    double bestFound = 0.0;
    for (int64_t k = 1; k <= n; ++k) bestFound += static_cast<double>(std::min(k, oracle.sensitiveCount));
    std::vector<double> damages;
    damages.reserve(static_cast<size_t>(n));
    for (int64_t bit = 0; bit < oracle.bitSpaceSize; ++bit)
        if (oracle.evaluated[bit]) damages.push_back(oracle.damage[bit]);
    std::sort(damages.begin(), damages.end(), std::greater<>());
    double bestDamage = 0.0, running = 0.0;
    for (double d : damages) bestDamage += (running += d);

    RankingScore score;
    score.foundScore = ratio(area(curve.found), bestFound);
    score.damageScore = ratio(area(curve.damage), bestDamage);
    const int64_t target = static_cast<int64_t>(0.99 * static_cast<double>(oracle.sensitiveCount));
    score.bitsFor99 = std::lower_bound(curve.found.begin(), curve.found.end(), target) - curve.found.begin();
    score.atK = oracle.sensitiveCount;
    const double foundAtK = static_cast<double>(curve.found[score.atK]);
    score.precisionAtK = score.atK > 0 ? foundAtK / static_cast<double>(score.atK) : 0.0;
    score.recallAtK = oracle.sensitiveCount > 0 ? foundAtK / static_cast<double>(oracle.sensitiveCount) : 0.0;
    return score;
}

}  // namespace flipscope
