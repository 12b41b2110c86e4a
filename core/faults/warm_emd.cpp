#include "core/faults/warm_emd.h"

#include "core/common/error.h"
#include "core/common/parallel_chunks.h"
#include "core/metrics/econt_remap.h"

#include <algorithm>
#include <span>

namespace flipscope {
namespace {

// One row as the EMD metric sees it: 48 cells in CALQ order, from a 64-pixel image or as is
// (the same conversion as the metric registry's, so the solver gets the same doubles).
void rowCells(const float* row, int64_t width, std::vector<double>& cells) {
    cells.resize(kEcontCells);
    if (width == kEcontPixels) imageToCells(std::span<const float>(row, kEcontPixels), cells);
    else std::copy_n(row, kEcontCells, cells.begin());
}

}  // namespace

bool usesEcontEmd(const ModelEvaluator& evaluator, const Tensor& outputs) {
    const int64_t width = outputs.rowSize();
    return evaluator.metric() == "emd" && (width == kEcontPixels || width == kEcontCells) &&
           evaluator.inputs().rowSize() == width;
}

std::vector<EmdBasis> cleanEmdBases(const ModelEvaluator& evaluator, const Tensor& outputs, std::vector<double>& values,
                                    int threads) {
    std::vector<EmdBasis> bases;
    values.clear();
    if (!usesEcontEmd(evaluator, outputs)) return bases;
    const Geometry geometry = Geometry::econt();
    const int64_t width = outputs.rowSize(), n = outputs.dim(0);
    bases.resize(n);
    values.resize(n);
    // Blocks of samples on the threads, a solver each (a sample's solve does not depend on it).
    constexpr int64_t kBlock = 64;
    parallelChunks((n + kBlock - 1) / kBlock, threads, [&](int64_t block) {
        EmdSolver solver(geometry);
        std::vector<double> target, output;
        for (int64_t s = block * kBlock; s < std::min(n, (block + 1) * kBlock); ++s) {
            rowCells(evaluator.inputs().data() + s * width, width, target);
            rowCells(outputs.data() + s * width, width, output);
            values[s] = solver.solve(target, output, nullptr, &bases[s]);
        }
    });
    return bases;
}

WarmEmd::WarmEmd(const ModelEvaluator& evaluator, const std::vector<EmdBasis>& cleanBases, const Tensor& cleanOutputs)
    : evaluator_(evaluator), bases_(cleanBases), cleanOutputs_(cleanOutputs), geometry_(Geometry::econt()),
      solver_(geometry_) {}

std::vector<double> WarmEmd::perSample(const Tensor& outputs, const std::vector<int64_t>& samples,
                                       const std::vector<char>& continues) {
    const int64_t width = outputs.rowSize();
    std::vector<double> values(samples.size());
    for (size_t i = 0; i < samples.size(); ++i) {
        if (samples[i] != targetSample_) {
            const int64_t inputWidth = evaluator_.inputs().rowSize();
            rowCells(evaluator_.inputs().data() + samples[i] * inputWidth, inputWidth, target_);
            targetSample_ = samples[i];
        }
        rowCells(outputs.data() + static_cast<int64_t>(i) * width, width, output_);
        // A row that continues the one before starts from that row's optimum, which the solver
        // holds; the others from clean: the sample's clean optimum, solved once from its basis and
        // kept as the solver's anchor, serves all of that sample's rows that start from clean
        // (with the same senders and receivers its tree is reused as it stands).
        const bool chained = !continues.empty() && continues[i] && i > 0 && samples[i] == samples[i - 1];
        if (chained) {
            values[i] = solver_.solveAfterPrevious(target_, output_, nullptr);
            continue;
        }
        if (samples[i] != anchorSample_) {
            const int64_t cleanWidth = cleanOutputs_.rowSize();
            rowCells(cleanOutputs_.data() + samples[i] * cleanWidth, cleanWidth, cleanOutput_);
            solver_.solve(target_, cleanOutput_, &bases_[samples[i]], nullptr);
            solver_.setAnchor();
            anchorSample_ = samples[i];
        }
        values[i] = solver_.solveAfterAnchor(target_, output_);
    }
    return values;
}

}  // namespace flipscope
