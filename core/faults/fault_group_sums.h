#pragma once
// What groups of faults evaluated together (dense_unit_faults.h, conv_channel_faults.h) share:
// bounded memory, a range of samples to work on, and the last step, each fault's per-sample
// metrics over one block of samples added to the fault's running sum in sample order, as the
// reference's mean adds them, or kept per sample for a later part of the samples, which can only
// be added once the parts before it are (campaign work in parts, incremental_engine.h).
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

namespace flipscope {

// The faulty rows of one block of samples take up to faults x samples x row bytes: a group keeps
// them under this, with smaller blocks of samples or in slices of its faults.
inline constexpr int64_t kGroupRowBudget = int64_t{16} << 20;

// Samples [begin, end) of the dataset.
struct SampleRange {
    int64_t begin = 0, end = 0;
    int64_t size() const { return end - begin; }
};

// Where a group's per-fault metrics for a range of samples go: with `kept` empty, added to
// sums[f] one by one in sample order; else stored, kept[f * range size + (sample - range begin)].
struct GroupMetrics {
    SampleRange range;
    std::span<double> sums;
    std::span<double> kept;
    // The same for faults [first, first + count) of the group.
    GroupMetrics slice(int64_t first, int64_t count) const;
};

// Evaluates a group's `faults` faults in consecutive slices of at most sliceSize
// (evaluateSlice(first, count)); false as soon as a slice says false.
bool inFaultSlices(int64_t faults, int64_t sliceSize, const std::function<bool(int64_t first, int64_t count)>& evaluateSlice);

// cleanMetrics: the clean per-sample metrics of a block of samples starting at sample `first`
// (inside out.range). changes[c]: (block-local sample << 32 | any low bits, fault) for each fault
// that changed a sample, whose metric is rowMetrics[rowOfChange[c]]; the other samples of each
// fault keep their clean metric. Each fault's metrics of the block go to `out` in sample order.
// `scratch` is reused between calls.
void addBlockMetrics(int64_t first, std::span<const double> cleanMetrics,
                     std::span<const std::pair<uint64_t, int32_t>> changes, std::span<const int32_t> rowOfChange,
                     std::span<const double> rowMetrics, std::vector<double>& scratch, const GroupMetrics& out);

}  // namespace flipscope
