#include "core/faults/fault_group_sums.h"

#include <algorithm>

namespace flipscope {

GroupMetrics GroupMetrics::slice(int64_t first, int64_t count) const {
    GroupMetrics part{range, {}, {}};
    if (kept.empty()) part.sums = sums.subspan(first, count);
    else part.kept = kept.subspan(first * range.size(), count * range.size());
    return part;
}

bool inFaultSlices(int64_t faults, int64_t sliceSize, const std::function<bool(int64_t first, int64_t count)>& evaluateSlice) {
    for (int64_t first = 0; first < faults; first += sliceSize)
        if (!evaluateSlice(first, std::min(sliceSize, faults - first))) return false;
    return true;
}

void addBlockMetrics(int64_t first, std::span<const double> cleanMetrics,
                     std::span<const std::pair<uint64_t, int32_t>> changes, std::span<const int32_t> rowOfChange,
                     std::span<const double> rowMetrics, std::vector<double>& scratch, const GroupMetrics& out) {
    const size_t size = cleanMetrics.size();
    const size_t faults = out.kept.empty() ? out.sums.size() : out.kept.size() / out.range.size();
    const bool keep = !out.kept.empty();
    // Each fault's metrics of the block: straight into its kept row, or into scratch to be added.
    size_t stride = size;
    double* rows = nullptr;
    if (keep) {
        stride = static_cast<size_t>(out.range.size());
        rows = out.kept.data() + (first - out.range.begin);
    } else {
        scratch.resize(faults * size);
        rows = scratch.data();
    }
    for (size_t f = 0; f < faults; ++f) std::copy(cleanMetrics.begin(), cleanMetrics.end(), rows + f * stride);
    for (size_t c = 0; c < changes.size(); ++c)
        rows[changes[c].second * stride + (changes[c].first >> 32)] = rowMetrics[rowOfChange[c]];
    if (keep) return;
    for (size_t f = 0; f < faults; ++f)
        for (size_t i = 0; i < size; ++i) out.sums[f] += scratch[f * size + i];
}

}  // namespace flipscope
