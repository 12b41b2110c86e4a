#pragma once
// Warm-started EMD for the fast campaign engine. A fault usually moves a sample's output only a
// little, so the optimal transport plan of the clean output is nearly optimal for the faulty one:
// the solve starts from it (emd.h, EmdSolver::solve) and needs a few dual pivots at most. The
// clean plans are kept per sample in the clean cache. Faulty outputs of one sample that come one
// after another (the values a Dense unit's faults give it, outward from the clean value) start
// from the previous one's plan as the solver holds it (EmdSolver::solveAfterPrevious).
//
// Values equal the cold solve's, bit for bit: the solver minimizes cost and then a tie-break
// cost, so each problem has one optimal plan, and a warm result is kept only when that optimum
// is clearly unique (transportation_simplex.h); otherwise the solve starts cold. tst_emd checks
// warm against cold solves; bench_campaign and tst_fast_engine compare both campaign engines.
#include "core/faults/model_evaluator.h"
#include "core/metrics/emd.h"
#include "core/metrics/geometry.h"

#include <vector>

namespace flipscope {

// True when the evaluator's metric is the ECON-T EMD (rows of 48 cells or 8x8 images).
bool usesEcontEmd(const ModelEvaluator& evaluator, const Tensor& outputs);

// The optimal basis of each sample's clean EMD (outputs: the clean model outputs, one row per
// sample), and in `values` the EMDs themselves (the metric's own per-sample values: the same
// conversion and the same cold solve). Both empty unless usesEcontEmd.
std::vector<EmdBasis> cleanEmdBases(const ModelEvaluator& evaluator, const Tensor& outputs, std::vector<double>& values,
                                    int threads = 1);

// Per-sample EMD of faulty outputs from the clean bases. One per thread.
class WarmEmd {
public:
    // cleanOutputs: the clean model outputs, one row per sample (those the bases were solved for).
    WarmEmd(const ModelEvaluator& evaluator, const std::vector<EmdBasis>& cleanBases, const Tensor& cleanOutputs);
    // Row i of `outputs` is the faulty output of samples[i]: 64 pixels, or the 48 cells already
    // picked from them (downstream_pass.h). Rows flagged in `continues` (empty:
    // none) are close to the row before, of the same sample, and start from its plan; the others
    // start from their sample's clean plan.
    std::vector<double> perSample(const Tensor& outputs, const std::vector<int64_t>& samples,
                                  const std::vector<char>& continues);

private:
    const ModelEvaluator& evaluator_;
    const std::vector<EmdBasis>& bases_;
    const Tensor& cleanOutputs_;
    Geometry geometry_;
    EmdSolver solver_;
    std::vector<double> target_, output_, cleanOutput_;
    int64_t targetSample_ = -1;  // the sample whose input target_ holds (rows come sample by sample)
    int64_t anchorSample_ = -1;  // the sample whose clean optimum is the solver's anchor
};

}  // namespace flipscope
