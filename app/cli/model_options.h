#pragma once
// The model-loading options every subcommand that takes a MODEL.h5 shares (--config ARCH.json).
#include "app/cli/args.h"
#include "core/io/keras_h5_loader.h"

#include <set>
#include <string>

namespace flipscope::cli {

// Options to add to a subcommand's value options.
std::set<std::string> withModelOptions(std::set<std::string> options);
LoadedModel loadModelFromArgs(const Args& args, const std::string& modelPath);
extern const char* const kModelOptionsHelp;

}  // namespace flipscope::cli
