#pragma once
// Warm-started EMD for the fast campaign engine. A fault usually moves a sample's output only a
// little, so the optimal transport plan of the clean output is usually still optimal for the
// faulty one: the same cells send and receive and the clean basis ships the new amounts with no
// negative flow. Then the solve takes no pivot (emd.h, EmdSolver::solve). The clean bases are
// kept per sample in the clean cache.
//
// Values: a warm solve returns what a cold solve returns whenever both end at the same optimal
// basis, bit for bit. When the optimum is not unique (ties in the hexagonal geometry's distances
// can leave several optimal plans), they may end at different optimal bases whose totals differ
// only by rounding: the solver's optimality tolerance bounds the gap (kCostTolerance in emd.cpp),
// and in practice it is a few units in the last place. bench_campaign and tst_fast_engine compare
// both engines and report the largest difference.
#include "core/faults/model_evaluator.h"
#include "core/metrics/emd.h"
#include "core/metrics/geometry.h"

#include <vector>

namespace flipscope {

// True when the evaluator's metric is the ECON-T EMD (rows of 48 cells or 8x8 images).
bool usesEcontEmd(const ModelEvaluator& evaluator, const Tensor& outputs);

// The optimal basis of each sample's clean EMD (outputs: the clean model outputs, one row per
// sample). Empty unless usesEcontEmd.
std::vector<EmdBasis> cleanEmdBases(const ModelEvaluator& evaluator, const Tensor& outputs);

// Per-sample EMD of faulty outputs from the clean bases. One per thread.
class WarmEmd {
public:
    WarmEmd(const ModelEvaluator& evaluator, const std::vector<EmdBasis>& cleanBases);
    // Row i of `outputs` is the faulty output of samples[i].
    std::vector<double> perSample(const Tensor& outputs, const std::vector<int64_t>& samples);
    int64_t warmSolves() const { return warm_; }
    int64_t coldSolves() const { return cold_; }

private:
    const ModelEvaluator& evaluator_;
    const std::vector<EmdBasis>& bases_;
    Geometry geometry_;
    EmdSolver solver_;
    std::vector<double> target_, output_;
    int64_t warm_ = 0, cold_ = 0;
};

}  // namespace flipscope
