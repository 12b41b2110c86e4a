// flipscope-cli hessian MODEL.h5 --data DATA --out eig.csv [--top-k K] [--trace] [...]
#include "app/cli/commands.h"
#include "app/cli/data_options.h"
#include "app/cli/model_options.h"
#include "app/cli/ranking_options.h"
#include "core/common/error.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace flipscope::cli {

namespace {

using File = std::unique_ptr<FILE, int (*)(FILE*)>;

File openForWriting(const std::string& path, const char* what) {
    File file(std::fopen(path.c_str(), "w"), std::fclose);
    if (!file) throw InputError(path + ": cannot write the " + what);
    return file;
}

void flushChecked(File& file, const std::string& path) {
    if (std::fflush(file.get()) != 0) throw InputError(path + ": error writing");
}

// eig.csv -> eig-trace.csv beside it.
std::string tracePathFor(const std::string& out) {
    std::filesystem::path p(out);
    return (p.parent_path() / (p.stem().string() + "-trace" + (p.has_extension() ? p.extension().string() : ".csv")))
        .string();
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int runHessian(const CommandArgs& argv) {
    Args args(argv, withEigenOptions(withRankingOptions({"out", "trace-samples", "seed"})), {"trace", "quiet"});
    if (args.helpRequested()) {
        std::cout << "Usage: flipscope-cli hessian MODEL.h5 --data DATA --out eig.csv [--top-k K] [--trace] [options]\n\n"
                     "The top-k eigenvalues of the Hessian of the mean loss w.r.t. every trainable tensor of the\n"
                     "selected layers (power iteration with deflation, as FKeras), written as k,eigenvalue.\n"
                     "--trace also estimates each layer's Hessian trace (Hutchinson) and writes\n"
                     "layer,trace,stderr,samples to <out stem>-trace.csv.\n\n"
                     "Options:\n"
                  << kModelOptionsHelp << kDataOptionsHelp << kRankingOptionsHelp << kEigenOptionsHelp
                  << "  --trace              also the per-layer Hessian traces\n"
                     "  --trace-samples N    Hutchinson sample cap (default 200; stops earlier when settled)\n"
                     "  --seed S             seed of the Hutchinson vectors (default 2023)\n"
                     "  --out eig.csv        the eigenvalues\n"
                     "  --quiet              no progress on stderr\n";
        return 0;
    }
    RankingSetup setup = rankingSetupFromArgs(args);
    setup.method = "hessian";
    if (setup.dataSpec.empty()) throw UsageError("--data is required");
    const std::string out = args.required("out");
    TraceOptions traceOptions;
    if (auto n = args.integer("trace-samples")) {
        if (*n <= 0) throw UsageError("--trace-samples must be positive");
        traceOptions.maxSamples = static_cast<int>(*n);
        traceOptions.minSamples = std::min(traceOptions.minSamples, traceOptions.maxSamples);
    }
    if (auto seed = args.integer("seed")) traceOptions.seed = static_cast<uint64_t>(*seed);

    auto start = std::chrono::steady_clock::now();
    RankingJob job(setup);
    CancelOnInterrupt interrupt;
    const SensitivityProgressFn progress = stageProgress(args.flag("quiet"));
    const EigenResult eigen = job.eigenpairs(interrupt.flag(), progress);
    File eigFile = openForWriting(out, "eigenvalues file");
    std::fprintf(eigFile.get(), "k,eigenvalue\n");
    std::printf("Hessian of the %s loss over %lld samples\n", job.lossName().c_str(),
                static_cast<long long>(job.samples()));
    std::printf("  %3s %16s %10s\n", "k", "eigenvalue", "iterations");
    for (size_t i = 0; i < eigen.eigenvalues.size(); ++i) {
        std::fprintf(eigFile.get(), "%zu,%.10g\n", i + 1, eigen.eigenvalues[i]);
        std::printf("  %3zu %16.8g %10d%s\n", i + 1, eigen.eigenvalues[i], eigen.iterations[i],
                    eigen.converged[i] ? "" : "  (not converged)");
    }
    flushChecked(eigFile, out);
    std::fprintf(stderr, "eigenvalues: %.2f s, written to %s\n", secondsSince(start), out.c_str());

    if (args.flag("trace")) {
        start = std::chrono::steady_clock::now();
        const auto traces = job.layerTraces(traceOptions, interrupt.flag(), progress);
        const std::string tracePath = tracePathFor(out);
        File traceFile = openForWriting(tracePath, "trace file");
        std::fprintf(traceFile.get(), "layer,trace,stderr,samples\n");
        std::printf("\nHessian trace per layer (Hutchinson)\n  %-32s %16s %12s %8s\n", "layer", "trace", "stderr",
                    "samples");
        for (const auto& [layer, t] : traces) {
            std::fprintf(traceFile.get(), "%s,%.10g,%.6g,%d\n", layer.c_str(), t.trace, t.standardError, t.samples);
            std::printf("  %-32s %16.8g %12.4g %8d\n", layer.c_str(), t.trace, t.standardError, t.samples);
        }
        flushChecked(traceFile, tracePath);
        std::fprintf(stderr, "traces: %.2f s, written to %s\n", secondsSince(start), tracePath.c_str());
    }
    return 0;
}

}  // namespace flipscope::cli
