#include "app/cli/data_options.h"

namespace flipscope::cli {

const char* const kDataOptionsHelp =
    "  --data DATA          samples: HDF5 (file.h5:/dataset), NPY, IDX (.gz or plain) or CSV;\n"
    "                       the format is read from the file's content\n"
    "  --limit N            use only the first N samples\n"
    "  --normalize MODE     none (default), 255 (divide by 255), sum or max (per sample)\n";

std::set<std::string> withDataOptions(std::set<std::string> options) {
    options.insert({"data", "limit", "normalize"});
    return options;
}

DatasetOptions datasetOptionsFromArgs(const Args& args) {
    DatasetOptions options;
    if (auto limit = args.integer("limit")) {
        if (*limit <= 0) throw UsageError("--limit must be positive");
        options.limit = *limit;
    }
    const std::string mode = args.value("normalize").value_or("none");
    if (mode == "none") options.normalization = Normalization::None;
    else if (mode == "255") options.normalization = Normalization::Scale255;
    else if (mode == "sum") options.normalization = Normalization::PerSampleSum;
    else if (mode == "max") options.normalization = Normalization::PerSampleMax;
    else throw UsageError("--normalize takes none, 255, sum or max, not '" + mode + "'");
    return options;
}

}  // namespace flipscope::cli
