#pragma once
// Small real campaigns for the figure and plots-panel tests: the bundled ECON-T models on a few
// held-out samples, run through core's campaign job (as the CLI and the GUI run them).
#include "common/test_paths.h"
#include "core/faults/campaign_job.h"

#include <QTemporaryDir>

namespace flipscope::test {

// Runs `plan` ("exhaustive", "sample:0.05:0.95", "ber:1e-3,1e-2:3") on sample_models/<model> over
// the first `samples` held-out modules with the EMD metric; returns the results file's path.
inline QString runSampleCampaign(const QTemporaryDir& dir, const std::string& model, const std::string& plan,
                                 const QString& name, int samples = 12) {
    CampaignSetup setup;
    setup.modelPath = (sourceDir() / "sample_models" / model).string();
    setup.dataSpec = (sourceDir() / "sample_models" / "data" / "econt-heldout.h5").string() + ":/images";
    setup.dataOptions.limit = samples;
    setup.metric = "emd";
    setup.plan = CampaignPlan::parse(plan);
    setup.threads = 2;
    setup.outPath = dir.filePath(name).toStdString();
    CampaignJob job(setup);
    CampaignControl control;
    job.run(control, {});
    return QString::fromStdString(setup.outPath);
}

}  // namespace flipscope::test
