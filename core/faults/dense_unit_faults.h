#pragma once
// Many single-bit faults in the weights of one Dense output unit (its kernel column and bias),
// evaluated together, sample block by sample block:
//   - the unit's clean pre-activation sum is computed once per sample; when that layer's double
//     sums are exact (exact_dot.h) a faulty sum is the clean one minus x*w plus x*w', exactly the
//     number the reference's full sum gives, so a fault costs two products per sample instead of
//     a dot product;
//   - faults leave a sample alone when its input feeding the flipped weight is zero, or when the
//     unit's value after its elementwise activations (the quantized latent) did not change;
//   - the faults that moved a sample's unit to the same value share one run of the downstream
//     layers and one metric evaluation.
// Each fault's per-sample metrics are added in sample order, as the reference's mean adds them,
// so results equal the reference engine's bit for bit.
#include "core/faults/downstream_pass.h"
#include "core/faults/exact_dot.h"
#include "core/faults/fault_group_sums.h"

#include <optional>
#include <span>

namespace flipscope {

class DenseLayer;

struct DenseUnitFault {
    int64_t kernelRow = -1;  // the flipped kernel weight's input feature; -1: the bias
    float faulty = 0.0f;     // the weight's value with the bit flipped
};

class DenseUnitFaults {
public:
    DenseUnitFaults(const std::vector<Layer*>& chain, const CleanCache& cache, const ModelEvaluator& evaluator,
                    const DownstreamPass& downstream);

    // True when chain layer `position` is a Dense layer on flat rows whose unit activations are
    // elementwise (the faults of such a layer can be grouped by unit).
    bool groupable(size_t position) const;

    // The metric of each fault of `unit` of chain layer `position` (groupable) on the samples of
    // out.range, into `out` (fault_group_sums.h); false when the layer's sums are not provably
    // exact (then evaluate the faults one by one; `out` may hold some metrics by then).
    bool evaluate(size_t position, int64_t unit, std::span<const DenseUnitFault> faults, const GroupMetrics& out,
                  const std::atomic<bool>* cancel);

private:
    const InputBounds& inputBounds(size_t position);

    const std::vector<Layer*>& chain_;
    const CleanCache& cache_;
    const ModelEvaluator& evaluator_;
    const DownstreamPass& downstream_;
    std::vector<std::optional<InputBounds>> bounds_;  // per chain position, computed on first use

    // Scratch reused across blocks and calls (no allocation in the per-sample loops).
    std::vector<double> cleanSums_;
    std::vector<float> blockInputs_;  // one block's inputs, [input][sample]
    std::vector<double> blockMetrics_;
    std::vector<std::pair<uint64_t, int32_t>> changed_;  // (local sample << 32 | value bits in value order, fault)
    std::vector<uint64_t> sampleChanges_;                // one sample's changes: value bits << 32 | fault
    std::vector<uint64_t> sortScratch_;
};

}  // namespace flipscope
