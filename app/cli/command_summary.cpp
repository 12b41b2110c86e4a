// flipscope-cli summary results.h5 [--csv table.csv]
#include "app/cli/commands.h"
#include "app/cli/args.h"
#include "core/faults/campaign_analysis.h"

#include <cstdio>
#include <iostream>

namespace flipscope::cli {

int runSummary(const CommandArgs& argv) {
    Args args(argv, {"csv"}, {});
    if (args.helpRequested()) {
        std::cout << "Usage: flipscope-cli summary results.h5 [--csv table.csv]\n\n"
                     "Prints a campaign's baseline, totals, and bits to protect (count and normalized by the\n"
                     "bit space) per layer and per bit position. --csv exports the per-fault table.\n";
        return 0;
    }
    const std::string path = args.positional(0, "results.h5");
    const CampaignResults results = readCampaignResults(path);
    const CampaignSummary s = summarizeCampaign(results);
    const CampaignInfo& info = results.info;
    std::printf("Campaign %s (%s)\n", path.c_str(), info.status.c_str());
    std::printf("  model     %s\n  data      %s (%lld samples)\n  metric    %s (%s is better)\n  plan      %s, seed %llu\n",
                info.modelPath.c_str(), info.dataSpec.c_str(), static_cast<long long>(info.samples),
                info.metric.c_str(), info.lowerIsBetter ? "lower" : "higher", info.plan.toString().c_str(),
                static_cast<unsigned long long>(info.plan.seed));
    std::printf("  baseline  %.10g\n  evaluated %lld of %lld faults; bit space %lld bits\n", s.baseline,
                static_cast<long long>(s.evaluated), static_cast<long long>(info.totalFaults),
                static_cast<long long>(s.bitSpaceSize));
    std::printf("  faults that make %s worse: %lld (%.4f%% of evaluated)\n", info.metric.c_str(),
                static_cast<long long>(s.overall.protect), 100.0 * s.overall.fraction());
    if (info.plan.singleBit()) {
        std::printf("  normalized bits to protect: %.6f (%lld / %lld bits)\n", s.normalizedBitsToProtect,
                    static_cast<long long>(s.overall.protect), static_cast<long long>(s.bitSpaceSize));
        std::printf("\nPer tensor:\n");
        for (const auto& [name, c] : s.perTensor)
            std::printf("  %-40s %8lld / %-8lld %.4f\n", name.c_str(), static_cast<long long>(c.protect),
                        static_cast<long long>(c.total), c.fraction());
        std::printf("\nPer bit position (0 = LSB):\n");
        for (auto it = s.perBitPosition.rbegin(); it != s.perBitPosition.rend(); ++it)
            std::printf("  bit %2d %8lld / %-8lld %.4f\n", it->first, static_cast<long long>(it->second.protect),
                        static_cast<long long>(it->second.total), it->second.fraction());
    }
    std::printf("\n  mean delta %.6g, worst delta %.6g\n", s.meanDelta, s.worstDelta);
    if (auto csv = args.value("csv")) writeResultsCsv(results, *csv);
    return 0;
}

}  // namespace flipscope::cli
