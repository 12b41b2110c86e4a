#pragma once
// Dataset options shared by the subcommands that read samples (--data, --limit, --normalize).
#include "app/cli/args.h"
#include "core/io/dataset.h"

#include <set>
#include <string>

namespace flipscope::cli {

std::set<std::string> withDataOptions(std::set<std::string> options);
DatasetOptions datasetOptionsFromArgs(const Args& args);
extern const char* const kDataOptionsHelp;

}  // namespace flipscope::cli
