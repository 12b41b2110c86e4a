#pragma once
// A ranking from files, like a campaign job (core/faults/campaign_job.h): loads the model and the
// data, chooses the loss and its targets, builds the bit space and computes one method's bit
// ranking, cancellable and with progress. The CLI's rank/gradient/hessian commands and the GUI's
// rankings panel all go through this.
//   random      seeded permutation                 msb         MSB -> LSB
//   gradient    |dL/dw| per parameter              taylor      (g w)^2 per parameter
//   hessian     FKeras "sum" score from the top-k eigenpairs of the Hessian
//   bit-taylor  per bit |g d + 0.5 H_ii d^2|, d = flipped value - value (ours)
// Parameter scores use the quantized (effective) weight values; gradients are w.r.t. the stored
// weights through QKeras's straight-through estimator (core/model/backward.h).
#include "core/io/dataset.h"
#include "core/io/keras_h5_loader.h"
#include "core/model/tensor.h"
#include "core/sensitivity/bit_ranking.h"
#include "core/sensitivity/hessian_spectrum.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flipscope {

const std::vector<std::string>& rankingMethods();
bool rankingNeedsData(const std::string& method);  // false for random and msb

struct RankingSetup {
    std::string modelPath;
    std::optional<std::string> configPath;
    std::string dataSpec;          // may be empty for random and msb
    DatasetOptions dataOptions;    // the study uses 512 inputs (limit = 512 by default in the CLI)
    std::string labelsSpec;        // classifiers: targets are one-hot labels
    std::string loss;              // mse|telescope|ce; empty = telescope for 8x8x1 autoencoders,
                                   // ce with labels, else mse against the input
    BitSpaceFilter filter;
    std::string method = "gradient";
    uint64_t seed = 7654;
    EigenOptions eigen;            // hessian
    int64_t exactDiagonalLimit = 4096;  // bit-taylor: exact Hessian diagonal up to this many params
    int diagonalSamples = 64;           // bit-taylor: Hutchinson samples above it
    int threads = 0;
};

// One parameter's value and loss gradient, for `flipscope-cli gradient`.
struct ParameterGradient {
    int tensor = 0;       // into bitSpace().tensors()
    int64_t index = 0;
    double value = 0.0;   // quantized (effective) weight
    double gradient = 0.0;
};

class RankingJob {
public:
    // Everything that can fail on bad input fails here.
    explicit RankingJob(const RankingSetup& setup);
    ~RankingJob();

    const BitSpace& bitSpace() const { return space_; }
    const Model& model() const { return *loaded_.model; }
    const std::string& lossName() const { return lossName_; }
    int64_t samples() const;

    // Throws Cancelled when *cancel becomes true.
    BitRanking run(const std::atomic<bool>* cancel = nullptr, const SensitivityProgressFn& progress = {});

    std::vector<ParameterGradient> gradients() const;
    EigenResult eigenpairs(const std::atomic<bool>* cancel = nullptr, const SensitivityProgressFn& progress = {});
    // Per faulted layer (the Hessian operator's blocks): layer path and the Hutchinson estimate of
    // its diagonal block's trace (trace, standardError, samples; one run of products for all layers).
    std::vector<std::pair<std::string, TraceResult>> layerTraces(const TraceOptions& options,
                                                                  const std::atomic<bool>* cancel = nullptr,
                                                                  const SensitivityProgressFn& progress = {});

private:
    struct Impl;
    // The data-driven part; throws InputError naming `what` when the job was built without data.
    Impl& data(const char* what) const;

    std::unique_ptr<Impl> impl_;
    RankingSetup setup_;
    LoadedModel loaded_;
    BitSpace space_;
    std::string lossName_;
};

}  // namespace flipscope
