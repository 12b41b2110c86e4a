// flipscope-cli gradient MODEL.h5 --data DATA --out grads.csv [...]
#include "app/cli/commands.h"
#include "app/cli/data_options.h"
#include "app/cli/model_options.h"
#include "app/cli/ranking_options.h"
#include "core/common/error.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace flipscope::cli {

int runGradient(const CommandArgs& argv) {
    Args args(argv, withRankingOptions({"out"}), {});
    if (args.helpRequested()) {
        std::cout << "Usage: flipscope-cli gradient MODEL.h5 --data DATA --out grads.csv [options]\n\n"
                     "Writes the gradient of the mean loss over the data for every weight of the bit space:\n"
                     "layer,tensor,index,value,gradient (value = the quantized weight; the gradient is w.r.t.\n"
                     "the stored float weight through the quantizer's straight-through estimator).\n\n"
                     "Options:\n"
                  << kModelOptionsHelp << kDataOptionsHelp << kRankingOptionsHelp
                  << "  --out grads.csv      the gradients\n";
        return 0;
    }
    RankingSetup setup = rankingSetupFromArgs(args);
    setup.method = "gradient";
    if (setup.dataSpec.empty()) throw UsageError("--data is required");
    const std::string out = args.required("out");

    const auto start = std::chrono::steady_clock::now();
    const RankingJob job(setup);
    const std::vector<ParameterGradient> gradients = job.gradients();
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(out.c_str(), "w"), std::fclose);
    if (!file) throw InputError(out + ": cannot write the gradients file");
    std::fprintf(file.get(), "layer,tensor,index,value,gradient\n");
    for (const ParameterGradient& g : gradients) {
        const BitSpaceTensor& t = job.bitSpace().tensors()[g.tensor];
        std::fprintf(file.get(), "%s,%s,%lld,%.9g,%.9g\n", t.layerPath.c_str(), t.tensor.c_str(),
                     static_cast<long long>(g.index), g.value, g.gradient);
    }
    if (std::fflush(file.get()) != 0) throw InputError(out + ": error writing the gradients file");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "done: %zu gradients of the %s loss over %lld samples in %.2f s, written to %s\n",
                 gradients.size(), job.lossName().c_str(), static_cast<long long>(job.samples()), seconds, out.c_str());
    return 0;
}

}  // namespace flipscope::cli
