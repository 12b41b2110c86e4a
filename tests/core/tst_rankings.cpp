// Bit rankings (core/sensitivity/bit_ranking.h), ranking files (ranking_csv.h) and how rankings
// compare with a campaign's oracle (ranking_curves.h): the seed's two-weight example, mixed bit
// widths, seeded random permutations (Python's, as FKeras draws them), CSV round trips and errors,
// and curve scores with known answers (oracle = 1, random near its expectation, top-p% sets, bits
// for 99%).
#include "common/expect_error.h"
#include "core/common/error.h"
#include "core/common/python_random.h"
#include "core/common/random.h"
#include "core/io/keras_model_config.h"
#include "core/sensitivity/bit_ranking.h"
#include "core/sensitivity/ranking_csv.h"
#include "core/sensitivity/ranking_curves.h"

#include <QtTest>

#include <algorithm>
#include <fstream>
#include <numeric>

using namespace flipscope;
using nlohmann::json;

namespace {

json qdense(const std::string& name, int units, const std::string& quantizer) {
    return {{"class_name", "QDense"},
            {"config", {{"name", name}, {"units", units}, {"use_bias", false}, {"kernel_quantizer", quantizer},
                        {"activation", "linear"}}}};
}

// A Sequential model of QDense layers on a 2-value input; every kernel gets small weights.
std::unique_ptr<Model> denseChain(const std::vector<json>& layers) {
    json config = {{"class_name", "Sequential"}, {"config", {{"name", "chain"}, {"layers", json::array()}}}};
    config["config"]["layers"].push_back(
        {{"class_name", "InputLayer"}, {"config", {{"name", "in"}, {"batch_input_shape", {nullptr, 2}}}}});
    for (const json& layer : layers) config["config"]["layers"].push_back(layer);
    auto model = buildModelFromConfig(config, "chain");
    model->visit([](const std::string&, Layer& layer) {
        for (LayerParameter& p : layer.parameters()) {
            p.stored = Tensor(p.shape, 0.25f);
            p.loaded = true;
        }
    });
    model->prepare();
    return model;
}

// Two 4-bit weights: a 2 -> 1 QDense kernel. Global bits 0..3 = weight 1 MSB..LSB, 4..7 = weight 2.
std::unique_ptr<Model> twoFourBitWeights() { return denseChain({qdense("dense", 1, "quantized_bits(4,1,0,alpha=1)")}); }

std::vector<int64_t> oneBased(const std::vector<int64_t>& order) {
    std::vector<int64_t> out;
    for (int64_t bit : order) out.push_back(bit + 1);
    return out;
}

bool isPermutation(std::vector<int64_t> order, int64_t n) {
    std::sort(order.begin(), order.end());
    std::vector<int64_t> identity(static_cast<size_t>(n));
    std::iota(identity.begin(), identity.end(), int64_t{0});
    return order == identity;
}

// Campaign results over `n` single bits: bit i has delta[i]; protect = delta > 0 (lower is better).
CampaignResults resultsWithDeltas(const std::vector<double>& delta) {
    CampaignResults results;
    results.info.metric = "emd";
    results.info.lowerIsBetter = true;
    results.info.bitSpace = json::array({{{"layer", "dense"}, {"tensor", "kernel"}, {"size", delta.size()}}});
    for (size_t i = 0; i < delta.size(); ++i) {
        FaultResult r;
        r.faultIndex = static_cast<int64_t>(i);
        r.globalBit = static_cast<int64_t>(i);
        r.delta = delta[i];
        r.protect = delta[i] > 0;
        results.faults.push_back(r);
    }
    return results;
}

void writeText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

class TestRankings : public QObject {
    Q_OBJECT
private slots:
    void msbRankingOfTwoFourBitWeights() {
        const auto model = twoFourBitWeights();
        const BitSpace space(*model);
        QCOMPARE(space.size(), int64_t(8));
        const BitRanking msb = msbRanking(space);
        QCOMPARE(oneBased(msb.order), (std::vector<int64_t>{1, 5, 2, 6, 3, 7, 4, 8}));
        QCOMPARE(msb.score.size(), msb.order.size());
        QVERIFY(std::is_sorted(msb.score.rbegin(), msb.score.rend()));  // rank-derived, decreasing
    }

    void gradientRankingPutsTheLargerGradientFirst() {
        const auto model = twoFourBitWeights();
        const BitSpace space(*model);
        // Weight 2 has the larger |gradient|.
        const BitRanking r = bitRankingFromParameterScores("gradient", space, {{0.1, 0.7}});
        QCOMPARE(oneBased(r.order), (std::vector<int64_t>{5, 1, 6, 2, 7, 3, 8, 4}));
        QCOMPARE(r.score, (std::vector<double>{0.7, 0.1, 0.7, 0.1, 0.7, 0.1, 0.7, 0.1}));
        // Equal scores keep parameter order: the MSB ranking again.
        QCOMPARE(oneBased(bitRankingFromParameterScores("tie", space, {{0.3, 0.3}}).order),
                 (std::vector<int64_t>{1, 5, 2, 6, 3, 7, 4, 8}));
    }

    void mixedWidthsGroupByPositionFromTheMsb() {
        // Layer a: 2 weights x 3 bits (globals 0-2, 3-5); layer b: 1 weight x 2 bits (6-7).
        const auto model = denseChain({qdense("a", 1, "quantized_bits(3,1,0,alpha=1)"),
                                       qdense("b", 1, "quantized_bits(2,1,0,alpha=1)")});
        const BitSpace space(*model);
        QCOMPARE(space.size(), int64_t(8));
        // Parameter order by score: a[1] (3), b[0] (2), a[0] (1). MSBs first in that order, then
        // the middle bits, then the LSBs; b has no third position, so its bits end earlier.
        const BitRanking r = bitRankingFromParameterScores("g", space, {{1.0, 3.0}, {2.0}});
        QCOMPARE(r.order, (std::vector<int64_t>{3, 6, 0, 4, 7, 1, 5, 2}));
        EXPECT_THROW_WITH(InputError, bitRankingFromParameterScores("g", space, {{1.0}, {2.0}}), "a", "kernel");
    }

    void bitScoresRankDirectly() {
        const BitRanking r = bitRankingFromBitScores("bits", {0.5, 2.0, std::nan(""), 2.0, 1.0});
        // Descending, ties by global index, NaN last.
        QCOMPARE(r.order, (std::vector<int64_t>{1, 3, 4, 0, 2}));
    }

    void randomIsASeededPermutation() {
        const auto model = denseChain({qdense("wide", 16, "quantized_bits(6,1,0,alpha=1)")});
        const BitSpace space(*model);  // 32 weights x 6 bits
        const BitRanking a = randomRanking(space, 7654);
        const BitRanking b = randomRanking(space, 7654);
        const BitRanking c = randomRanking(space, 7655);
        QVERIFY(isPermutation(a.order, space.size()));
        QVERIFY(isPermutation(c.order, space.size()));
        QCOMPARE(a.order, b.order);
        QVERIFY(a.order != c.order);
        std::vector<int64_t> identity(a.order.size());
        std::iota(identity.begin(), identity.end(), int64_t{0});
        QVERIFY(a.order != identity);
    }

    void pythonRandomMatchesCPython() {
        // Known answers from CPython 3.11's random module (the numbers FKeras's ranking draws).
        PythonRandom words(7654);  // random.seed(7654); [random.getrandbits(32) for _ in range(3)]
        QCOMPARE(words.next32(), 2298217828u);
        QCOMPARE(words.next32(), 3794754323u);
        QCOMPARE(words.next32(), 105758513u);
        PythonRandom bits(7654);  // random.getrandbits(7), (33), (64) after random.seed(7654)
        QCOMPARE(bits.getrandbits(7), uint64_t{68});
        QCOMPARE(bits.getrandbits(33), uint64_t{3794754323u});
        QCOMPARE(bits.getrandbits(64), uint64_t{655527930815759702u});
        // random.seed(s); random.sample(range(n), k)
        QCOMPARE(pythonSample(10, 10, 0), (std::vector<int64_t>{6, 9, 0, 2, 4, 3, 5, 1, 8, 7}));
        QCOMPARE(pythonSample(50, 7, 3), (std::vector<int64_t>{15, 37, 34, 8, 23, 38, 30}));
        const std::vector<int64_t> twoWords = pythonSample(100, 100, (uint64_t{1} << 40) + 5);
        QCOMPARE(std::vector<int64_t>(twoWords.begin(), twoWords.begin() + 6), (std::vector<int64_t>{64, 66, 34, 84, 3, 67}));
        // The study's random ranking of the Medium ECON-T encoder's 12,720 bits.
        const std::vector<int64_t> medium = pythonSample(12720, 12720, 7654);
        QVERIFY(isPermutation(medium, 12720));
        QCOMPARE(std::vector<int64_t>(medium.begin(), medium.begin() + 6),
                 (std::vector<int64_t>{8767, 403, 1063, 582, 3747, 2542}));
        QCOMPARE(std::vector<int64_t>(medium.end() - 3, medium.end()), (std::vector<int64_t>{4902, 4235, 472}));
        EXPECT_THROW_WITH(InputError, pythonSample(5, 6, 1), "6 of 5");
    }

    void randomRankingIsFkerasPermutation() {
        const auto model = denseChain({qdense("wide", 16, "quantized_bits(6,1,0,alpha=1)")});
        const BitSpace space(*model);  // 32 weights x 6 bits = 192 bits
        const BitRanking r = randomRanking(space, 7654);
        // random.seed(7654); random.sample(range(192), 192)
        QCOMPARE(std::vector<int64_t>(r.order.begin(), r.order.begin() + 8),
                 (std::vector<int64_t>{136, 6, 16, 9, 58, 39, 41, 94}));
        QCOMPARE(std::vector<int64_t>(r.order.end() - 3, r.order.end()), (std::vector<int64_t>{144, 38, 44}));
    }

    void csvRoundTrip() {
        QTemporaryDir dir;
        const auto model = denseChain({qdense("a", 1, "quantized_bits(3,1,0,alpha=1)"),
                                       qdense("b", 1, "quantized_bits(2,1,0,alpha=1)")});
        const BitSpace space(*model);
        const BitRanking r = bitRankingFromParameterScores("g", space, {{1.0 / 3.0, 3e-12}, {2.5}});
        const std::string path = dir.filePath("my-ranking.csv").toStdString();
        writeRankingCsv(r, space, path);
        std::ifstream in(path);
        std::string header, first;
        std::getline(in, header);
        std::getline(in, first);
        QCOMPARE(header, std::string("rank,layer,tensor,index,bit,score"));
        QCOMPARE(first, std::string("1,b,kernel,0,1,2.5"));  // b's MSB is bit 1 (0 = LSB)
        const BitRanking back = readRankingCsv(path, space);
        QCOMPARE(back.method, std::string("my-ranking"));
        QCOMPARE(back.order, r.order);
        QCOMPARE(back.score, r.score);  // written with 17 digits: exact
    }

    void badCsvNamesFileAndLine() {
        QTemporaryDir dir;
        const auto model = twoFourBitWeights();
        const BitSpace space(*model);
        const std::string path = dir.filePath("bad.csv").toStdString();
        const std::string header = "rank,layer,tensor,index,bit,score\n";
        writeText(path, "rank,layer,index,bit\n1,dense,0,3\n");
        EXPECT_THROW_WITH(InputError, readRankingCsv(path, space), path + ":1", "header");
        writeText(path, header + "1,dense,kernel,0,3,1\n2,nolayer,kernel,0,3,1\n");
        EXPECT_THROW_WITH(InputError, readRankingCsv(path, space), path + ":3", "nolayer");
        writeText(path, header + "1,dense,kernel,2,3,1\n");
        EXPECT_THROW_WITH(InputError, readRankingCsv(path, space), path + ":2", "index 2");
        writeText(path, header + "1,dense,kernel,1,4,1\n");
        EXPECT_THROW_WITH(InputError, readRankingCsv(path, space), path + ":2", "bit 4");
        writeText(path, header + "1,dense,kernel,1,3,1\n2,dense,kernel,0,0,1\n3,dense,kernel,1,3,0.5\n");
        EXPECT_THROW_WITH(InputError, readRankingCsv(path, space), path + ":4", "repeats", "line 2");
        writeText(path, header + "1,dense,kernel,x,3,1\n");
        EXPECT_THROW_WITH(InputError, readRankingCsv(path, space), path + ":2", "index 'x'");
        writeText(path, header + "1,dense,kernel,0,3\n");
        EXPECT_THROW_WITH(InputError, readRankingCsv(path, space), path + ":2", "6 fields");
        EXPECT_THROW_WITH(InputError, readRankingCsv(dir.filePath("missing.csv").toStdString(), space), "missing.csv");
    }

    void oracleAgainstItselfScoresExactlyOne() {
        const CampaignResults results = resultsWithDeltas({0.5, -0.1, 0.0, 2.0, 0.25, -3.0, 0.75, 0.1});
        const Oracle oracle = makeOracle(results);
        QCOMPARE(oracle.evaluatedCount, int64_t(8));
        QCOMPARE(oracle.sensitiveCount, int64_t(5));
        QCOMPARE(oracle.order, (std::vector<int64_t>{3, 6, 0, 4, 7, 2, 1, 5}));
        const RankingCurve best = oracleCurve(oracle);
        QCOMPARE(best.found, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 5, 5, 5}));
        QCOMPARE(best.damage.back(), 3.6);
        const RankingScore s = scoreRanking(best, oracle);
        QCOMPARE(s.foundScore, 1.0);
        QCOMPARE(s.damageScore, 1.0);
        QCOMPARE(s.precisionAtK, 1.0);
        QCOMPARE(s.recallAtK, 1.0);
        QCOMPARE(s.bitsFor99, int64_t(4));  // int(0.99 * 5) = 4 bits, as FKeras counts
        // The reversed order scores below 1.
        std::vector<int64_t> order = oracle.order;
        std::reverse(order.begin(), order.end());
        const RankingScore worst = scoreRanking(rankingCurve("reversed", order, oracle), oracle);
        QCOMPARE(worst.foundScore, 15.0 / 30.0);  // found 0,0,0,1,2,3,4,5 vs 1,2,3,4,5,5,5,5
        QVERIFY(worst.damageScore < 0.5);
        QCOMPARE(worst.precisionAtK, 0.4);  // its first 5 bits (5, 1, 2, 7, 4) hold 2 sensitive ones
    }

    void curvesSkipUnevaluatedBitsAndAppendMissingOnes() {
        CampaignResults results = resultsWithDeltas({1.0, 0.0, 2.0, 0.0, 3.0, 0.0});
        results.faults.erase(results.faults.begin() + 1);  // bit 1 not evaluated
        const Oracle oracle = makeOracle(results);
        QCOMPARE(oracle.evaluatedCount, int64_t(5));
        // The ranking names an unevaluated bit (1), an out-of-range one (99) and lacks 0, 3, 5.
        const RankingCurve c = rankingCurve("partial", {4, 1, 99, 2}, oracle);
        QCOMPARE(c.found, (std::vector<int64_t>{0, 1, 2, 3, 3, 3}));  // 4, 2, then 0, 3, 5
        QCOMPARE(c.damage, (std::vector<double>{0, 3, 5, 6, 6, 6}));
    }

    void higherIsBetterMetricsCountDropsAsDamage() {
        CampaignResults results = resultsWithDeltas({-0.5, 0.2, -0.1});
        results.info.lowerIsBetter = false;
        for (FaultResult& r : results.faults) r.protect = r.delta < 0;
        const Oracle oracle = makeOracle(results);
        QCOMPARE(oracle.order, (std::vector<int64_t>{0, 2, 1}));
        QCOMPARE(oracle.damage, (std::vector<double>{0.5, 0.0, 0.1}));
    }

    void noSingleBitFaultsIsAnError() {
        CampaignResults results = resultsWithDeltas({});
        FaultResult ber;
        ber.bitErrorRate = 1e-3;
        ber.bits = {1, 2};
        results.faults.push_back(ber);
        results.info.plan = CampaignPlan::parse("ber:0.001");
        EXPECT_THROW_WITH(InputError, makeOracle(results), "single-bit", "ber");
    }

    void randomRankingScoresNearItsExpectation() {
        // N bits, S of them sensitive at random places. A sensitive bit at (1-based) rank p adds 1 to
        // found[k] for k = p..N, so a uniformly random ranking has E[area] = S (N + 1) / 2; the
        // oracle's area is sum_k min(k, S) = S (N - S/2 + 1/2). Expected found score:
        // (N + 1) / (2N - S + 1) = 0.5264 here (-> 0.5 when few bits matter). Its standard deviation
        // is about N sqrt(S (1 - S/N) / 12) / oracle area = 0.02: each seed must lie within 0.1 and
        // the mean of 20 seeds within 0.02 of the expectation.
        const int64_t n = 2000, sensitive = 200;
        std::vector<double> delta(n, -0.1);
        SplitMix64 place(99);
        for (int64_t placed = 0; placed < sensitive;) {
            const uint64_t i = place.below(n);
            if (delta[i] < 0) delta[i] = 0.01 + place.uniform(), ++placed;
        }
        const Oracle oracle = makeOracle(resultsWithDeltas(delta));
        QCOMPARE(oracle.sensitiveCount, sensitive);
        const double expected = double(n + 1) / double(2 * n - sensitive + 1);
        const auto model = denseChain({qdense("wide", 500, "quantized_bits(2,1,0,alpha=1)")});
        const BitSpace space(*model);  // 2 x 500 weights x 2 bits = 2000 bits
        QCOMPARE(space.size(), n);
        double sum = 0.0;
        for (uint64_t seed = 1; seed <= 20; ++seed) {
            const RankingCurve curve = rankingCurve("random", randomRanking(space, seed).order, oracle);
            const RankingScore s = scoreRanking(curve, oracle);
            QVERIFY2(std::fabs(s.foundScore - expected) < 0.1, qPrintable(QString::number(s.foundScore)));
            QVERIFY(s.damageScore > 0.3 && s.damageScore < 0.75);
            sum += s.foundScore;
        }
        QVERIFY2(std::fabs(sum / 20 - expected) < 0.02, qPrintable(QString::number(sum / 20)));
    }

    void topPercentOracle() {
        std::vector<double> delta;
        for (int i = 0; i < 200; ++i) delta.push_back(i % 2 ? 0.001 * i : -1.0);  // 100 sensitive
        const Oracle all = makeOracle(resultsWithDeltas(delta));
        const Oracle top = flipscope::topPercentOracle(all, 10);
        QCOMPARE(top.sensitiveCount, int64_t(20));  // int(10% of 200 evaluated bits)
        QCOMPARE(top.label, std::string("top 10%"));
        for (int64_t i = 0; i < 200; ++i) QCOMPARE(bool(top.sensitive[i]), i % 2 == 1 && i >= 161);
        QCOMPARE(scoreRanking(oracleCurve(top), top).foundScore, 1.0);
        // Ranking every sensitive bit by ascending damage finds the top 10% only at the end of them.
        std::vector<int64_t> ascending;
        for (int64_t i = 1; i < 200; i += 2) ascending.push_back(i);
        const RankingScore s = scoreRanking(rankingCurve("asc", ascending, top), top);
        QCOMPARE(s.precisionAtK, 0.0);
        QCOMPARE(s.bitsFor99, int64_t(99));  // int(0.99 * 20) = 19 found at the 99th ranked bit
        EXPECT_THROW_WITH(InputError, flipscope::topPercentOracle(all, 0), "p must be");
    }

    void bitsFor99PrecisionAndRecall() {
        // 100 sensitive bits (0..99) and 100 harmless ones (100..199). The ranking: 98 sensitive,
        // then 50 harmless, then the last 2 sensitive, then the rest.
        std::vector<double> delta(200, 0.0);
        for (int i = 0; i < 100; ++i) delta[i] = 1.0;
        const Oracle oracle = makeOracle(resultsWithDeltas(delta));
        std::vector<int64_t> order;
        for (int64_t i = 0; i < 98; ++i) order.push_back(i);
        for (int64_t i = 100; i < 150; ++i) order.push_back(i);
        order.push_back(98);
        order.push_back(99);
        const RankingScore s = scoreRanking(rankingCurve("r", order, oracle), oracle);
        QCOMPARE(s.atK, int64_t(100));
        QCOMPARE(s.bitsFor99, int64_t(149));  // the 99th sensitive bit is ranked 98 + 50 + 1
        QCOMPARE(s.precisionAtK, 0.98);
        QCOMPARE(s.recallAtK, 0.98);
    }
};

QTEST_APPLESS_MAIN(TestRankings)
#include "tst_rankings.moc"
