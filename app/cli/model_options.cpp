#include "app/cli/model_options.h"

namespace flipscope::cli {

const char* const kModelOptionsHelp =
    "  --config ARCH.json   architecture for a weights-only .h5 (default: the .json beside it)\n";

std::set<std::string> withModelOptions(std::set<std::string> options) {
    options.insert("config");
    return options;
}

LoadedModel loadModelFromArgs(const Args& args, const std::string& modelPath) {
    ModelLoadOptions options;
    options.configPath = args.value("config");
    return loadKerasModel(modelPath, options);
}

}  // namespace flipscope::cli
