// The fast (incremental) campaign engine must give exactly the reference engine's numbers: on
// every bundled ECON-T sample model, over a stratified sample of bits in every layer, and for
// kernels and biases.
#include "common/test_paths.h"
#include "core/common/random.h"
#include "core/faults/campaign_job.h"
#include "core/io/npy.h"

#include <QtTest>

using namespace flipscope;

namespace {

// Sparse, shower-like 8x8 maps: a few non-zero cells with positive charges, in the ECON-T
// input range (sums of order 1), plus some all-dense ones.
std::string writeMaps(const QTemporaryDir& dir, int samples) {
    SplitMix64 rng(2024);
    std::vector<float> maps(samples * 64, 0.0f);
    for (int s = 0; s < samples; ++s) {
        const int hits = 3 + static_cast<int>(rng.below(12));
        for (int h = 0; h < hits; ++h) {
            const int row = static_cast<int>(rng.below(8)), col = static_cast<int>(rng.below(8));
            if (row >= 4 && col >= 4) continue;  // the ECON-T layout leaves this quadrant empty
            maps[s * 64 + row * 8 + col] += static_cast<float>(rng.uniform() * 0.5);
        }
    }
    const std::string path = dir.filePath("maps.npy").toStdString();
    writeNpyFloat32(path, {samples, 8, 8, 1}, maps.data());
    return path;
}

CampaignResults run(const std::string& model, const std::string& data, const std::string& engine,
                    const std::string& out) {
    CampaignSetup setup;
    setup.modelPath = model;
    setup.dataSpec = data;
    setup.metric = "emd";
    setup.plan = CampaignPlan::parse("stratified:0.08:0.9");
    setup.filter.tensors = {"kernel", "bias"};
    setup.engine = engine;
    setup.outPath = out;
    CampaignJob job(setup);
    CampaignControl control;
    job.run(control, {});
    return readCampaignResults(out);
}

}  // namespace

class TestFastEngine : public QObject {
    Q_OBJECT
private slots:
    void matchesReferenceOnSampleModels_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("small") << "econt-small.h5";
        QTest::newRow("medium") << "econt-medium.h5";
        QTest::newRow("large") << "econt-large.h5";
    }
    void matchesReferenceOnSampleModels() {
        QFETCH(QString, model);
        const std::string path = (test::sourceDir() / "sample_models" / model.toStdString()).string();
        QVERIFY2(std::filesystem::exists(path), path.c_str());
        QTemporaryDir dir;
        const std::string data = writeMaps(dir, 48);
        const auto reference = run(path, data, "reference", dir.filePath("ref.h5").toStdString());
        const auto fast = run(path, data, "fast", dir.filePath("fast.h5").toStdString());
        QCOMPARE(fast.info.baseline, reference.info.baseline);
        QCOMPARE(fast.faults.size(), reference.faults.size());
        QVERIFY(fast.faults.size() > 50);
        std::set<int> tensorsSeen;
        for (size_t i = 0; i < fast.faults.size(); ++i) {
            const FaultResult& a = reference.faults[i];
            const FaultResult& b = fast.faults[i];
            QCOMPARE(b.globalBit, a.globalBit);
            if (b.metric != a.metric)
                QFAIL(qPrintable(QString("fault %1 (tensor %2, param %3, bit %4): fast %5, reference %6")
                                     .arg(i).arg(a.tensor).arg(a.param).arg(a.bit)
                                     .arg(b.metric, 0, 'g', 17).arg(a.metric, 0, 'g', 17)));
            QCOMPARE(b.protect, a.protect);
            tensorsSeen.insert(a.tensor);
        }
        // Every kernel and bias of the encoder was sampled.
        QCOMPARE(tensorsSeen.size(), fast.info.bitSpace.size());
    }
};

QTEST_APPLESS_MAIN(TestFastEngine)
#include "tst_fast_engine.moc"
