// `flipscope-cli plot` end to end: every figure kind from results files made by
// `flipscope-cli campaign`, written as PDF, SVG and PNG, and a data CSV byte for byte equal to
// what the GUI's figure code (buildFigure + writeFigureCsv) gives on the same inputs.
#include "common/cli_process.h"
#include "common/test_paths.h"

#include <QtTest>

#ifdef FLIPSCOPE_TEST_PLOT
#include "core/faults/bit_space_json.h"
#include "core/faults/results_store.h"
#include "core/sensitivity/bit_ranking.h"
#include "core/sensitivity/ranking_csv.h"
#include "ui/plots/figure.h"

#include <QImage>
#include <QSvgRenderer>
#include <qcustomplot.h>

#include <cmath>

using namespace flipscope;
using namespace flipscope::ui;

namespace {

QString sample(const std::string& relative) {
    return QString::fromStdString((test::sourceDir() / "sample_models" / relative).string());
}

QByteArray contents(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestCliPlot : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString small_, medium_, ber_, msbCsv_, randomCsv_;

    QString campaign(const QString& model, const QString& plan, const QString& name) {
        const QString out = dir_.filePath(name);
        const test::CliRun run = test::runCli({"campaign", sample(model.toStdString()), "--data", sample("data/econt-heldout.h5") + ":/images",
                             "--limit", "4", "--metric", "emd", "--plan", plan, "--out", out, "--quiet"});
        if (run.code != 0) qWarning() << run.err;
        return run.code == 0 ? out : QString();
    }

    // The GUI's path on the same inputs: buildFigure's table through writeFigureCsv.
    QByteArray guiCsv(FigureKind kind, const FigureInputs& inputs, const QString& name) {
        QCustomPlot plot;
        const QString path = dir_.filePath(name);
        writeFigureCsv(buildFigure(plot, kind, inputs, FigureStyle::screen()), path);
        return contents(path);
    }

private slots:
    void initTestCase() {
        small_ = campaign("econt-small.h5", "exhaustive", "small.h5");
        medium_ = campaign("econt-medium.h5", "sample:0.05:0.95", "medium.h5");
        ber_ = campaign("econt-small.h5", "ber:1e-3,1e-2:2", "ber.h5");
        QVERIFY(!small_.isEmpty() && !medium_.isEmpty() && !ber_.isEmpty());
        const CampaignResults results = readCampaignResults(small_.toStdString());
        const BitSpace space = bitSpaceFromJson(results.info.bitSpace, small_.toStdString());
        msbCsv_ = dir_.filePath("msb.csv");
        randomCsv_ = dir_.filePath("random.csv");
        writeRankingCsv(msbRanking(space), space, msbCsv_.toStdString());
        writeRankingCsv(randomRanking(space, 7654), space, randomCsv_.toStdString());
    }

    void csvEqualsTheGuiExport_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("out");
        QTest::newRow("bits-to-protect") << "bits-to-protect" << "btp.pdf";
        QTest::newRow("distribution") << "distribution" << "distribution.svg";
        QTest::newRow("ranking") << "ranking" << "ranking.png";
        QTest::newRow("histogram") << "histogram" << "histogram.pdf";
        QTest::newRow("ber") << "ber" << "ber.svg";
    }

    void csvEqualsTheGuiExport() {
        QFETCH(QString, kind);
        QFETCH(QString, out);
        const FigureKind figure = *figureKindFromName(kind);
        FigureInputs inputs;
        QStringList arguments{"plot", "--kind", kind, "--results"};
        if (figure == FigureKind::Ber) {
            arguments << ber_;
            inputs.campaigns.push_back({{}, readCampaignResults(ber_.toStdString())});
        } else {
            arguments << small_ << medium_;
            inputs.campaigns.push_back({{}, readCampaignResults(small_.toStdString())});
            inputs.campaigns.push_back({{}, readCampaignResults(medium_.toStdString())});
        }
        if (figure == FigureKind::Ranking) {
            arguments << "--rankings" << msbCsv_ << randomCsv_;
            const BitSpace space = bitSpaceFromJson(inputs.campaigns[0].results.info.bitSpace, "small.h5");
            inputs.rankings = {readRankingCsv(msbCsv_.toStdString(), space),
                               readRankingCsv(randomCsv_.toStdString(), space)};
        }
        const QString figurePath = dir_.filePath(out), csv = dir_.filePath(kind + ".csv");
        const test::CliRun run = test::runCli(arguments + QStringList{"--out", figurePath, "--csv", csv});
        QVERIFY2(run.code == 0, qPrintable(run.err));
        QVERIFY(QFileInfo(figurePath).size() > 1000);
        const QByteArray fromCli = contents(csv);
        QVERIFY(fromCli.count('\n') >= 2);
        QCOMPARE(fromCli, guiCsv(figure, inputs, kind + "-gui.csv"));
    }

    void labelsPresetAndDpi() {
        const QString png = dir_.filePath("paper.png"), csv = dir_.filePath("labels.csv");
        const test::CliRun run = test::runCli({"plot", "--kind", "bits-to-protect", "--results", small_, medium_, "--labels", "Small",
                             "Medium, sampled", "--out", png, "--csv", csv, "--preset", "paper", "--dpi", "200"});
        QVERIFY2(run.code == 0, qPrintable(run.err));
        const QImage image(png);
        QCOMPARE(image.width(), int(std::lround(8.8 / 2.54 * 200)));
        QCOMPARE(image.height(), int(std::lround(6.6 / 2.54 * 200)));
        const FigureTable table = readFigureCsv(csv);
        QCOMPARE(table.rows.size(), size_t(2));
        QCOMPARE(table.rows[0][0], QString("Small"));
        QCOMPARE(table.rows[1][0], QString("Medium, sampled"));

        const QString svg = dir_.filePath("log.svg");
        QCOMPARE(test::runCli({"plot", "--kind", "histogram", "--results", small_, "--log-counts", "--normalized", "off",
                      "--out", svg}).code, 0);
        QVERIFY(QSvgRenderer(svg).isValid());
    }

    void clearErrors() {
        test::CliRun run = test::runCli({"plot", "--kind", "ber", "--results", small_, "--out", dir_.filePath("x.pdf")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("bit-error-rate"), qPrintable(run.err));
        run = test::runCli({"plot", "--kind", "pie", "--results", small_, "--out", dir_.filePath("x.pdf")});
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.contains("bits-to-protect, distribution"), qPrintable(run.err));
        run = test::runCli({"plot", "--kind", "histogram", "--results", small_, "--out", dir_.filePath("x.gif")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("x.gif"), qPrintable(run.err));
        run = test::runCli({"plot", "--kind", "histogram", "--results", dir_.filePath("missing.h5"), "--out", dir_.filePath("x.pdf")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("missing.h5"), qPrintable(run.err));
        run = test::runCli({"plot", "--kind", "bits-to-protect", "--results", small_, medium_, "--labels", "Only one", "--out",
                   dir_.filePath("x.pdf")});
        QCOMPARE(run.code, 2);
    }
};

#else  // built without the GUI: flipscope-cli has no plot command

class TestCliPlot : public QObject {
    Q_OBJECT
private slots:
    void skipped() { QSKIP("built without the GUI (FLIPSCOPE_BUILD_GUI=OFF): flipscope-cli has no plot command"); }
};

#endif

QTEST_MAIN(TestCliPlot)
#include "tst_cli_plot.moc"
