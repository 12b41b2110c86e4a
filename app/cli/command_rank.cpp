// flipscope-cli rank MODEL.h5 --data DATA --method M --out ranking.csv [...]
#include "app/cli/commands.h"
#include "app/cli/data_options.h"
#include "app/cli/model_options.h"
#include "app/cli/progress_bar.h"
#include "app/cli/ranking_options.h"
#include "core/sensitivity/ranking_csv.h"

#include <chrono>
#include <cstdio>
#include <iostream>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli rank MODEL.h5 --data DATA --method METHOD --out ranking.csv [options]\n\n"
    "Ranks every bit of the selected bit space from most to least sensitive by an a-priori metric\n"
    "and writes rank,layer,tensor,index,bit,score (bit 0 = LSB). Parameter scores become a bit\n"
    "ranking the FKeras way: the MSBs of all parameters in score order, then the next bits.\n\n"
    "Methods:\n"
    "  random       a seeded permutation (no data needed)\n"
    "  msb          MSB -> LSB in parameter order (no data needed)\n"
    "  gradient     |dL/dw|, through the quantizers' straight-through estimator\n"
    "  taylor       (dL/dw * w)^2\n"
    "  hessian      FKeras's \"sum\" score from the top-k Hessian eigenpairs (power iteration)\n"
    "  bit-taylor   per bit |g d + 0.5 H_ii d^2|, d = the weight change the flip causes\n\n"
    "Options:\n";

int runRank(const CommandArgs& argv) {
    Args args(argv, withEigenOptions(withRankingOptions({"method", "seed", "out"})), {"quiet"});
    if (args.helpRequested()) {
        std::cout << kHelp << kModelOptionsHelp << kDataOptionsHelp << kRankingOptionsHelp
                  << "  --method METHOD      random, msb, gradient, taylor, hessian or bit-taylor\n"
                  << kEigenOptionsHelp <<
                     "  --seed S             random: permutation seed (default 7654); bit-taylor: Hutchinson seed\n"
                     "  --out ranking.csv    the ranking\n"
                     "  --quiet              no progress on stderr\n";
        return 0;
    }
    RankingSetup setup = rankingSetupFromArgs(args);
    setup.method = args.required("method");
    if (auto seed = args.integer("seed")) setup.seed = static_cast<uint64_t>(*seed);
    const std::string out = args.required("out");

    const auto start = std::chrono::steady_clock::now();
    RankingJob job(setup);
    if (rankingNeedsData(setup.method))
        std::fprintf(stderr, "%s: %s ranking of %lld bits, %s loss over %lld samples\n", out.c_str(),
                     setup.method.c_str(), static_cast<long long>(job.bitSpace().size()), job.lossName().c_str(),
                     static_cast<long long>(job.samples()));
    CancelOnInterrupt interrupt;
    const BitRanking ranking = job.run(interrupt.flag(), stageProgress(args.flag("quiet")));
    writeRankingCsv(ranking, job.bitSpace(), out);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "done: %lld bits ranked by %s in %.2f s (%s), written to %s\n",
                 static_cast<long long>(ranking.order.size()), setup.method.c_str(), seconds,
                 formatDuration(seconds).c_str(), out.c_str());
    return 0;
}

}  // namespace flipscope::cli
