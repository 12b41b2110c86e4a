// flipscope-cli predict MODEL.h5 --data DATA [--limit N] [--layer NAME] --out OUT.npy|OUT.csv
#include "app/cli/commands.h"
#include "app/cli/data_options.h"
#include "app/cli/model_options.h"
#include "core/common/error.h"
#include "core/io/npy.h"
#include "core/model/input_fit.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli predict MODEL.h5 --data DATA --out OUT.npy|OUT.csv [options]\n\n"
    "Runs the model (or stops at one layer, e.g. an encoder's latent) on the samples and writes\n"
    "the outputs: float32 NPY of shape [N, ...], or CSV with one row per sample.\n\n";

static void writeCsv(const std::string& path, const Tensor& out) {
    std::ofstream file(path);
    if (!file) throw Error(path + ": cannot be written");
    const int64_t row = out.rowSize();
    char buffer[32];
    for (int64_t r = 0; r < out.dim(0); ++r) {
        for (int64_t i = 0; i < row; ++i) {
            std::snprintf(buffer, sizeof buffer, "%.9g", out[r * row + i]);
            file << (i ? "," : "") << buffer;
        }
        file << '\n';
    }
    if (!file.flush()) throw Error(path + ": write failed (disk full?)");
}

static bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int runPredict(const CommandArgs& argv) {
    Args args(argv, withDataOptions(withModelOptions({"layer", "out", "threads"})), {});
    if (args.helpRequested()) {
        std::cout << kHelp << kModelOptionsHelp << kDataOptionsHelp
                  << "  --layer NAME         stop at this layer (bare name, or a path like encoder/encoded_vector)\n"
                     "  --out FILE           .npy (float32) or .csv\n"
                     "  --threads N          worker threads (default: all cores)\n";
        return 0;
    }
    const std::string modelPath = args.positional(0, "MODEL.h5");
    const std::string dataSpec = args.required("data");
    const std::string outPath = args.required("out");
    if (!endsWith(outPath, ".npy") && !endsWith(outPath, ".csv"))
        throw UsageError("--out must end in .npy or .csv");
    const LoadedModel loaded = loadModelFromArgs(args, modelPath);
    const Model& model = *loaded.model;
    std::vector<std::string> stopAt;
    if (auto layer = args.value("layer")) stopAt = model.resolveLayerPath(*layer);

    Tensor data = loadDataset(dataSpec, datasetOptionsFromArgs(args));
    data = fitToModelInput(std::move(data), model.modelInputShapes().at(0), dataSpec);
    const auto start = std::chrono::steady_clock::now();
    const Tensor out = model.predict(data, static_cast<int>(args.integer("threads").value_or(0)), stopAt);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (endsWith(outPath, ".npy")) writeNpyFloat32(outPath, out.shape(), out.data());
    else writeCsv(outPath, out);
    std::fprintf(stderr, "%lld samples -> %s %s in %.3f s\n", static_cast<long long>(out.dim(0)), outPath.c_str(),
                 shapeToString(out.shape()).c_str(), seconds);
    return 0;
}

}  // namespace flipscope::cli
