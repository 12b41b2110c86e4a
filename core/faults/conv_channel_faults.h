#pragma once
// Many single-bit faults in the weights of one Conv2D output channel (its kernel taps and bias),
// evaluated together, sample block by sample block, like dense_unit_faults.h for Dense units:
//   - the channel's clean pre-activation sums are computed once per sample and output position;
//     when the layer's double sums are exact (exact_dot.h) a faulty sum is the clean one minus
//     x*w plus x*w' at the positions whose receptive field reads the flipped tap, exactly the
//     number the reference's full sum gives; every other position keeps its clean value;
//   - faults leave a sample alone when the channel's values after its elementwise activations did
//     not change at any position;
//   - faults that give a sample the same channel values share one run of the downstream layers
//     and one metric evaluation.
// Each fault's per-sample metrics are added in sample order, as the reference's mean adds them,
// so results equal the reference engine's bit for bit.
#include "core/faults/downstream_pass.h"
#include "core/faults/exact_dot.h"
#include "core/faults/fault_group_sums.h"

#include <optional>
#include <span>

namespace flipscope {

class Conv2DLayer;

struct ConvChannelFault {
    int64_t tap = -1;      // the flipped kernel weight's (kernel row, kernel col, input channel) index; -1: the bias
    float faulty = 0.0f;   // the weight's value with the bit flipped
};

class ConvChannelFaults {
public:
    ConvChannelFaults(const std::vector<Layer*>& chain, const CleanCache& cache, const ModelEvaluator& evaluator,
                      const DownstreamPass& downstream);

    // True when chain layer `position` is a Conv2D layer whose activations are elementwise (the
    // faults of such a layer can be grouped by output channel).
    bool groupable(size_t position) const;

    // The metric of each fault of `channel` of chain layer `position` (groupable) on the samples
    // of out.range, into `out` (fault_group_sums.h); false when the layer's sums are not provably
    // exact (then evaluate the faults one by one; `out` may hold some metrics by then).
    bool evaluate(size_t position, int64_t channel, std::span<const ConvChannelFault> faults, const GroupMetrics& out,
                  const std::atomic<bool>* cancel);

private:
    const InputBounds& inputBounds(size_t position);
    void cleanSums(const Conv2DLayer& conv, const float* x, int64_t samples, int64_t channel);

    const std::vector<Layer*>& chain_;
    const CleanCache& cache_;
    const ModelEvaluator& evaluator_;
    const DownstreamPass& downstream_;
    std::vector<std::optional<InputBounds>> bounds_;  // per chain position, computed on first use

    // Scratch reused across blocks and calls.
    std::vector<double> cleanSums_;                   // [sample in block][position]
    std::vector<int64_t> tapInput_;                   // [tap][position]: input offset read, or -1
    std::vector<std::pair<uint64_t, int32_t>> keys_;  // (local sample << 32 | hash of values, fault)
};

}  // namespace flipscope
