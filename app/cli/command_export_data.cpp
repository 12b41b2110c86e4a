// flipscope-cli export-data --data DATA [--labels LABELS] [--limit N] [--normalize MODE] --out OUT.h5
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/data_options.h"
#include "core/common/error.h"
#include "core/io/hdf5_file.h"

#include <cstdio>
#include <iostream>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli export-data --data DATA [--labels LABELS] --out OUT.h5 [options]\n\n"
    "Reads samples (and class labels) in any format Flipscope reads and writes them as HDF5:\n"
    "/x (float32, samples first, after --normalize) and /y (int64 class indices).\n\n";

int runExportData(const CommandArgs& argv) {
    Args args(argv, withDataOptions({"labels", "out"}), {});
    if (args.helpRequested()) {
        std::cout << kHelp << kDataOptionsHelp << "  --labels LABELS      class labels (any format)\n"
                  << "  --out FILE           the HDF5 file to write\n";
        return 0;
    }
    const DatasetOptions options = datasetOptionsFromArgs(args);
    const Tensor x = loadDataset(args.required("data"), options);
    const std::string out = args.required("out");
    h5::File file = h5::File::create(out);
    file.writeFloats("/x", x.shape(), x.values());
    if (auto labels = args.value("labels")) {
        const std::vector<int64_t> y = loadLabels(*labels, options.limit);
        if (static_cast<int64_t>(y.size()) != x.dim(0))
            throw InputError(*labels + ": " + std::to_string(y.size()) + " labels for " + std::to_string(x.dim(0)) +
                             " samples");
        file.writeInts("/y", {static_cast<int64_t>(y.size())}, y);
    }
    std::printf("%s: /x %s%s\n", out.c_str(), shapeToString(x.shape()).c_str(), args.value("labels") ? ", /y" : "");
    return 0;
}

}  // namespace flipscope::cli
