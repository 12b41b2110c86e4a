#include "core/sensitivity/bit_ranking.h"

#include "core/common/error.h"
#include "core/common/python_random.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace flipscope {

namespace {

// Sorting key: NaN scores (a broken gradient, say) rank last instead of breaking the ordering.
double sortKey(double score) { return std::isnan(score) ? -std::numeric_limits<double>::infinity() : score; }

// Scores for rankings that have no metric of their own: N for the first bit down to 1 for the last.
void setRankDerivedScores(BitRanking& ranking) {
    const size_t n = ranking.order.size();
    ranking.score.resize(n);
    for (size_t i = 0; i < n; ++i) ranking.score[i] = static_cast<double>(n - i);
}

}  // namespace

BitRanking bitRankingFromParameterScores(const std::string& method, const BitSpace& space,
                                         const ParameterScores& scores) {
    const auto& tensors = space.tensors();
    if (scores.size() != tensors.size())
        throw InputError("ranking '" + method + "': " + std::to_string(scores.size()) + " score lists for " +
                         std::to_string(tensors.size()) + " bit-space tensors");
    struct Param {
        int tensor;
        int64_t index;
        double score;
    };
    std::vector<Param> params;
    params.reserve(static_cast<size_t>(space.size()));
    int maxWidth = 0;
    for (size_t t = 0; t < tensors.size(); ++t) {
        if (static_cast<int64_t>(scores[t].size()) != tensors[t].params)
            throw InputError("ranking '" + method + "': " + std::to_string(scores[t].size()) + " scores for " +
                             tensors[t].layerPath + " " + tensors[t].tensor + " with " +
                             std::to_string(tensors[t].params) + " parameters");
        maxWidth = std::max(maxWidth, tensors[t].bitWidth);
        for (int64_t i = 0; i < tensors[t].params; ++i) params.push_back({static_cast<int>(t), i, scores[t][i]});
    }
    // Stable: equal scores keep bit-space order.
    std::stable_sort(params.begin(), params.end(),
                     [](const Param& a, const Param& b) { return sortKey(a.score) > sortKey(b.score); });

    // slot[t][p]: position in the tensor's selected bits of the bit p places below the MSB, or -1.
    std::vector<std::vector<int>> slot(tensors.size(), std::vector<int>(maxWidth, -1));
    for (size_t t = 0; t < tensors.size(); ++t)
        for (size_t s = 0; s < tensors[t].bits.size(); ++s)
            slot[t][tensors[t].bitWidth - 1 - tensors[t].bits[s]] = static_cast<int>(s);

    BitRanking ranking;
    ranking.method = method;
    ranking.order.reserve(static_cast<size_t>(space.size()));
    ranking.score.reserve(static_cast<size_t>(space.size()));
    for (int p = 0; p < maxWidth; ++p)
        for (const Param& param : params) {
            const int s = slot[param.tensor][p];
            if (s < 0) continue;
            const BitSpaceTensor& t = tensors[param.tensor];
            ranking.order.push_back(t.offset + param.index * static_cast<int64_t>(t.bits.size()) + s);
            ranking.score.push_back(param.score);
        }
    return ranking;
}

BitRanking bitRankingFromBitScores(const std::string& method, const std::vector<double>& scores) {
    BitRanking ranking;
    ranking.method = method;
    ranking.order.resize(scores.size());
    std::iota(ranking.order.begin(), ranking.order.end(), int64_t{0});
    std::stable_sort(ranking.order.begin(), ranking.order.end(),
                     [&](int64_t a, int64_t b) { return sortKey(scores[a]) > sortKey(scores[b]); });
    ranking.score.reserve(scores.size());
    for (int64_t bit : ranking.order) ranking.score.push_back(scores[bit]);
    return ranking;
}

BitRanking randomRanking(const BitSpace& space, uint64_t seed) {
    BitRanking ranking;
    ranking.method = "random";
    ranking.order = pythonSample(space.size(), space.size(), seed);
    setRankDerivedScores(ranking);
    return ranking;
}

BitRanking msbRanking(const BitSpace& space) {
    // Equal parameter scores keep bit-space order, which is exactly MSB -> LSB.
    ParameterScores zeros;
    for (const BitSpaceTensor& t : space.tensors()) zeros.emplace_back(static_cast<size_t>(t.params), 0.0);
    BitRanking ranking = bitRankingFromParameterScores("msb", space, zeros);
    setRankDerivedScores(ranking);
    return ranking;
}

}  // namespace flipscope
