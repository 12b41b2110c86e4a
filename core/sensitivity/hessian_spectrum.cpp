#include "core/sensitivity/hessian_spectrum.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace flipscope {

namespace {

void checkCancel(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) throw Cancelled();
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

// Scales v to unit length (exactly, unlike FKeras's norm + 1e-6, which biases every eigenvalue
// by -2e-6 relative); a zero vector (v in the span of the eigenvectors found) stays zero.
void normalize(std::vector<double>& v) {
    const double n = std::sqrt(dot(v, v));
    if (n > 0) for (double& x : v) x /= n;
}

// Removes the components along the (unit) eigenvectors found so far.
void orthogonalize(std::vector<double>& v, const std::vector<std::vector<double>>& basis) {
    for (const auto& u : basis) {
        const double c = dot(v, u);
        for (size_t i = 0; i < v.size(); ++i) v[i] -= c * u[i];
    }
}

std::vector<double> applyChecked(const HessianOperator& h, const std::vector<double>& x) {
    std::vector<double> y = h.apply(x);
    if (y.size() != x.size())
        throw InputError("Hessian operator returned " + std::to_string(y.size()) + " values for a vector of " +
                         std::to_string(x.size()));
    return y;
}

std::vector<double> rademacher(SplitMix64& rng, int64_t n) {
    std::vector<double> z(static_cast<size_t>(n));
    for (double& x : z) x = (rng.next() >> 63) ? 1.0 : -1.0;
    return z;
}

void requireDimension(const HessianOperator& h, const char* what) {
    if (h.dimension() <= 0) throw InputError(std::string(what) + ": the Hessian operator has no parameters");
}

// Running mean and standard error of the mean (Welford).
struct RunningMean {
    int64_t n = 0;
    double mean = 0.0, m2 = 0.0;
    void add(double x) {
        ++n;
        const double d = x - mean;
        mean += d / static_cast<double>(n);
        m2 += d * (x - mean);
    }
    double standardError() const { return n > 1 ? std::sqrt(m2 / static_cast<double>(n - 1) / static_cast<double>(n)) : 0.0; }
};

}  // namespace

EigenResult topEigenpairs(const HessianOperator& h, const EigenOptions& options, const std::atomic<bool>* cancel,
                          const SensitivityProgressFn& progress) {
    requireDimension(h, "eigenvalues");
    if (options.topK <= 0 || options.maxIterations <= 0)
        throw InputError("eigenvalues: top-k and the iteration cap must be positive");
    const int64_t n = h.dimension();
    const int k = static_cast<int>(std::min<int64_t>(options.topK, n));
    SplitMix64 rng(options.seed);
    EigenResult result;
    for (int i = 0; i < k; ++i) {
        const std::string stage = "eigenvalue " + std::to_string(i + 1) + "/" + std::to_string(k);
        std::vector<double> v(static_cast<size_t>(n));
        for (double& x : v) x = rng.uniform();
        normalize(v);
        double eigenvalue = 0.0;
        int iteration = 0;
        bool converged = false;
        while (iteration < options.maxIterations && !converged) {
            checkCancel(cancel);
            orthogonalize(v, result.eigenvectors);
            normalize(v);
            std::vector<double> hv = applyChecked(h, v);
            const double next = dot(v, hv);
            // The first estimate has nothing to compare with.
            converged = iteration > 0 &&
                        std::fabs(next - eigenvalue) / (std::fabs(eigenvalue) + 1e-6) < options.tolerance;
            eigenvalue = next;
            v = std::move(hv);
            normalize(v);
            ++iteration;
            if (progress)
                progress((i + static_cast<double>(iteration) / options.maxIterations) / k, stage);
        }
        orthogonalize(v, result.eigenvectors);
        normalize(v);
        result.eigenvalues.push_back(eigenvalue);
        result.eigenvectors.push_back(std::move(v));
        result.iterations.push_back(iteration);
        result.converged.push_back(converged);
        if (progress) progress(static_cast<double>(i + 1) / k, stage);
    }
    return result;
}

TraceResult hutchinsonTrace(const HessianOperator& h, const std::vector<int64_t>& blockStart, const TraceOptions& options,
                            const std::atomic<bool>* cancel, const SensitivityProgressFn& progress) {
    requireDimension(h, "Hessian trace");
    const int64_t n = h.dimension();
    if (blockStart.empty() || blockStart.front() != 0 || !std::is_sorted(blockStart.begin(), blockStart.end()) ||
        blockStart.back() > n)
        throw InputError("Hessian trace: blocks must start at 0 and be increasing offsets below " + std::to_string(n));
    if (options.maxSamples < 1 || options.minSamples < 1)
        throw InputError("Hessian trace: the sample counts must be positive");
    const size_t blocks = blockStart.size();
    std::vector<RunningMean> perBlock(blocks);
    RunningMean total;
    SplitMix64 rng(options.seed);
    for (int s = 0; s < options.maxSamples; ++s) {
        checkCancel(cancel);
        const std::vector<double> z = rademacher(rng, n);
        const std::vector<double> hz = applyChecked(h, z);
        double sum = 0.0;
        for (size_t b = 0; b < blocks; ++b) {
            const int64_t end = b + 1 < blocks ? blockStart[b + 1] : n;
            double part = 0.0;
            for (int64_t i = blockStart[b]; i < end; ++i) part += z[i] * hz[i];
            perBlock[b].add(part);
            sum += part;
        }
        const double before = total.mean;
        total.add(sum);
        if (progress) progress(static_cast<double>(s + 1) / options.maxSamples, "trace sample " + std::to_string(s + 1));
        // FKeras's stopping rule: the running mean has settled.
        if (total.n >= options.minSamples && std::fabs(total.mean - before) / (std::fabs(before) + 1e-6) < options.tolerance)
            break;
    }
    TraceResult result;
    result.trace = total.mean;
    result.standardError = total.standardError();
    result.samples = static_cast<int>(total.n);
    for (const RunningMean& b : perBlock) {
        result.blockTraces.push_back(b.mean);
        result.blockStandardErrors.push_back(b.standardError());
    }
    return result;
}

DiagonalResult hessianDiagonal(const HessianOperator& h, int64_t exactLimit, int samples, uint64_t seed,
                               const std::atomic<bool>* cancel, const SensitivityProgressFn& progress) {
    requireDimension(h, "Hessian diagonal");
    const int64_t n = h.dimension();
    DiagonalResult result;
    result.diagonal.assign(static_cast<size_t>(n), 0.0);
    if (n <= exactLimit) {
        result.exact = true;
        std::vector<double> e(static_cast<size_t>(n), 0.0);
        for (int64_t i = 0; i < n; ++i) {
            checkCancel(cancel);
            e[i] = 1.0;
            result.diagonal[i] = applyChecked(h, e)[i];
            e[i] = 0.0;
            if (progress) progress(static_cast<double>(i + 1) / n, "Hessian diagonal (exact)");
        }
        return result;
    }
    if (samples < 1) throw InputError("Hessian diagonal: the Hutchinson sample count must be positive");
    SplitMix64 rng(seed);
    for (int s = 0; s < samples; ++s) {
        checkCancel(cancel);
        const std::vector<double> z = rademacher(rng, n);
        const std::vector<double> hz = applyChecked(h, z);
        for (int64_t i = 0; i < n; ++i) result.diagonal[i] += z[i] * hz[i] / samples;
        if (progress) progress(static_cast<double>(s + 1) / samples, "Hessian diagonal (Hutchinson)");
    }
    result.samples = samples;
    return result;
}

}  // namespace flipscope
