// flipscope-cli info MODEL.h5 [--json]
#include "app/cli/commands.h"
#include "app/cli/model_options.h"
#include "core/model/model_summary.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli info MODEL.h5 [--config ARCH.json] [--json]\n\n"
    "Lists the layers in order with class, output shape and quantizers, and per quantized tensor\n"
    "its parameter count and bit width; then totals of quantized parameters and bits.\n\n";

static nlohmann::json shapeJson(const Shape& shape) {
    nlohmann::json out = nlohmann::json::array();
    for (int64_t d : shape) out.push_back(d);
    return out;
}

int runInfo(const CommandArgs& argv) {
    Args args(argv, withModelOptions({}), {"json"});
    if (args.helpRequested()) {
        std::cout << kHelp << kModelOptionsHelp << "  --json               print one JSON object\n";
        return 0;
    }
    const std::string path = args.positional(0, "MODEL.h5");
    const LoadedModel loaded = loadModelFromArgs(args, path);
    const ModelSummary summary = summarize(*loaded.model);

    if (args.flag("json")) {
        nlohmann::json out;
        out["model"] = summary.name;
        out["input_shape"] = shapeJson(summary.inputShape);
        out["layers"] = nlohmann::json::array();
        for (const auto& layer : summary.layers) {
            nlohmann::json l = {{"name", layer.path}, {"class", layer.className},
                                {"output_shape", shapeJson(layer.outputShape)}, {"tensors", nlohmann::json::array()}};
            if (!layer.description.empty()) l["activation"] = layer.description;
            for (const auto& t : layer.tensors)
                l["tensors"].push_back({{"tensor", t.tensor}, {"shape", shapeJson(t.shape)}, {"quantizer", t.quantizer},
                                        {"params", t.params}, {"bits", t.bitWidth}, {"flippable", t.flippable}});
            out["layers"].push_back(l);
        }
        out["total_params"] = summary.totalParams;
        out["total_bits"] = summary.totalBits;
        out["float_params"] = summary.floatParams;
        out["kernel_signature"] = summary.kernelSignature;
        std::cout << out.dump(2) << "\n";
        return 0;
    }

    std::printf("Model %s, input %s, from %s\n", summary.name.c_str(), shapeToString(summary.inputShape).c_str(),
                path.c_str());
    if (loaded.configPath != path) std::printf("Architecture from %s\n", loaded.configPath.c_str());
    std::printf("%-36s %-20s %-16s %s\n", "layer", "class", "output shape", "quantizers");
    for (const auto& layer : summary.layers) {
        const std::string indent(2 * layer.depth, ' ');
        const auto slash = layer.path.rfind('/');
        const std::string name = indent + (slash == std::string::npos ? layer.path : layer.path.substr(slash + 1));
        std::printf("%-36s %-20s %-16s %s\n", name.c_str(), layer.className.c_str(),
                    shapeToString(layer.outputShape).c_str(), layer.description.c_str());
        for (const auto& t : layer.tensors)
            std::printf("%-36s   %-8s %-14s %-32s %8lld params x %2d bits%s\n", "", t.tensor.c_str(),
                        shapeToString(t.shape).c_str(), t.quantizer.c_str(), static_cast<long long>(t.params),
                        t.bitWidth, t.flippable ? "" : " (not flippable)");
    }
    std::printf("Total: %lld quantized parameters, %lld bits; %lld float parameters\n",
                static_cast<long long>(summary.totalParams), static_cast<long long>(summary.totalBits),
                static_cast<long long>(summary.floatParams));
    std::printf("Kernel bit signature: %s\n", summary.kernelSignature.c_str());
    for (const auto& w : loaded.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    return 0;
}

}  // namespace flipscope::cli
