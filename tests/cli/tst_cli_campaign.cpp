// End to end through the flipscope-cli binary: emd, evaluate, campaign (with CSV, stop and
// resume), summary.
#include "common/cli_process.h"
#include "common/test_paths.h"
#include "core/io/npy.h"

#include <QtTest>

using namespace flipscope;

namespace {

QString sampleModel(const char* name) {
    return QString::fromStdString((test::sourceDir() / "sample_models" / name).string());
}

// 400 sparse 8x8 maps as float32 NPY.
QString writeMaps(const QTemporaryDir& dir) {
    std::vector<float> maps(400 * 64, 0.0f);
    for (int s = 0; s < 400; ++s)
        for (int h = 0; h < 6; ++h) maps[s * 64 + ((s * 7 + h * 13) % 32)] += 0.1f * float(1 + (s + h) % 5);
    const QString path = dir.filePath("maps.npy");
    writeNpyFloat32(path.toStdString(), {400, 8, 8, 1}, maps.data());
    return path;
}

}  // namespace

class TestCliCampaign : public QObject {
    Q_OBJECT
private slots:
    void emdReproducesWorkedExamples() {
        QTemporaryDir dir;
        // Reference examples A (one-hot TC0 vs TC1: 2.0) and B (TC0 vs TC47: 12.134656377958395).
        std::vector<double> a(2 * 48, 0.0), b(2 * 48, 0.0);
        a[0] = 1; b[1] = 1;
        a[48 + 0] = 5; b[48 + 47] = 3;
        const std::string pa = dir.filePath("a.npy").toStdString(), pb = dir.filePath("b.npy").toStdString();
        writeNpyFloat64(pa, {2, 48}, a.data());
        writeNpyFloat64(pb, {2, 48}, b.data());
        const QString out = dir.filePath("emd.npy");
        const test::CliRun run = test::runCli({"emd", QString::fromStdString(pa), QString::fromStdString(pb), "--out", out});
        QCOMPARE(run.code, 0);
        const auto values = readNpyDoubles(out.toStdString());
        QCOMPARE(values.values.size(), size_t(2));
        QVERIFY(std::fabs(values.values[0] - 2.0) < 1e-9);
        QVERIFY(std::fabs(values.values[1] - 12.134656377958395) < 1e-9);
        QVERIFY(std::fabs(run.out.trimmed().toDouble() - (2.0 + 12.134656377958395) / 2) < 1e-9);
    }

    void campaignStopResumeAndSummary() {
        QTemporaryDir dir;
        const QString maps = writeMaps(dir);
        const QString model = sampleModel("econt-medium.h5");
        const test::CliRun evaluate = test::runCli({"evaluate", model, "--data", maps, "--metric", "emd"});
        QCOMPARE(evaluate.code, 0);
        QVERIFY2(evaluate.out.startsWith("emd "), qPrintable(evaluate.out));

        const QString full = dir.filePath("full.h5"), csv = dir.filePath("full.csv");
        const QStringList common{"campaign", model, "--data", maps, "--metric", "emd", "--plan", "sample:0.02:0.95",
                                 "--tensors", "kernel,bias", "--quiet"};
        test::CliRun run = test::runCli(common + QStringList{"--out", full, "--csv", csv, "--engine", "reference"});
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QFile table(csv);
        QVERIFY(table.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(table.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), QString("layer,tensor,index,bit,original,flipped,metric,delta,protect"));
        QVERIFY(lines.size() > 100);

        // The same campaign, stopped early, then resumed: the same table. The stopped run uses the
        // reference engine, which is still running after 300 ms (the fast one may be done by then),
        // and the fast engine finishes it: the engines' results are the same bits.
        const QString part = dir.filePath("part.h5"), partCsv = dir.filePath("part.csv");
        run = test::runCli(common + QStringList{"--out", part, "--engine", "reference"}, 300);
        QVERIFY2(run.code == 130, qPrintable(run.err));
        QVERIFY2(run.err.contains("continue with --resume"), qPrintable(run.err));
        run = test::runCli(common + QStringList{"--out", part, "--resume", "--csv", partCsv});
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QFile resumed(partCsv);
        QVERIFY(resumed.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(resumed.readAll()).split('\n', Qt::SkipEmptyParts), lines);

        const test::CliRun summary = test::runCli({"summary", full});
        QCOMPARE(summary.code, 0);
        QVERIFY(summary.out.contains("normalized bits to protect"));
        QVERIFY(summary.out.contains("encoder/encoded_vector kernel"));
    }

    void campaignErrorsAreOneLine() {
        QTemporaryDir dir;
        const QString maps = writeMaps(dir);
        const test::CliRun missing = test::runCli({"campaign", dir.filePath("nope.h5"), "--data", maps, "--metric", "emd", "--plan",
                                 "exhaustive", "--out", dir.filePath("r.h5")});
        QVERIFY(missing.code != 0);
        QVERIFY(missing.err.contains("nope.h5"));
        QCOMPARE(missing.err.trimmed().count('\n'), 0);
        const test::CliRun badPlan = test::runCli({"campaign", sampleModel("econt-medium.h5"), "--data", maps, "--metric", "emd",
                                 "--plan", "everything", "--out", dir.filePath("r.h5")});
        QVERIFY(badPlan.code != 0);
        QVERIFY(badPlan.err.contains("everything"));
        const test::CliRun classifierMetric = test::runCli({"campaign", sampleModel("econt-medium.h5"), "--data", maps, "--metric",
                                          "accuracy", "--plan", "exhaustive", "--out", dir.filePath("r.h5")});
        QVERIFY(classifierMetric.code != 0);
        QVERIFY(classifierMetric.err.contains("labels"));
    }
};

QTEST_MAIN(TestCliCampaign)
#include "tst_cli_campaign.moc"
