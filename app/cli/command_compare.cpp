// flipscope-cli compare --results results.h5 --rankings a.csv b.csv ... --out curves.csv [--top-percent P]
#include "app/cli/commands.h"
#include "app/cli/args.h"
#include "core/common/error.h"
#include "core/faults/bit_space_json.h"
#include "core/sensitivity/ranking_csv.h"
#include "core/sensitivity/ranking_curves.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli compare --results results.h5 --rankings a.csv [b.csv ...] --out curves.csv\n"
    "                             [--top-percent P]\n\n"
    "Scores bit rankings (from `flipscope-cli rank`) against the oracle of a single-bit campaign:\n"
    "the campaign's bits sorted by measured damage. For k = 0..N evaluated bits, the curves count\n"
    "the bits to protect among the first k ranked bits (found) and sum their damage (the positive\n"
    "metric deltas); curves.csv holds ranking,k,found,damage for each ranking and the oracle.\n"
    "The table on stdout: found and damage scores (area under the curve / the oracle's, 1 = perfect,\n"
    "about 0.5 for a random ranking when few bits matter), bits needed to find 99% of the bits to\n"
    "protect, and precision/recall at K = the number of bits to protect.\n\n"
    "Options:\n"
    "  --results FILE       a campaign's results file (exhaustive, sampled or ranked plan)\n"
    "  --rankings A B ...   ranking CSV files (also repeatable, or comma-separated)\n"
    "  --top-percent P      the bits to protect are the oracle's first P% instead of every bit that\n"
    "                       made the metric worse (the study uses 1, 3, 10, 30)\n"
    "  --out curves.csv     the curves\n";

namespace {

void writeCurves(const std::vector<RankingCurve>& curves, const std::string& path) {
    std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(path.c_str(), "w"), std::fclose);
    if (!out) throw InputError(path + ": cannot write the curves file");
    std::fprintf(out.get(), "ranking,k,found,damage\n");
    for (const RankingCurve& c : curves)
        for (size_t k = 0; k < c.found.size(); ++k)
            std::fprintf(out.get(), "%s,%zu,%lld,%.10g\n", c.name.c_str(), k, static_cast<long long>(c.found[k]),
                         c.damage[k]);
    if (std::fflush(out.get()) != 0) throw InputError(path + ": error writing the curves file");
}

}  // namespace

int runCompare(const CommandArgs& argv) {
    Args args(argv, {"results", "rankings", "out", "top-percent"}, {});
    if (args.helpRequested()) {
        std::cout << kHelp;
        return 0;
    }
    const std::string resultsPath = args.required("results");
    std::vector<std::string> rankingPaths;
    for (const std::string& value : args.values("rankings"))
        for (const std::string& path : splitList(value)) rankingPaths.push_back(path);
    // `--rankings a.csv b.csv`: the files after the first arrive as positionals.
    for (const std::string& path : args.positionals()) rankingPaths.push_back(path);
    if (rankingPaths.empty()) throw UsageError("--rankings needs at least one ranking CSV file");
    const std::string out = args.required("out");

    const CampaignResults results = readCampaignResults(resultsPath);
    const BitSpace space = bitSpaceFromJson(results.info.bitSpace, resultsPath);
    Oracle oracle = makeOracle(results);
    if (auto percent = args.number("top-percent")) oracle = topPercentOracle(oracle, *percent);

    std::vector<RankingCurve> curves{oracleCurve(oracle)};
    for (const std::string& path : rankingPaths) {
        const BitRanking ranking = readRankingCsv(path, space);
        curves.push_back(rankingCurve(ranking.method, ranking.order, oracle));
    }
    writeCurves(curves, out);

    std::printf("Oracle: %s of %s, metric %s; %lld of %lld evaluated bits to protect (%s)\n", resultsPath.c_str(),
                results.info.modelPath.c_str(), results.info.metric.c_str(),
                static_cast<long long>(oracle.sensitiveCount), static_cast<long long>(oracle.evaluatedCount),
                oracle.label.c_str());
    std::printf("\n  %-24s %8s %8s %12s %10s %10s\n", "ranking", "found", "damage", "bits for 99%", "prec@K", "recall@K");
    for (const RankingCurve& curve : curves) {
        const RankingScore s = scoreRanking(curve, oracle);
        std::printf("  %-24s %8.4f %8.4f %12lld %10.4f %10.4f\n", curve.name.c_str(), s.foundScore, s.damageScore,
                    static_cast<long long>(s.bitsFor99), s.precisionAtK, s.recallAtK);
    }
    std::printf("\n  K = %lld; scores are areas under the curves relative to the oracle's (1 = perfect)\n",
                static_cast<long long>(oracle.sensitiveCount));
    std::fprintf(stderr, "curves written to %s\n", out.c_str());
    return 0;
}

}  // namespace flipscope::cli
