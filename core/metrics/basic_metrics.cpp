#include "core/metrics/basic_metrics.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace flipscope {

namespace {

// Rows in `outputs`, after checking that the sizes fit together.
int64_t rowCount(std::span<const float> outputs, int64_t dim, size_t targetValues, int64_t targetsPerRow,
                 const char* metric) {
    if (dim <= 0) throw InputError(std::string(metric) + ": row size must be positive, got " + std::to_string(dim));
    if (static_cast<int64_t>(outputs.size()) % dim != 0)
        throw InputError(std::string(metric) + ": " + std::to_string(outputs.size()) +
                         " output values are not whole rows of " + std::to_string(dim));
    const int64_t rows = static_cast<int64_t>(outputs.size()) / dim;
    if (static_cast<int64_t>(targetValues) != rows * targetsPerRow)
        throw InputError(std::string(metric) + ": " + std::to_string(rows) + " output rows but " +
                         std::to_string(targetValues) + " target values (expected " +
                         std::to_string(rows * targetsPerRow) + ")");
    return rows;
}

// Targets given as rows of dim values (one-hot or soft).
struct RowTargets {
    std::span<const float> values;
    int64_t dim;

    // sum_k target_k * f(k) for one row.
    template <typename F>
    double weightedSum(int64_t row, F f) const {
        double sum = 0.0;
        for (int64_t k = 0; k < dim; ++k) {
            const double t = values[row * dim + k];
            if (t != 0.0) sum += t * f(k);
        }
        return sum;
    }
    int64_t label(int64_t row) const {
        const auto begin = values.begin() + row * dim;
        return std::max_element(begin, begin + dim) - begin;
    }
};

// Targets given as one class index per row.
struct LabelTargets {
    std::span<const int64_t> labels;
    int64_t dim;

    template <typename F>
    double weightedSum(int64_t row, F f) const {
        return f(label(row));
    }
    int64_t label(int64_t row) const {
        const int64_t l = labels[row];
        if (l < 0 || l >= dim)
            throw InputError("label " + std::to_string(l) + " of row " + std::to_string(row) + " is not a class index in [0, " +
                             std::to_string(dim) + ")");
        return l;
    }
};

RowTargets targetsOf(std::span<const float> outputs, std::span<const float> targets, int64_t dim, const char* metric,
                     int64_t& rows) {
    rows = rowCount(outputs, dim, targets.size(), dim, metric);
    return {targets, dim};
}

LabelTargets targetsOf(std::span<const float> outputs, std::span<const int64_t> labels, int64_t dim,
                       const char* metric, int64_t& rows) {
    rows = rowCount(outputs, dim, labels.size(), 1, metric);
    return {labels, dim};
}

// First index of the largest value (numpy/TF arg-max).
int64_t argMax(std::span<const float> row) { return std::max_element(row.begin(), row.end()) - row.begin(); }

template <typename TargetSpan>
std::vector<double> crossEntropyImpl(std::span<const float> probabilities, TargetSpan targetSpan, int64_t dim) {
    int64_t rows = 0;
    const auto targets = targetsOf(probabilities, targetSpan, dim, "cross-entropy", rows);
    std::vector<double> result(rows);
    for (int64_t r = 0; r < rows; ++r) {
        const std::span<const float> row = probabilities.subspan(r * dim, dim);
        double sum = 0.0;
        for (float p : row) sum += p;
        auto logProbability = [&](int64_t k) {
            return std::log(std::clamp(row[k] / sum, kKerasEpsilon, 1.0 - kKerasEpsilon));
        };
        result[r] = -targets.weightedSum(r, logProbability);
    }
    return result;
}

template <typename TargetSpan>
std::vector<double> crossEntropyFromLogitsImpl(std::span<const float> logits, TargetSpan targetSpan, int64_t dim) {
    int64_t rows = 0;
    const auto targets = targetsOf(logits, targetSpan, dim, "cross-entropy from logits", rows);
    std::vector<double> result(rows);
    for (int64_t r = 0; r < rows; ++r) {
        const std::span<const float> row = logits.subspan(r * dim, dim);
        const double largest = row[argMax(row)];
        double expSum = 0.0;
        for (float z : row) expSum += std::exp(z - largest);
        const double logSumExp = largest + std::log(expSum);
        result[r] = -targets.weightedSum(r, [&](int64_t k) { return row[k] - logSumExp; });
    }
    return result;
}

template <typename TargetSpan>
std::vector<double> accuracyImpl(std::span<const float> outputs, TargetSpan targetSpan, int64_t dim) {
    int64_t rows = 0;
    const auto targets = targetsOf(outputs, targetSpan, dim, "accuracy", rows);
    std::vector<double> result(rows);
    for (int64_t r = 0; r < rows; ++r) result[r] = argMax(outputs.subspan(r * dim, dim)) == targets.label(r) ? 1.0 : 0.0;
    return result;
}

}  // namespace

std::vector<double> mseRows(std::span<const float> outputs, std::span<const float> targets, int64_t dim) {
    const int64_t rows = rowCount(outputs, dim, targets.size(), dim, "mse");
    std::vector<double> result(rows);
    for (int64_t r = 0; r < rows; ++r) {
        double sum = 0.0;
        for (int64_t k = r * dim; k < (r + 1) * dim; ++k) {
            const double d = static_cast<double>(outputs[k]) - targets[k];
            sum += d * d;
        }
        result[r] = sum / static_cast<double>(dim);
    }
    return result;
}

std::vector<double> crossEntropyRows(std::span<const float> probabilities, std::span<const float> targets, int64_t dim) {
    return crossEntropyImpl(probabilities, targets, dim);
}
std::vector<double> crossEntropyRows(std::span<const float> probabilities, std::span<const int64_t> labels, int64_t dim) {
    return crossEntropyImpl(probabilities, labels, dim);
}
std::vector<double> crossEntropyFromLogitsRows(std::span<const float> logits, std::span<const float> targets,
                                               int64_t dim) {
    return crossEntropyFromLogitsImpl(logits, targets, dim);
}
std::vector<double> crossEntropyFromLogitsRows(std::span<const float> logits, std::span<const int64_t> labels,
                                               int64_t dim) {
    return crossEntropyFromLogitsImpl(logits, labels, dim);
}
std::vector<double> accuracyRows(std::span<const float> outputs, std::span<const float> targets, int64_t dim) {
    return accuracyImpl(outputs, targets, dim);
}
std::vector<double> accuracyRows(std::span<const float> outputs, std::span<const int64_t> labels, int64_t dim) {
    return accuracyImpl(outputs, labels, dim);
}

double meanOf(std::span<const double> values) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    double sum = 0.0;
    for (double v : values) sum += v;
    return sum / static_cast<double>(values.size());
}

}  // namespace flipscope
