#include "app/cli/ranking_options.h"

#include "app/cli/data_options.h"
#include "app/cli/model_options.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <unistd.h>

namespace flipscope::cli {

const char* const kRankingOptionsHelp =
    "  --samples N          use the first N samples (default 512, as the FKeras study)\n"
    "  --labels LABELS      class labels (classifiers: the ce loss)\n"
    "  --loss mse|telescope|ce  loss to differentiate (default: telescope for 8x8x1 autoencoders,\n"
    "                       ce with --labels, else mse against the input)\n"
    "  --layers a,b         only these layers (names or paths); default: every quantized layer\n"
    "  --tensors kernel,bias  which tensors (default: kernel)\n"
    "  --bits 5,4           only these bit positions (0 = LSB)\n"
    "  --threads N          threads for the gradients (default 2; results do not depend on it)\n";

const char* const kEigenOptionsHelp =
    "  --top-k K            Hessian eigenpairs (default 8)\n"
    "  --max-iterations N   power-iteration cap per eigenpair (default 500)\n"
    "  --tolerance T        relative eigenvalue change to stop at (default 1e-3)\n";

std::set<std::string> withRankingOptions(std::set<std::string> options) {
    options.insert({"samples", "labels", "loss", "layers", "tensors", "bits", "threads"});
    return withDataOptions(withModelOptions(std::move(options)));
}

std::set<std::string> withEigenOptions(std::set<std::string> options) {
    options.insert({"top-k", "max-iterations", "tolerance"});
    return options;
}

BitSpaceFilter bitSpaceFilterFromArgs(const Args& args) {
    BitSpaceFilter filter;
    if (auto layers = args.value("layers")) filter.layers = splitList(*layers);
    if (auto tensors = args.value("tensors")) {
        filter.tensors.clear();
        for (const auto& t : splitList(*tensors)) filter.tensors.insert(t);
    }
    if (auto bits = args.value("bits"))
        for (const auto& b : splitList(*bits)) {
            try {
                filter.bitPositions.insert(std::stoi(b));
            } catch (const std::exception&) {
                throw UsageError("--bits: '" + b + "' is not a bit position");
            }
        }
    return filter;
}

RankingSetup rankingSetupFromArgs(const Args& args) {
    RankingSetup setup;
    setup.modelPath = args.positional(0, "MODEL.h5");
    setup.configPath = args.value("config");
    setup.dataSpec = args.value("data").value_or("");
    setup.dataOptions = datasetOptionsFromArgs(args);
    if (args.value("samples") && args.value("limit")) throw UsageError("give --samples or --limit, not both");
    if (auto samples = args.integer("samples")) {
        if (*samples <= 0) throw UsageError("--samples must be positive");
        setup.dataOptions.limit = *samples;
    }
    if (!setup.dataOptions.limit) setup.dataOptions.limit = kDefaultRankingSamples;
    setup.labelsSpec = args.value("labels").value_or("");
    setup.loss = args.value("loss").value_or("");
    setup.filter = bitSpaceFilterFromArgs(args);
    setup.threads = static_cast<int>(args.integer("threads").value_or(2));
    if (auto k = args.integer("top-k")) {
        if (*k <= 0) throw UsageError("--top-k must be positive");
        setup.eigen.topK = static_cast<int>(*k);
    }
    if (auto n = args.integer("max-iterations")) {
        if (*n <= 0) throw UsageError("--max-iterations must be positive");
        setup.eigen.maxIterations = static_cast<int>(*n);
    }
    if (auto t = args.number("tolerance")) {
        if (!(*t > 0)) throw UsageError("--tolerance must be positive");
        setup.eigen.tolerance = *t;
    }
    return setup;
}

SensitivityProgressFn stageProgress(bool quiet) {
    if (quiet) return {};
    const auto interval = std::chrono::seconds(isatty(STDERR_FILENO) ? 1 : 5);
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    return [interval, last](double fraction, const std::string& stage) {
        const auto now = std::chrono::steady_clock::now();
        if (now - *last < interval) return;
        *last = now;
        std::fprintf(stderr, "%-32s %5.1f%%\n", stage.c_str(), 100.0 * fraction);
        std::fflush(stderr);
    };
}

static std::atomic<bool>* interruptFlag = nullptr;
static void onInterrupt(int) {
    if (interruptFlag) interruptFlag->store(true);
}

CancelOnInterrupt::CancelOnInterrupt(std::atomic<bool>* external) : flag_(external ? external : &cancel_) {
    interruptFlag = flag_;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

CancelOnInterrupt::~CancelOnInterrupt() { interruptFlag = nullptr; }

}  // namespace flipscope::cli
