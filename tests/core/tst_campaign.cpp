// Fault-injection campaigns: known answers on a tiny hand-built model, agreement with a model file
// whose bit was flipped by hand, thread-count independence, resume after a stop, prompt cancel,
// refusal to resume results of another model or planned in another order, and clear errors for
// unusable results files.
#include "core/common/error.h"
#include "core/faults/campaign_analysis.h"
#include "core/faults/campaign_job.h"
#include "core/faults/results_store.h"
#include "core/io/keras_h5_writer.h"
#include "core/io/keras_model_config.h"
#include "core/io/npy.h"

#include <QtTest>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace flipscope;
using nlohmann::json;

namespace {

// A 2 -> 2 QDense "autoencoder" without bias; kernel quantizer quantized_bits(4,1,alpha=1):
// step 0.25, codes -8..7, values -2..1.75. With the identity kernel and inputs e0, e1, the output
// equals the input and the MSE baseline is exactly 0.
json tinyConfig() {
    return json::parse(R"json({"class_name": "Sequential", "config": {"name": "tiny", "layers": [
        {"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, 2]}},
        {"class_name": "QDense", "config": {"name": "dense", "units": 2, "use_bias": false,
          "kernel_quantizer": "quantized_bits(4,1,0,alpha=1)", "activation": "linear"}}]}})json");
}

struct TinyFiles {
    QTemporaryDir dir;
    std::string model, data;
};

void makeTinyFiles(TinyFiles& files, std::vector<float> kernel, std::vector<float> data) {
    auto model = buildModelFromConfig(tinyConfig(), "tiny");
    LayerParameter* k = model->findLayer("dense")->parameter("kernel");
    k->stored = Tensor({2, 2}, std::move(kernel));
    k->loaded = true;
    model->prepare();
    files.model = files.dir.filePath("tiny.h5").toStdString();
    files.data = files.dir.filePath("data.npy").toStdString();
    writeKerasModel(*model, files.model);
    const int64_t rows = static_cast<int64_t>(data.size() / 2);
    writeNpyFloat32(files.data, {rows, 2}, data.data());
}

// Enough samples that one fault's evaluation takes milliseconds, so a stop lands mid-campaign.
std::vector<float> manySamples(int count) {
    std::vector<float> data;
    for (int i = 0; i < 2 * count; ++i) data.push_back(float(i % 7) * 0.25f);
    return data;
}

CampaignSetup tinySetup(const TinyFiles& files, const std::string& out) {
    CampaignSetup setup;
    setup.modelPath = files.model;
    setup.dataSpec = files.data;
    setup.metric = "mse";
    setup.outPath = out;
    setup.threads = 1;
    return setup;
}

CampaignResults runToEnd(const CampaignSetup& setup) {
    CampaignJob job(setup);
    CampaignControl control;
    job.run(control, {});
    return readCampaignResults(setup.outPath);
}

// A stopped campaign's file holding `results`, as if a run had been cancelled after them.
void writeStoppedCampaign(const std::string& path, const CampaignInfo& info, const std::vector<FaultResult>& results) {
    ResultsWriter writer = ResultsWriter::create(path, info, true);
    writer.append(results);
    writer.setStatus("cancelled");
}

// Resuming with `setup` must be refused with a message containing each of `needles`.
void expectResumeRefused(CampaignSetup setup, std::initializer_list<const char*> needles) {
    setup.resume = true;
    try {
        CampaignJob job(setup);
        QFAIL("the resume must be refused");
    } catch (const InputError& e) {
        for (const char* needle : needles) QVERIFY2(QString(e.what()).contains(needle), e.what());
    }
}

}  // namespace

class TestCampaign : public QObject {
    Q_OBJECT
private slots:
    void knownAnswersOnTinyModel() {
        TinyFiles files;
        makeTinyFiles(files, {1, 0, 0, 1}, {1, 0, 0, 1});
        const auto results = runToEnd(tinySetup(files, files.dir.filePath("r.h5").toStdString()));
        QCOMPARE(results.info.baseline, 0.0);
        QCOMPARE(results.faults.size(), size_t(16));  // 4 weights x 4 bits
        // Weight W00 = 1.0 (code 4 = 0100). Flipping bit b changes sample e0's first output only:
        // per-sample MSE = (W00' - 1)^2 / 2, dataset mean over 2 samples = (W00' - 1)^2 / 4.
        // bit 3 (sign, first in MSB-first order): code -4 -> -1.0 -> 4/4 = 1.0
        // bit 2: code 0 -> 0.0 -> 0.25; bit 1: code 6 -> 1.5 -> 0.0625; bit 0: code 5 -> 1.25 -> 0.015625
        const double w00[] = {1.0, 0.25, 0.0625, 0.015625};
        const double flipped00[] = {-1.0, 0.0, 1.5, 1.25};
        // W10 = 0 (code 0), read by sample e1 only: bit 3 -> -8 -> -2.0 (4/4 = 1.0); bit 2 -> 1.0
        // (0.25); bit 1 -> 0.5; bit 0 -> 0.25. The same for W01 with sample e0.
        const double w10[] = {1.0, 0.25, 0.0625, 0.015625};
        // The plan goes output unit by output unit: unit 0's weights W00 and W10 (parameters 0 and
        // 2 of the row-major kernel), then unit 1's W01 and W11 (1 and 3), each MSB first.
        const int64_t paramInPlanOrder[] = {0, 2, 1, 3};
        for (int f = 0; f < 16; ++f) {
            QCOMPARE(results.faults[f].param, paramInPlanOrder[f / 4]);
            QCOMPARE(results.faults[f].bit, 3 - f % 4);
            QCOMPARE(results.faults[f].globalBit, paramInPlanOrder[f / 4] * 4 + f % 4);
        }
        for (int i = 0; i < 4; ++i) {
            const FaultResult& a = results.faults[i];
            QCOMPARE(a.flipped, flipped00[i]);
            QCOMPARE(a.metric, w00[i]);
            QVERIFY(a.protect);
            QCOMPARE(results.faults[4 + i].metric, w10[i]);
            QCOMPARE(results.faults[8 + i].metric, w10[i]);
        }
        const CampaignSummary summary = summarizeCampaign(results);
        QCOMPARE(summary.overall.protect, int64_t(16));
        QCOMPARE(summary.normalizedBitsToProtect, 1.0);
        // The oracle ranks the sign bits (damage 1.0) first, lowest global index first on ties.
        const auto oracle = oracleRanking(results);
        QCOMPARE(oracle.size(), size_t(16));
        QCOMPARE(oracle[0], int64_t(0));
        QCOMPARE(oracle[1], int64_t(4));
    }

    void oneFlipEqualsHandFlippedModelFile() {
        // A kernel off the identity, so flips move the metric both ways.
        TinyFiles files;
        makeTinyFiles(files, {0.75f, -0.5f, 0.25f, 1.25f}, {1, 0, 0, 1, 0.5f, 0.5f, -1, 2});
        const auto results = runToEnd(tinySetup(files, files.dir.filePath("r.h5").toStdString()));
        // Flip global bit 6 = weight 1 (W01 = -0.5, code -2 = 1110), bit position 1 -> 1100 = -4 -> -1.0;
        // the plan's third weight (unit 1's first), its third bit.
        const FaultResult& r = results.faults[10];
        QCOMPARE(r.globalBit, int64_t(6));
        QCOMPARE(r.param, int64_t(1));
        QCOMPARE(r.bit, 1);
        QCOMPARE(r.flipped, -1.0);
        TinyFiles flipped;
        makeTinyFiles(flipped, {0.75f, -1.0f, 0.25f, 1.25f}, {1, 0, 0, 1, 0.5f, 0.5f, -1, 2});
        CampaignSetup setup = tinySetup(flipped, flipped.dir.filePath("r.h5").toStdString());
        const auto clean = runToEnd(setup);
        QCOMPARE(clean.info.baseline, r.metric);
    }

    void threadCountDoesNotChangeResults() {
        TinyFiles files;
        makeTinyFiles(files, {0.75f, -0.5f, 0.25f, 1.25f}, {1, 0, 0, 1, 0.5f, 0.5f, -1, 2, 0.25f, -0.75f});
        CampaignSetup one = tinySetup(files, files.dir.filePath("one.h5").toStdString());
        CampaignSetup two = one;
        two.outPath = files.dir.filePath("two.h5").toStdString();
        two.threads = 2;
        const auto a = runToEnd(one);
        const auto b = runToEnd(two);
        QCOMPARE(a.faults.size(), b.faults.size());
        for (size_t i = 0; i < a.faults.size(); ++i) {
            QCOMPARE(a.faults[i].faultIndex, b.faults[i].faultIndex);
            QCOMPARE(a.faults[i].metric, b.faults[i].metric);
        }
    }

    void resumeAfterStopGivesIdenticalResults() {
        TinyFiles files;
        makeTinyFiles(files, {0.75f, -0.5f, 0.25f, 1.25f}, manySamples(300000));
        const auto full = runToEnd(tinySetup(files, files.dir.filePath("full.h5").toStdString()));

        CampaignSetup setup = tinySetup(files, files.dir.filePath("part.h5").toStdString());
        {
            CampaignJob job(setup);
            CampaignControl control;
            int64_t seen = 0;
            // Stop once a few results are in, as a user's Ctrl-C would.
            const auto outcome = job.run(control, {}, [&](const std::vector<FaultResult>& batch) {
                seen += static_cast<int64_t>(batch.size());
                if (seen >= 5) control.cancel = true;
            });
            QVERIFY(outcome.cancelled);
        }
        const auto partial = readCampaignResults(setup.outPath);
        QCOMPARE(partial.info.status, std::string("cancelled"));
        QVERIFY(partial.faults.size() >= 5 && partial.faults.size() < 16);
        setup.resume = true;
        const auto resumed = runToEnd(setup);
        QCOMPARE(resumed.info.status, std::string("complete"));
        QCOMPARE(resumed.faults.size(), full.faults.size());
        for (size_t i = 0; i < full.faults.size(); ++i) {
            QCOMPARE(resumed.faults[i].faultIndex, full.faults[i].faultIndex);
            QCOMPARE(resumed.faults[i].metric, full.faults[i].metric);
            QCOMPARE(resumed.faults[i].flipped, full.faults[i].flipped);
        }
    }

    void resumeRefusesAnotherModel() {
        TinyFiles files;
        makeTinyFiles(files, {1, 0, 0, 1}, {1, 0, 0, 1});
        CampaignSetup setup = tinySetup(files, files.dir.filePath("r.h5").toStdString());
        runToEnd(setup);
        TinyFiles other;
        makeTinyFiles(other, {1, 0.25f, 0, 1}, {1, 0, 0, 1});
        expectResumeRefused(tinySetup(other, setup.outPath), {"model"});
    }

    void resumeRefusesResultsPlannedInAnotherOrder() {
        // A stopped campaign whose file holds the first results in global bit order (as a plan
        // that did not go unit by unit would have made them): continuing it would give the plan's
        // later faults to the wrong rows, so resume must refuse and name the fault.
        TinyFiles files;
        makeTinyFiles(files, {1, 0, 0, 1}, {1, 0, 0, 1});
        CampaignSetup setup = tinySetup(files, files.dir.filePath("r.h5").toStdString());
        const auto full = runToEnd(setup);
        std::vector<FaultResult> byGlobalBit = full.faults;
        std::sort(byGlobalBit.begin(), byGlobalBit.end(),
                  [](const FaultResult& a, const FaultResult& b) { return a.globalBit < b.globalBit; });
        byGlobalBit.resize(6);
        for (size_t i = 0; i < byGlobalBit.size(); ++i) byGlobalBit[i].faultIndex = static_cast<int64_t>(i);
        writeStoppedCampaign(setup.outPath, full.info, byGlobalBit);
        expectResumeRefused(setup, {"result 4 is dense kernel[1] bit 3", "another order"});
        // The same file with the plan's own first results resumes.
        writeStoppedCampaign(setup.outPath, full.info, {full.faults.begin(), full.faults.begin() + 6});
        setup.resume = true;
        const auto resumed = runToEnd(setup);
        QCOMPARE(resumed.faults.size(), full.faults.size());
        for (size_t i = 0; i < full.faults.size(); ++i) QCOMPARE(resumed.faults[i].metric, full.faults[i].metric);
    }

    void resumeRefusesFilesOfTheFlatOrder() {
        // A stopped campaign from before plans went unit by unit: its bit space has no units.
        TinyFiles files;
        makeTinyFiles(files, {1, 0, 0, 1}, {1, 0, 0, 1});
        CampaignSetup setup = tinySetup(files, files.dir.filePath("r.h5").toStdString());
        const auto full = runToEnd(setup);
        CampaignInfo older = full.info;
        for (auto& tensor : older.bitSpace) tensor.erase("units");
        writeStoppedCampaign(setup.outPath, older, {full.faults.front()});
        expectResumeRefused(setup, {"planned weight after weight"});
    }

    void existingResultsAreNotOverwrittenSilently() {
        TinyFiles files;
        makeTinyFiles(files, {1, 0, 0, 1}, {1, 0, 0, 1});
        CampaignSetup setup = tinySetup(files, files.dir.filePath("r.h5").toStdString());
        runToEnd(setup);
        QVERIFY_THROWS_EXCEPTION(InputError, CampaignJob{setup});
    }

    void unwritablePathIsAClearError() {
        TinyFiles files;
        makeTinyFiles(files, {1, 0, 0, 1}, {1, 0, 0, 1});
        CampaignSetup setup = tinySetup(files, "/nonexistent-dir/results.h5");
        try {
            CampaignJob job(setup);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("results.h5"), e.what());
        }
    }

    void fullDiskIsAClearError() {
        if (!QFile::exists("/dev/full")) QSKIP("no /dev/full on this system");
        TinyFiles files;
        makeTinyFiles(files, {1, 0, 0, 1}, {1, 0, 0, 1});
        CampaignSetup setup = tinySetup(files, "/dev/full");
        setup.overwrite = true;
        try {
            CampaignJob job(setup);
            CampaignControl control;
            job.run(control, {});
            QFAIL("writing results to a full device must fail");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("/dev/full"), e.what());
        }
    }

    void cancelIsPrompt() {
        // Many samples, so one fault's evaluation spans many chunks; cancel must not wait for it.
        // The cancel comes with the first delivered result: the campaign is then surely running
        // (the first window holds one fault, and the others are being evaluated), however fast
        // the engine is.
        TinyFiles files;
        makeTinyFiles(files, {0.75f, -0.5f, 0.25f, 1.25f}, manySamples(2000000));
        CampaignSetup setup = tinySetup(files, files.dir.filePath("r.h5").toStdString());
        setup.threads = 2;
        CampaignJob job(setup);
        CampaignControl control;
        std::chrono::steady_clock::time_point cancelledAt;
        int64_t total = 0;
        const auto outcome = job.run(control, [&](const CampaignProgress& progress) { total = progress.total; },
                                     [&](const std::vector<FaultResult>&) {
            if (control.cancel) return;
            cancelledAt = std::chrono::steady_clock::now();
            control.cancel = true;
        });
        const auto returned = std::chrono::steady_clock::now();
        QVERIFY(outcome.cancelled);
        QVERIFY(outcome.evaluated > 0 && outcome.evaluated < total);
        const double ms = std::chrono::duration<double, std::milli>(returned - cancelledAt).count();
        qInfo("cancel answered in %.1f ms after %lld of %lld faults", ms, static_cast<long long>(outcome.evaluated),
              static_cast<long long>(total));
        QVERIFY2(ms < 1000.0, qPrintable(QString("cancel took %1 ms").arg(ms)));
    }
};

QTEST_APPLESS_MAIN(TestCampaign)
#include "tst_campaign.moc"
