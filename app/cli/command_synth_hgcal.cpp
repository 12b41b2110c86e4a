// flipscope-cli synth-hgcal --samples N --seed S --out DATA.h5
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/io/hdf5_file.h"
#include "core/metrics/econt_remap.h"
#include "core/train/synth_hgcal.h"

#include <cstdio>
#include <iostream>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli synth-hgcal --samples N [--seed S] --out DATA.h5\n\n"
    "Writes SYNTHETIC HGCal trigger-cell charge maps for the ECON-T autoencoders (sparse modules,\n"
    "shower-like clusters on the 48-cell hexagonal layout, noise, zero suppression; see\n"
    "core/train/synth_hgcal.h). They are not detector data. Datasets in the file:\n"
    "  /images   (N, 8, 8, 1) float32  normalized modules as the models see them\n"
    "  /cells    (N, 48) float32       the same in CALQ cell order\n"
    "  /charges  (N, 48) float32       raw whole-count charges before normalization\n";

int runSynthHgcal(const CommandArgs& argv) {
    Args args(argv, {"samples", "seed", "out"}, {});
    if (args.helpRequested()) {
        std::cout << kHelp;
        return 0;
    }
    const auto samples = args.integer("samples");
    if (!samples || *samples <= 0) throw UsageError("--samples N (a positive number) is required");
    const uint64_t seed = static_cast<uint64_t>(args.integer("seed").value_or(1));
    const std::string out = args.required("out");
    const SyntheticModules modules = synthesizeHgcalModules(*samples, seed);

    h5::File file = h5::File::create(out);
    file.writeFloats("/images", modules.images.shape(), modules.images.values());
    file.writeFloats("/cells", {modules.count, kEcontCells}, modules.cells);
    file.writeFloats("/charges", {modules.count, kEcontCells}, modules.charges);
    file.writeStringAttribute("/", "description",
                              "SYNTHETIC HGCal ECON-T trigger-cell charge maps made by flipscope-cli synth-hgcal; "
                              "not detector data");
    file.writeNumberAttribute("/", "seed", static_cast<double>(seed));
    std::printf("%s: %lld synthetic modules (seed %llu)\n", out.c_str(), static_cast<long long>(modules.count),
                static_cast<unsigned long long>(seed));
    return 0;
}

}  // namespace flipscope::cli
