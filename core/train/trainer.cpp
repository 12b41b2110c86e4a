#include "core/train/trainer.h"

#include "core/common/error.h"
#include "core/train/gradients.h"

#include <chrono>
#include <limits>
#include <numeric>
#include <random>

namespace flipscope {
namespace {

// Fisher-Yates with a plain modulo draw: the same permutation from every standard library.
void shuffle(std::vector<int64_t>& v, std::mt19937_64& rng) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

struct Trainable {
    std::vector<size_t> index;  // into modelParameters() / the gradient list
    std::vector<Tensor*> weights;
};

Trainable trainableParameters(const std::vector<ParameterRef>& params) {
    Trainable t;
    for (size_t i = 0; i < params.size(); ++i)
        if (params[i].parameter->trainable) {
            t.index.push_back(i);
            t.weights.push_back(&params[i].parameter->stored);
        }
    return t;
}

}  // namespace

Tensor gatherRows(const Tensor& t, const std::vector<int64_t>& indices, size_t begin, size_t end) {
    Shape shape = t.shape();
    shape[0] = static_cast<int64_t>(end - begin);
    Tensor out(shape);
    const int64_t row = t.rowSize();
    for (size_t i = begin; i < end; ++i) std::copy_n(t.data() + indices[i] * row, row, out.data() + (i - begin) * row);
    return out;
}

TrainResult train(Model& model, const Tensor& x, const Tensor& target, const Loss& loss, const TrainOptions& options,
                  const TrainProgress& progress, const std::atomic<bool>* cancel) {
    const int64_t n = x.rank() ? x.dim(0) : 0;
    if (target.rank() == 0 || target.dim(0) != n)
        throw InputError(std::to_string(n) + " training samples but the targets have shape " +
                         shapeToString(target.shape()));
    if (options.validationSplit < 0.0 || options.validationSplit >= 1.0)
        throw InputError("validation split must be in [0, 1)");
    if (options.batchSize <= 0 || options.epochs < 0) throw InputError("batch size and epochs must be positive");
    const int64_t validation = static_cast<int64_t>(static_cast<double>(n) * options.validationSplit);
    const int64_t training = n - validation;
    if (training <= 0) throw InputError("no training samples left after the validation split");

    std::vector<int64_t> order(training);
    std::iota(order.begin(), order.end(), 0);
    std::vector<int64_t> held(validation);
    std::iota(held.begin(), held.end(), training);
    const Tensor xVal = gatherRows(x, held, 0, held.size());
    const Tensor tVal = gatherRows(target, held, 0, held.size());

    const std::vector<ParameterRef> params = modelParameters(model);
    const Trainable trainable = trainableParameters(params);
    Adam adam(options.adam);
    std::mt19937_64 rng(options.seed);
    const BackwardOptions backwardOptions{options.threads, false};

    TrainResult result;
    double best = std::numeric_limits<double>::infinity();
    std::vector<Tensor> bestWeights;
    int sinceBest = 0;
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
        const auto start = std::chrono::steady_clock::now();
        shuffle(order, rng);
        double lossSum = 0.0;
        for (int64_t begin = 0; begin < training; begin += options.batchSize) {
            if (cancel && cancel->load()) {
                result.cancelled = true;
                break;
            }
            const int64_t end = std::min(training, begin + options.batchSize);
            const Tensor xb = gatherRows(x, order, begin, end);
            const Tensor tb = gatherRows(target, order, begin, end);
            const Gradients g = lossGradients(model, xb, loss, tb, backwardOptions);
            lossSum += g.loss * static_cast<double>(end - begin);
            std::vector<const Tensor*> grads;
            for (size_t i : trainable.index) grads.push_back(&g.parameters[i]);
            adam.step(trainable.weights, grads);
            model.prepare();
        }
        if (result.cancelled) break;
        EpochReport report;
        report.epoch = epoch;
        report.epochs = options.epochs;
        report.loss = lossSum / static_cast<double>(training);
        if (validation > 0) report.validationLoss = loss.mean(model.predict(xVal, options.threads), tVal);
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        result.history.push_back(report);
        if (progress) progress(report);

        const double monitored = report.validationLoss.value_or(report.loss);
        if (monitored < best) {
            best = monitored;
            result.bestEpoch = epoch;
            sinceBest = 0;
            if (options.restoreBestWeights) {
                bestWeights.clear();
                for (const Tensor* w : trainable.weights) bestWeights.push_back(*w);
            }
        } else if (options.patience > 0 && ++sinceBest >= options.patience) {
            result.stoppedEarly = true;
            break;
        }
    }
    const int last = result.history.empty() ? 0 : result.history.back().epoch;
    if (options.restoreBestWeights && !bestWeights.empty() && (result.bestEpoch != last || result.cancelled)) {
        for (size_t i = 0; i < bestWeights.size(); ++i) *trainable.weights[i] = bestWeights[i];
        model.prepare();
    } else {
        result.bestEpoch = last;
    }
    return result;
}

}  // namespace flipscope
