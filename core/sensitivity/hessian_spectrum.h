#pragma once
// Second-order information about the loss around the trained weights, from Hessian-vector
// products: the top-k eigenpairs by power iteration with deflation (FKeras's
// top_k_eigenvalues, reference 3.5), the Hutchinson trace per layer, and the Hessian diagonal
// (exact column by column for small parameter counts, Hutchinson's z * Hz estimate otherwise).
//
// The operator acts on a chosen list of parameters (a "parameter block": all trainable tensors of
// the faulted layers, kernels and biases, as FKeras does); vectors are flattened in that order.
#include "core/common/random.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace flipscope {

// y = H x for flattened vectors of size dimension(). Implementations must be deterministic.
class HessianOperator {
public:
    virtual ~HessianOperator() = default;
    virtual int64_t dimension() const = 0;
    virtual std::vector<double> apply(const std::vector<double>& x) const = 0;
};

// Progress of long second-order work: fraction in [0,1] and a short stage ("eigenvalue 3/8").
using SensitivityProgressFn = std::function<void(double fraction, const std::string& stage)>;

struct EigenOptions {
    int topK = 8;
    int maxIterations = 500;
    double tolerance = 1e-3;     // stop when |l_new - l_old| / (|l_old| + 1e-6) < tolerance
    uint64_t seed = 83158011;    // start vectors ~ U[0,1) from this seed
};

struct EigenResult {
    std::vector<double> eigenvalues;                // in the order found (largest magnitude first)
    std::vector<std::vector<double>> eigenvectors;  // unit vectors, dimension() each
    std::vector<int> iterations;                    // per eigenpair
    std::vector<bool> converged;                    // false: stopped at maxIterations
};

// Throws Cancelled when *cancel becomes true (checked between products).
EigenResult topEigenpairs(const HessianOperator& h, const EigenOptions& options, const std::atomic<bool>* cancel = nullptr,
                          const SensitivityProgressFn& progress = {});

struct TraceOptions {
    int maxSamples = 200;
    int minSamples = 10;
    double tolerance = 1e-2;  // stop when the running mean's relative change is below this
    uint64_t seed = 2023;
};

struct TraceResult {
    double trace = 0.0;
    double standardError = 0.0;  // of the mean over the Rademacher samples
    int samples = 0;
    // Per block: the trace of the diagonal block of each range [blockStart[i], blockStart[i+1]).
    std::vector<double> blockTraces;
    std::vector<double> blockStandardErrors;
};

// Hutchinson: mean of z.Hz over Rademacher z; blocks given by their start offsets (first = 0).
TraceResult hutchinsonTrace(const HessianOperator& h, const std::vector<int64_t>& blockStart, const TraceOptions& options,
                            const std::atomic<bool>* cancel = nullptr, const SensitivityProgressFn& progress = {});

struct DiagonalResult {
    std::vector<double> diagonal;
    bool exact = false;   // true: H e_i for every i; false: Hutchinson estimate
    int samples = 0;      // Hutchinson samples used (0 when exact)
};

// Exact when dimension() <= exactLimit, else the mean of z * Hz over `samples` Rademacher z.
DiagonalResult hessianDiagonal(const HessianOperator& h, int64_t exactLimit, int samples, uint64_t seed,
                               const std::atomic<bool>* cancel = nullptr, const SensitivityProgressFn& progress = {});

}  // namespace flipscope
