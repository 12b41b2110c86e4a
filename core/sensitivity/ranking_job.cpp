#include "core/sensitivity/ranking_job.h"

#include "core/common/error.h"
#include "core/model/backward.h"
#include "core/model/input_fit.h"
#include "core/sensitivity/model_hessian.h"
#include "core/sensitivity/parameter_scores.h"
#include "core/sensitivity/ranking_loss.h"
#include "core/train/gradients.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace flipscope {

namespace {

void checkCancel(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) throw Cancelled();
}

// Reports a sub-task's progress as the part [from, to] of the whole.
SensitivityProgressFn part(const SensitivityProgressFn& progress, double from, double to) {
    if (!progress) return {};
    return [=](double fraction, const std::string& stage) { progress(from + (to - from) * fraction, stage); };
}

}  // namespace

const std::vector<std::string>& rankingMethods() {
    static const std::vector<std::string> methods{"random", "msb", "gradient", "hessian", "taylor", "bit-taylor"};
    return methods;
}

bool rankingNeedsData(const std::string& method) { return method != "random" && method != "msb"; }

// The data, the loss and the parameter bookkeeping; built only when a method needs data.
struct RankingJob::Impl {
    Tensor inputs;
    RankingLoss loss;
    std::vector<ParameterRef> parameters;  // modelParameters() of the model
    std::vector<int> spaceParameters;      // per bit-space tensor: its index in `parameters`
    std::vector<int> hessianParameters;    // trainable tensors of the faulted layers (and the bit space)
    std::vector<int64_t> layerBlockStart;  // offsets of each faulted layer in the Hessian vectors
    std::vector<std::string> layerPaths;   // the faulted layers, in order
    std::optional<std::vector<Tensor>> gradients;  // per `parameters` entry, computed once
    int threads = 0;

    std::vector<const Tensor*> spaceGradients() const {
        std::vector<const Tensor*> out;
        for (int p : spaceParameters) out.push_back(&(*gradients)[p]);
        return out;
    }
    std::vector<const Tensor*> spaceTensors(Tensor LayerParameter::*which) const {
        std::vector<const Tensor*> out;
        for (int p : spaceParameters) out.push_back(&(parameters[p].parameter->*which));
        return out;
    }
};

RankingJob::~RankingJob() = default;

RankingJob::RankingJob(const RankingSetup& setup) : setup_(setup) {
    const auto& methods = rankingMethods();
    if (std::find(methods.begin(), methods.end(), setup.method) == methods.end())
        throw InputError("unknown ranking method '" + setup.method +
                         "' (available: random, msb, gradient, hessian, taylor, bit-taylor)");
    ModelLoadOptions loadOptions;
    loadOptions.configPath = setup.configPath;
    loaded_ = loadKerasModel(setup.modelPath, loadOptions);
    space_ = BitSpace(*loaded_.model, setup.filter);
    if (setup.dataSpec.empty()) {
        if (rankingNeedsData(setup.method))
            throw InputError("the " + setup.method + " ranking needs data (--data) to compute the loss");
        return;
    }
    impl_ = std::make_unique<Impl>();
    impl_->threads = setup.threads;
    impl_->inputs = fitToModelInput(loadDataset(setup.dataSpec, setup.dataOptions),
                                    loaded_.model->modelInputShapes().at(0), setup.dataSpec);
    if (impl_->inputs.dim(0) == 0) throw InputError(setup.dataSpec + ": the dataset has no samples");
    std::vector<int64_t> labels;
    if (!setup.labelsSpec.empty()) labels = loadLabels(setup.labelsSpec, setup.dataOptions.limit);
    impl_->loss = chooseRankingLoss(*loaded_.model, setup.loss, impl_->inputs, labels, setup.dataSpec);
    lossName_ = impl_->loss.name;

    impl_->parameters = modelParameters(*loaded_.model);
    std::set<std::string> faultedLayers;
    for (const BitSpaceTensor& t : space_.tensors()) {
        faultedLayers.insert(t.layerPath);
        const std::string path = t.layerPath + "/" + t.tensor;
        const auto it = std::find_if(impl_->parameters.begin(), impl_->parameters.end(),
                                     [&](const ParameterRef& p) { return p.path == path; });
        if (it == impl_->parameters.end()) throw InputError("no gradient is computed for " + path);
        impl_->spaceParameters.push_back(static_cast<int>(it - impl_->parameters.begin()));
    }
    int64_t offset = 0;
    for (size_t i = 0; i < impl_->parameters.size(); ++i) {
        const ParameterRef& p = impl_->parameters[i];
        const std::string layerPath = p.path.substr(0, p.path.rfind('/'));
        const bool inSpace = std::count(impl_->spaceParameters.begin(), impl_->spaceParameters.end(), int(i)) > 0;
        if (!faultedLayers.count(layerPath) || !(p.parameter->trainable || inSpace)) continue;
        if (impl_->layerPaths.empty() || impl_->layerPaths.back() != layerPath) {
            impl_->layerPaths.push_back(layerPath);
            impl_->layerBlockStart.push_back(offset);
        }
        impl_->hessianParameters.push_back(static_cast<int>(i));
        offset += p.parameter->effective.size();
    }
}

int64_t RankingJob::samples() const { return impl_ ? impl_->inputs.dim(0) : 0; }

RankingJob::Impl& RankingJob::data(const char* what) const {
    if (!impl_) throw InputError(std::string(what) + " needs data (--data)");
    return *impl_;
}

std::vector<ParameterGradient> RankingJob::gradients() const {
    Impl& impl = data("the loss gradient");
    if (!impl.gradients) {
        BackwardOptions options;
        options.threads = impl.threads;
        impl.gradients = lossGradients(*loaded_.model, impl.inputs, *impl.loss.loss, impl.loss.target, options).parameters;
    }
    std::vector<ParameterGradient> out;
    out.reserve(static_cast<size_t>(std::max<int64_t>(0, space_.size())));
    for (size_t t = 0; t < impl.spaceParameters.size(); ++t) {
        const ParameterRef& p = impl.parameters[impl.spaceParameters[t]];
        const Tensor& g = (*impl.gradients)[impl.spaceParameters[t]];
        for (int64_t i = 0; i < g.size(); ++i)
            out.push_back({static_cast<int>(t), i, double(p.parameter->effective[i]), double(g[i])});
    }
    return out;
}

EigenResult RankingJob::eigenpairs(const std::atomic<bool>* cancel, const SensitivityProgressFn& progress) {
    Impl& impl = data("the Hessian");
    const ModelHessianOperator h(*loaded_.model, impl.inputs, *impl.loss.loss, impl.loss.target, impl.hessianParameters);
    return topEigenpairs(h, setup_.eigen, cancel, progress);
}

std::vector<std::pair<std::string, TraceResult>> RankingJob::layerTraces(const TraceOptions& options,
                                                                         const std::atomic<bool>* cancel,
                                                                         const SensitivityProgressFn& progress) {
    Impl& impl = data("the Hessian trace");
    const ModelHessianOperator h(*loaded_.model, impl.inputs, *impl.loss.loss, impl.loss.target, impl.hessianParameters);
    // One Hutchinson run gives every layer's block: z_B . (Hz)_B estimates the trace of block B.
    const TraceResult all = hutchinsonTrace(h, impl.layerBlockStart, options, cancel, progress);
    std::vector<std::pair<std::string, TraceResult>> traces;
    for (size_t b = 0; b < impl.layerPaths.size(); ++b) {
        TraceResult layer;
        layer.trace = all.blockTraces[b];
        layer.standardError = all.blockStandardErrors[b];
        layer.samples = all.samples;
        traces.emplace_back(impl.layerPaths[b], layer);
    }
    return traces;
}

BitRanking RankingJob::run(const std::atomic<bool>* cancel, const SensitivityProgressFn& progress) {
    const std::string& method = setup_.method;
    if (method == "random") return randomRanking(space_, setup_.seed);
    if (method == "msb") return msbRanking(space_);
    Impl& impl = data("this ranking");
    checkCancel(cancel);

    if (method == "hessian") {
        const EigenResult eigen = eigenpairs(cancel, progress);
        for (size_t i = 0; i < eigen.eigenvalues.size(); ++i)
            if (!eigen.converged[i])
                spdlog::warn("Hessian eigenvalue {} did not converge in {} iterations (last estimate {:.6g})", i + 1,
                             eigen.iterations[i], eigen.eigenvalues[i]);
        const ModelHessianOperator h(*loaded_.model, impl.inputs, *impl.loss.loss, impl.loss.target,
                                     impl.hessianParameters);
        std::vector<int64_t> offsets;
        for (int p : impl.spaceParameters) {
            const auto at = std::find(impl.hessianParameters.begin(), impl.hessianParameters.end(), p);
            offsets.push_back(h.offsetOf(static_cast<size_t>(at - impl.hessianParameters.begin())));
        }
        // FKeras scores against the float (stored) weights, not the quantized ones.
        return bitRankingFromParameterScores(method, space_,
                                             hessianSumScores(eigen, offsets, impl.spaceTensors(&LayerParameter::stored)));
    }

    if (progress) progress(0.0, "gradients");
    gradients();
    checkCancel(cancel);
    if (method == "gradient") return bitRankingFromParameterScores(method, space_, gradientScores(impl.spaceGradients()));
    if (method == "taylor")
        return bitRankingFromParameterScores(
            method, space_, taylorScores(impl.spaceGradients(), impl.spaceTensors(&LayerParameter::effective)));

    // bit-taylor: the Hessian diagonal of the bit-space parameters only.
    const ModelHessianOperator h(*loaded_.model, impl.inputs, *impl.loss.loss, impl.loss.target, impl.spaceParameters);
    const DiagonalResult diagonal = hessianDiagonal(h, setup_.exactDiagonalLimit, setup_.diagonalSamples, setup_.seed,
                                                    cancel, part(progress, 0.05, 1.0));
    spdlog::info("Hessian diagonal of {} parameters: {}", h.dimension(),
                 diagonal.exact ? std::string("exact") : "Hutchinson, " + std::to_string(diagonal.samples) + " samples");
    std::vector<const LayerParameter*> parameters;
    for (int p : impl.spaceParameters) parameters.push_back(impl.parameters[p].parameter);
    return bitRankingFromBitScores(method, bitTaylorScores(space_, parameters, impl.spaceGradients(), diagonal.diagonal));
}

}  // namespace flipscope
