// flipscope-cli init-model --arch NAME [--seed S] --out MODEL.h5
#include "app/cli/commands.h"
#include "app/cli/args.h"
#include "core/io/keras_h5_writer.h"
#include "core/io/keras_model_config.h"
#include "core/model/model_summary.h"
#include "core/train/architectures.h"
#include "core/train/weight_init.h"

#include <cstdio>
#include <iostream>

namespace flipscope::cli {

int runInitModel(const CommandArgs& argv) {
    Args args(argv, {"arch", "seed", "out"}, {});
    if (args.helpRequested()) {
        std::cout << "Usage: flipscope-cli init-model --arch NAME [--seed S] --out MODEL.h5\n\n"
                     "Writes an untrained model of a built-in architecture (Keras-default initial weights,\n"
                     "seeded) as a Keras .h5 file. Architectures:";
        for (const auto& name : architectureNames()) std::cout << ' ' << name;
        std::cout << "\n";
        return 0;
    }
    const std::string arch = args.required("arch");
    const std::string out = args.required("out");
    auto model = buildModelFromConfig(architectureConfig(arch), arch);
    initializeWeights(*model, static_cast<uint64_t>(args.integer("seed").value_or(1)));
    model->prepare();
    writeKerasModel(*model, out);
    const ModelSummary summary = summarize(*model);
    std::printf("%s: %s, %lld quantized parameters, %lld bits, kernel signature %s\n", out.c_str(), arch.c_str(),
                static_cast<long long>(summary.totalParams), static_cast<long long>(summary.totalBits),
                summary.kernelSignature.c_str());
    return 0;
}

}  // namespace flipscope::cli
