#pragma once
// The last step of a group of faults evaluated together (dense_unit_faults.h,
// conv_channel_faults.h): each fault's per-sample metrics over one block of samples, added to the
// fault's running sum in sample order, as the reference's mean adds them.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace flipscope {

// cleanMetrics: the block's clean per-sample metrics. changes[c]: (block-local sample << 32 | any
// low bits, fault) for each fault that changed a sample, whose metric is rowMetrics[rowOfChange[c]];
// the other samples of each fault keep their clean metric. sums[f] gets fault f's metrics of the
// block added one by one in sample order. `scratch` is reused between calls.
void addBlockSums(std::span<const double> cleanMetrics, std::span<const std::pair<uint64_t, int32_t>> changes,
                  std::span<const int32_t> rowOfChange, std::span<const double> rowMetrics,
                  std::vector<double>& scratch, std::span<double> sums);

}  // namespace flipscope
