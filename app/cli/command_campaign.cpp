// flipscope-cli campaign MODEL.h5 --data DATA --metric M --plan P --out results.h5 [...]
#include "app/cli/commands.h"
#include "app/cli/data_options.h"
#include "app/cli/model_options.h"
#include "app/cli/progress_bar.h"
#include "app/cli/ranking_options.h"
#include "core/faults/campaign_job.h"
#include "core/sensitivity/ranking_csv.h"

#include <cstdio>
#include <iostream>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli campaign MODEL.h5 --data DATA --metric emd|mse|telescope|ce|accuracy --plan PLAN\n"
    "                              --out results.h5 [options]\n\n"
    "Injects faults into the quantized weights and measures the metric over the dataset for each.\n"
    "Results are written to an HDF5 file as they come (flushed every second); --resume continues a\n"
    "stopped campaign. Ctrl-C stops cleanly with the results kept.\n\n"
    "Plans:\n"
    "  exhaustive                     every bit of the bit space, one flip at a time\n"
    "  sample[:MARGIN:CONFIDENCE]     uniform sample, size from Leveugle et al. (default 0.01:0.95)\n"
    "  stratified[:MARGIN:CONFIDENCE] the same size, allocated per tensor and bit position\n"
    "  ber:P1,P2,...[:TRIALS]         every bit flips with probability P; TRIALS per P (default 10)\n"
    "  ranked[:LIMIT]                 the bits of --ranking in its order (the first LIMIT only)\n\n"
    "Options:\n";

int runCampaign(const CommandArgs& argv) {
    Args args(argv,
              withDataOptions(withModelOptions({"metric", "labels", "plan", "layers", "tensors", "bits", "threads",
                                                "seed", "engine", "out", "csv", "ranking"})),
              {"resume", "overwrite", "quiet"});
    if (args.helpRequested()) {
        std::cout << kHelp << kModelOptionsHelp << kDataOptionsHelp
                  << "  --labels LABELS      class labels (for ce and accuracy)\n"
                     "  --metric NAME        emd (ECON-T autoencoders), mse, telescope, ce, accuracy\n"
                     "  --layers a,b         only these layers (names, or paths like encoder/conv2d_0_m)\n"
                     "  --tensors kernel,bias  which tensors (default: kernel)\n"
                     "  --bits 5,4           only these bit positions (0 = LSB)\n"
                     "  --threads N          worker threads (default: all cores)\n"
                     "  --seed S             seed of sampled plans (default 1)\n"
                     "  --ranking FILE.csv   a ranking (flipscope-cli rank) for the ranked plan; --plan\n"
                     "                       defaults to ranked\n"
                     "  --engine fast|reference  evaluation engine (default fast; reference re-runs the whole\n"
                     "                       network per fault, kept to check the fast one)\n"
                     "  --out results.h5     results file\n"
                     "  --csv results.csv    also write the table as CSV at the end\n"
                     "  --resume             continue the campaign in --out\n"
                     "  --overwrite          replace an existing --out\n"
                     "  --quiet              no progress bar\n";
        return 0;
    }
    CampaignSetup setup;
    setup.modelPath = args.positional(0, "MODEL.h5");
    setup.configPath = args.value("config");
    setup.dataSpec = args.required("data");
    setup.dataOptions = datasetOptionsFromArgs(args);
    setup.labelsSpec = args.value("labels").value_or("");
    setup.metric = args.required("metric");
    const auto ranking = args.value("ranking");
    setup.plan = CampaignPlan::parse(ranking ? args.value("plan").value_or("ranked") : args.required("plan"));
    setup.plan.seed = static_cast<uint64_t>(args.integer("seed").value_or(1));
    setup.filter = bitSpaceFilterFromArgs(args);
    if ((setup.plan.kind == PlanKind::Ranked) != ranking.has_value())
        throw UsageError("the ranked plan and --ranking go together");
    if (ranking)  // the ranking's rows name bits of the job's bit space
        setup.rankedOrder = [file = *ranking](const BitSpace& space) { return readRankingCsv(file, space).order; };
    setup.threads = static_cast<int>(args.integer("threads").value_or(0));
    setup.engine = args.value("engine").value_or("fast");
    setup.outPath = args.required("out");
    setup.resume = args.flag("resume");
    setup.overwrite = args.flag("overwrite");

    CampaignJob job(setup);
    const CampaignInfo& info = job.info();
    std::fprintf(stderr, "%s: %lld faults (%s) over %lld bits, %lld samples, baseline %s = %.10g\n",
                 setup.outPath.c_str(), static_cast<long long>(job.totalFaults()), info.plan.toString().c_str(),
                 static_cast<long long>(job.bitSpace().size()), static_cast<long long>(info.samples),
                 info.metric.c_str(), info.baseline);

    CampaignControl control;
    ProgressBar bar("faults");
    const bool quiet = args.flag("quiet");
    CampaignOutcome outcome;
    {
        CancelOnInterrupt interrupt(&control.cancel);  // Ctrl-C or a kill stops the campaign cleanly
        outcome = job.run(control, [&](const CampaignProgress& p) {
            if (!quiet) bar.update(p.done, p.total, p.rate, p.etaSeconds);
        });
    }
    bar.finish();
    if (outcome.cancelled) {
        std::fprintf(stderr, "stopped after %lld of %lld faults; results kept in %s (continue with --resume)\n",
                     static_cast<long long>(job.alreadyDone()), static_cast<long long>(job.totalFaults()),
                     setup.outPath.c_str());
        return 130;
    }
    if (auto csv = args.value("csv")) writeResultsCsv(readCampaignResults(setup.outPath), *csv);
    std::fprintf(stderr, "done: %lld faults in %s\n", static_cast<long long>(job.totalFaults()), setup.outPath.c_str());
    return 0;
}

}  // namespace flipscope::cli
