#include "core/faults/fault_group_sums.h"

#include <algorithm>

namespace flipscope {

std::optional<std::vector<double>> inFaultSlices(
    int64_t faults, int64_t sliceSize,
    const std::function<std::optional<std::vector<double>>(int64_t first, int64_t count)>& evaluateSlice) {
    std::vector<double> all;
    all.reserve(faults);
    for (int64_t first = 0; first < faults; first += sliceSize) {
        const auto part = evaluateSlice(first, std::min(sliceSize, faults - first));
        if (!part) return std::nullopt;
        all.insert(all.end(), part->begin(), part->end());
    }
    return all;
}

void addBlockSums(std::span<const double> cleanMetrics, std::span<const std::pair<uint64_t, int32_t>> changes,
                  std::span<const int32_t> rowOfChange, std::span<const double> rowMetrics,
                  std::vector<double>& scratch, std::span<double> sums) {
    const size_t size = cleanMetrics.size();
    scratch.resize(sums.size() * size);
    for (size_t f = 0; f < sums.size(); ++f) std::copy(cleanMetrics.begin(), cleanMetrics.end(), scratch.begin() + f * size);
    for (size_t c = 0; c < changes.size(); ++c)
        scratch[changes[c].second * size + (changes[c].first >> 32)] = rowMetrics[rowOfChange[c]];
    for (size_t f = 0; f < sums.size(); ++f)
        for (size_t i = 0; i < size; ++i) sums[f] += scratch[f * size + i];
}

}  // namespace flipscope
