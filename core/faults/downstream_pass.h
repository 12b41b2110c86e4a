#pragma once
// The tail of the fast campaign engine: activations of some chain layer that a fault changed, for
// a list of samples, run through the remaining layers to the per-sample metric. After every
// activation layer (where quantizers sit) rows that are back to their clean values are dropped:
// their metric is the clean one. The ECON-T EMD starts from each sample's clean optimal plan
// (warm_emd.h), and as it reads only the 48 cell pixels of the decoder's 8x8 image, the rows are cut
// to those cells after the last layer that mixes values (whose packed form then computes only
// them); the elementwise activations after it run on the cells alone. A sample may appear in
// several rows (one per distinct faulty activation), so callers can share the tail across many
// faults.
#include "core/faults/model_evaluator.h"
#include "core/faults/packed_conv_transpose.h"
#include "core/faults/packed_dense.h"
#include "core/faults/packed_run.h"
#include "core/faults/warm_emd.h"

#include <atomic>
#include <memory>
#include <span>
#include <vector>

namespace flipscope {

struct CleanCache;

class DownstreamPass {
public:
    DownstreamPass(const std::vector<Layer*>& chain, const CleanCache& cache, const ModelEvaluator& evaluator);

    // `rows` holds the output of chain layer `after` for samples[i] in row i (shape [rows, ...]);
    // taken over (up to one chunk of rows is worked on in place). Writes each row's metric to
    // metrics[i]. Works in chunks of ModelEvaluator::kChunk rows and checks `cancel` between them.
    // `continues` (empty, or one flag per row): row i is close to row i - 1, of the same sample (a
    // Dense unit's faulty values in order), so its metric may start from that row's (warm_emd.h).
    void run(size_t after, Tensor rows, const std::vector<int64_t>& samples, std::span<double> metrics,
             const std::atomic<bool>* cancel, const std::vector<char>& continues = {}) const;

private:
    void listPackedRuns();
    void planCellTail();
    void afterLayer(size_t l, Tensor& batch, std::vector<int64_t>& samples, std::vector<int64_t>& rowIds,
                    std::vector<char>& continues, std::span<double> metrics, bool& cut) const;
    void runChunk(size_t after, Tensor batch, std::vector<int64_t> samples, std::vector<int64_t> rowIds,
                  std::vector<char> continues, std::span<double> metrics) const;

    const std::vector<Layer*>& chain_;
    const CleanCache& cache_;
    const ModelEvaluator& evaluator_;
    // Faster forwards with the same arithmetic (sample_lanes.h), per chain position, or null.
    std::vector<std::unique_ptr<PackedConvTranspose>> packedTranspose_;
    std::vector<std::unique_ptr<PackedDense>> packedDense_;
    // Per chain position: a run of two or more packed layers (reshapes between them allowed) that
    // starts there and stays in the SIMD lanes (packed_run.h), or null; runLast_ its last layer.
    std::vector<std::unique_ptr<PackedRun>> packedRuns_;
    std::vector<size_t> runLast_;
    // Per chain position where a packed run opens with a Dense layer: its sums for rows that moved
    // one input from clean (dense_delta_sums.h; lazily filled per sample, hence mutable).
    std::vector<std::unique_ptr<DenseDeltaSums>> denseDeltas_;
    // The metric from the clean samples' EMD bases when the cache has them (this object belongs
    // to one worker thread, so the solver's scratch may change in const calls).
    mutable std::unique_ptr<WarmEmd> warmEmd_;
    // A packed layer's output buffer, swapped with the batch, so that buffers are reused.
    mutable Tensor scratch_;
    // With the ECON-T EMD: the chain position after which rows are cut to the 48 cells (none:
    // chain size), and per activation layer after it the clean outputs cut likewise.
    size_t cellsAfter_ = 0;
    std::vector<Tensor> cleanCells_;
};

}  // namespace flipscope
