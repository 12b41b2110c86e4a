#include "core/faults/campaign_job.h"

#include "core/common/error.h"
#include "core/common/file_hash.h"
#include "core/faults/incremental_engine.h"
#include "core/model/input_fit.h"

#include <spdlog/spdlog.h>

namespace flipscope {

nlohmann::json bitSpaceJson(const BitSpace& space) {
    nlohmann::json tensors = nlohmann::json::array();
    for (const BitSpaceTensor& t : space.tensors())
        tensors.push_back({{"layer", t.layerPath}, {"tensor", t.tensor}, {"params", t.params},
                           {"bit_width", t.bitWidth}, {"units", t.units}, {"bits", t.bits}, {"offset", t.offset},
                           {"size", t.size()}});
    return tensors;
}

namespace {

// The faults already in a results file must be the plan's first ones, in its order (a file from a
// version that planned in another order would otherwise be continued with other faults).
void checkPlannedPrefix(const std::string& path, const std::vector<PlannedFault>& plan, const BitSpace& space) {
    const CampaignResults existing = readCampaignResults(path);
    if (existing.faults.size() > plan.size())
        throw InputError(path + ": cannot resume: the file holds " + std::to_string(existing.faults.size()) +
                         " results, the plan only " + std::to_string(plan.size()) + " faults");
    for (size_t i = 0; i < existing.faults.size(); ++i) {
        const FaultResult& r = existing.faults[i];
        const PlannedFault& f = plan[i];
        const bool same = r.faultIndex == static_cast<int64_t>(i) && r.globalBit == f.globalBit &&
                          r.trial == f.trial && r.bitErrorRate == f.bitErrorRate;
        if (!same) {
            const std::string was = r.globalBit >= 0 && r.globalBit < space.size()
                                        ? space.describe(space.address(r.globalBit))
                                        : "fault " + std::to_string(r.faultIndex);
            const std::string now =
                f.globalBit >= 0 ? space.describe(space.address(f.globalBit)) : "a multi-bit trial";
            throw InputError(path + ": cannot resume: result " + std::to_string(i) + " is " + was +
                             ", but the plan's fault " + std::to_string(i) + " is " + now +
                             " (the file was planned in another order, perhaps by another version)");
        }
    }
}

}  // namespace

CampaignJob::~CampaignJob() = default;

CampaignJob::CampaignJob(const CampaignSetup& setup) : setup_(setup) {
    if (setup.engine != "reference" && setup.engine != "fast")
        throw InputError("unknown campaign engine '" + setup.engine + "' (available: fast, reference)");
    if (setup.outPath.empty()) throw InputError("a campaign needs a results file (--out)");
    ModelLoadOptions loadOptions;
    loadOptions.configPath = setup.configPath;
    loaded_ = loadKerasModel(setup.modelPath, loadOptions);
    space_ = BitSpace(*loaded_.model, setup.filter);
    if (setup.rankedOrder) setup_.plan.order = setup.rankedOrder(space_);
    faults_ = planFaults(setup_.plan, space_);

    Tensor inputs = fitToModelInput(loadDataset(setup.dataSpec, setup.dataOptions),
                                    loaded_.model->modelInputShapes().at(0), setup.dataSpec);
    std::vector<int64_t> labels;
    if (!setup.labelsSpec.empty()) labels = loadLabels(setup.labelsSpec, setup.dataOptions.limit);
    evaluator_ = std::make_unique<ModelEvaluator>(setup.metric, std::move(inputs), std::move(labels), *loaded_.model);

    info_.modelPath = setup.modelPath;
    info_.modelFingerprint = fileFingerprint(setup.modelPath);
    info_.configPath = loaded_.configPath;
    info_.dataSpec = setup.dataSpec;
    info_.dataFingerprint = fileFingerprint(DatasetSpec::parse(setup.dataSpec).path);
    info_.labelsSpec = setup.labelsSpec;
    if (!setup.labelsSpec.empty()) info_.labelsFingerprint = fileFingerprint(DatasetSpec::parse(setup.labelsSpec).path);
    info_.metric = setup.metric;
    info_.lowerIsBetter = evaluator_->lowerIsBetter();
    info_.plan = setup_.plan;
    info_.engine = setup.engine;
    info_.samples = evaluator_->samples();
    info_.totalFaults = static_cast<int64_t>(faults_.size());
    info_.bitSpace = bitSpaceJson(space_);
    info_.baseline = evaluator_->evaluate(*loaded_.model);
    spdlog::info("baseline {} = {:.10g} over {} samples; {} faults planned over {} bits", setup.metric, info_.baseline,
                 info_.samples, faults_.size(), space_.size());

    if (setup.resume) {
        const CampaignInfo existing = readCampaignInfo(setup.outPath);
        checkResumable(existing, info_, setup.outPath);
        if (existing.baseline != info_.baseline)
            throw InputError(setup.outPath + ": cannot resume: the baseline differs (" + std::to_string(existing.baseline) +
                             " vs " + std::to_string(info_.baseline) + ")");
        checkPlannedPrefix(setup.outPath, faults_, space_);
        writer_ = std::make_unique<ResultsWriter>(ResultsWriter::reopen(setup.outPath));
        startAt_ = writer_->rowsWritten();
        spdlog::info("resuming {}: {} of {} faults already done", setup.outPath, startAt_, faults_.size());
    } else {
        writer_ = std::make_unique<ResultsWriter>(ResultsWriter::create(setup.outPath, info_, setup.overwrite));
    }
}

CampaignOutcome CampaignJob::run(CampaignControl& control,
                                 const std::function<void(const CampaignProgress&)>& onProgress,
                                 const std::function<void(const std::vector<FaultResult>&)>& onResults) {
    CampaignRequest request;
    request.model = loaded_.model.get();
    request.space = &space_;
    request.faults = &faults_;
    request.evaluator = evaluator_.get();
    request.baseline = info_.baseline;
    request.threads = setup_.threads;
    request.startAt = startAt_;
    if (setup_.engine == "fast") {
        request.cleanCache = buildCleanCache(*loaded_.model, *evaluator_, setup_.threads);
        if (!request.cleanCache) spdlog::info("the model is not a plain chain of layers: using the reference engine");
        else spdlog::info("fast engine: clean activations cached ({:.1f} MiB)", request.cleanCache->bytes() / 1048576.0);
    }
    request.onProgress = onProgress;
    request.onResults = [&](const std::vector<FaultResult>& results) {
        writer_->append(results);
        if (onResults) onResults(results);
    };
    CampaignOutcome outcome;
    try {
        outcome = runCampaign(request, control);
    } catch (...) {
        writer_->setStatus("failed");
        throw;
    }
    startAt_ += outcome.evaluated;
    writer_->setStatus(outcome.cancelled ? "cancelled" : "complete");
    return outcome;
}

}  // namespace flipscope
