// flipscope-cli emd A.npy B.npy [--geometry econt] --out emd.npy
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/io/npy.h"
#include "core/metrics/emd.h"

#include <cstdio>
#include <iostream>

namespace flipscope::cli {

int runEmd(const CommandArgs& argv) {
    Args args(argv, {"geometry", "out", "threads"}, {});
    if (args.helpRequested()) {
        std::cout << "Usage: flipscope-cli emd A.npy B.npy [--geometry econt|grid1d:N|grid2d:HxW] [--out emd.npy]\n\n"
                     "Earth mover's distance between row i of A (inputs) and row i of B (outputs), exactly as\n"
                     "the ECON-T study computes it (POT ot.emd2; -1 for an empty input row, -0.5 for an empty\n"
                     "output row). Writes the per-row values as float64 NPY and prints their mean.\n";
        return 0;
    }
    const auto a = readNpyDoubles(args.positional(0, "A.npy"));
    const auto b = readNpyDoubles(args.positional(1, "B.npy"));
    const Geometry geometry = geometryByName(args.value("geometry").value_or("econt"));
    const int64_t cells = static_cast<int64_t>(geometry.size());
    auto rowsOf = [&](const DoubleArray& array, const std::string& name) {
        if (array.shape.empty() || shapeSize(array.shape) % cells != 0 || shapeSize(array.shape) / array.shape[0] != cells)
            throw InputError(name + ": expected rows of " + std::to_string(cells) + " cells, found shape " +
                             shapeToString(array.shape));
        return array.shape[0];
    };
    const int64_t rows = rowsOf(a, args.positional(0, "A.npy"));
    if (rowsOf(b, args.positional(1, "B.npy")) != rows)
        throw InputError("A and B have different numbers of rows");
    const auto values = emdRows(geometry, a.values.data(), b.values.data(), rows,
                                static_cast<int>(args.integer("threads").value_or(0)));
    double sum = 0.0;
    for (double v : values) sum += v;
    if (auto out = args.value("out")) writeNpyFloat64(*out, {rows}, values.data());
    std::printf("%.17g\n", rows ? sum / static_cast<double>(rows) : 0.0);
    return 0;
}

}  // namespace flipscope::cli
