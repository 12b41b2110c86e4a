#pragma once
// What groups of faults evaluated together (dense_unit_faults.h, conv_channel_faults.h) share:
// bounded memory, and the last step, each fault's per-sample metrics over one block of samples
// added to the fault's running sum in sample order, as the reference's mean adds them.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace flipscope {

// The faulty rows of one block of samples take up to faults x samples x row bytes: a group keeps
// them under this, with smaller blocks of samples or in slices of its faults.
inline constexpr int64_t kGroupRowBudget = int64_t{16} << 20;

// The per-fault results of `faults` faults evaluated in consecutive slices of at most sliceSize
// (evaluateSlice(first, count)), concatenated; nullopt as soon as a slice gives none.
std::optional<std::vector<double>> inFaultSlices(
    int64_t faults, int64_t sliceSize,
    const std::function<std::optional<std::vector<double>>(int64_t first, int64_t count)>& evaluateSlice);

// cleanMetrics: the block's clean per-sample metrics. changes[c]: (block-local sample << 32 | any
// low bits, fault) for each fault that changed a sample, whose metric is rowMetrics[rowOfChange[c]];
// the other samples of each fault keep their clean metric. sums[f] gets fault f's metrics of the
// block added one by one in sample order. `scratch` is reused between calls.
void addBlockSums(std::span<const double> cleanMetrics, std::span<const std::pair<uint64_t, int32_t>> changes,
                  std::span<const int32_t> rowOfChange, std::span<const double> rowMetrics,
                  std::vector<double>& scratch, std::span<double> sums);

}  // namespace flipscope
