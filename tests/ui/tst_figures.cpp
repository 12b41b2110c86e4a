// The study's figures (ui/plots): every kind draws from real campaign results, shows the data it
// returns as its table, fails clearly on inputs it cannot use, and exports PDF, SVG, PNG (at the
// style's physical size and the chosen DPI) and CSV.
#include "common/expect_error.h"
#include "core/common/error.h"
#include "core/faults/bit_space_json.h"
#include "core/faults/campaign_analysis.h"
#include "core/sensitivity/ranking_curves.h"
#include "figure_test_campaigns.h"
#include "ui/plots/figure.h"

#include <QImage>
#include <QSvgRenderer>
#include <QXmlStreamReader>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>

using namespace flipscope;
using namespace flipscope::ui;

namespace {

int dataCount(QCPAbstractPlottable* plottable) {
    if (auto* graph = qobject_cast<QCPGraph*>(plottable)) return graph->dataCount();
    if (auto* bars = qobject_cast<QCPBars*>(plottable)) return bars->dataCount();
    return -1;
}

QCustomPlot* newPlot() {
    auto* plot = new QCustomPlot;
    plot->resize(800, 500);
    return plot;
}

}  // namespace

class TestFigures : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    CampaignResults small_, medium_, ber_;

    FigureInputs smallInputs() const {
        FigureInputs in;
        in.campaigns.push_back({{}, small_});
        return in;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        // econt-small exhaustively (10240 bits), econt-medium sampled, and a BER sweep.
        small_ = readCampaignResults(test::runSampleCampaign(dir_, "econt-small.h5", "exhaustive", "small.h5", 6).toStdString());
        medium_ = readCampaignResults(
            test::runSampleCampaign(dir_, "econt-medium.h5", "sample:0.05:0.95", "medium.h5", 6).toStdString());
        ber_ = readCampaignResults(
            test::runSampleCampaign(dir_, "econt-small.h5", "ber:1e-3,1e-2,5e-2:3", "ber.h5", 6).toStdString());
        QCOMPARE(small_.faults.size(), size_t(10240));
        QCOMPARE(ber_.faults.size(), size_t(9));
    }

    void kindNamesRoundTrip() {
        QCOMPARE(figureKindNames().size(), 5);
        for (const QString& name : figureKindNames()) QCOMPARE(figureKindNames()[int(*figureKindFromName(name))], name);
        QVERIFY(!figureKindFromName("pie"));
        QVERIFY(FigureStyle::byName("paper")->widthCm < FigureStyle::screen().widthCm);
        QVERIFY(!FigureStyle::byName("poster"));
    }

    void bitsToProtectOnePointPerCampaign() {
        std::unique_ptr<QCustomPlot> plot(newPlot());
        FigureInputs in = smallInputs();
        in.campaigns.push_back({{}, medium_});
        const FigureTable table = buildFigure(*plot, FigureKind::BitsToProtect, in, FigureStyle::screen());
        QCOMPARE(plot->plottableCount(), 2);
        QCOMPARE(dataCount(plot->plottable(0)), 1);
        QCOMPARE(table.rows.size(), size_t(2));
        QCOMPARE(table.rows[0][0], QString("econt-small [(1280, 8)]"));
        QCOMPARE(table.rows[1][0], QString("econt-medium [(2120, 6)]"));
        const CampaignSummary s = summarizeCampaign(small_);
        QCOMPARE(table.rows[0][6].toDouble(), s.normalizedBitsToProtect);
        QCOMPARE(table.rows[0][2].toDouble(), s.baseline);
        auto* point = qobject_cast<QCPGraph*>(plot->plottable(0));
        QCOMPARE(point->data()->at(0)->value, s.normalizedBitsToProtect);
        // Each point carries its label.
        QCOMPARE(plot->itemCount(), 2);
        QCOMPARE(qobject_cast<QCPItemText*>(plot->item(0))->text(), table.rows[0][0]);
        // A label given replaces the default one.
        in.campaigns[0].label = "Small";
        QCOMPARE(buildFigure(*plot, FigureKind::BitsToProtect, in, FigureStyle::paper()).rows[0][0], QString("Small"));
    }

    void distributionPerTensorAndBitPosition() {
        std::unique_ptr<QCustomPlot> plot(newPlot());
        FigureInputs in = smallInputs();
        in.normalizedAxes = false;
        const FigureTable table = buildFigure(*plot, FigureKind::Distribution, in, FigureStyle::screen());
        const CampaignSummary s = summarizeCampaign(small_);
        QCOMPARE(table.rows.size(), s.perTensor.size() + s.perBitPosition.size());
        QCOMPARE(plot->axisRectCount(), 2);
        QCOMPARE(plot->plottableCount(), 4);  // to protect + the rest, per axis rect
        QCOMPARE(dataCount(plot->plottable(0)), int(s.perTensor.size()));
        QCOMPARE(dataCount(plot->plottable(2)), int(s.perBitPosition.size()));
        int64_t protect = 0;
        for (const QStringList& row : table.rows)
            if (row[0] == "bit") protect += row[2].toLongLong();
        QCOMPARE(protect, s.overall.protect);
        // Drawing another kind afterwards removes the second axis rect again.
        buildFigure(*plot, FigureKind::Histogram, in, FigureStyle::screen());
        QCOMPARE(plot->axisRectCount(), 1);
    }

    void histogramOfDeltas() {
        std::unique_ptr<QCustomPlot> plot(newPlot());
        FigureInputs in = smallInputs();
        in.histogramBins = 40;
        const FigureTable table = buildFigure(*plot, FigureKind::Histogram, in, FigureStyle::screen());
        QCOMPARE(table.rows.size(), size_t(40));
        QCOMPARE(dataCount(plot->plottable(0)), 40);
        int64_t total = 0, nonEmpty = 0;
        for (const QStringList& row : table.rows) total += row[2].toLongLong(), nonEmpty += row[2] != "0";
        QCOMPARE(total, int64_t(small_.faults.size()));
        in.logCounts = true;
        buildFigure(*plot, FigureKind::Histogram, in, FigureStyle::screen());
        QCOMPARE(dataCount(plot->plottable(0)), int(nonEmpty));  // a log axis leaves empty bins out
        QCOMPARE(plot->axisRect()->axis(QCPAxis::atLeft)->scaleType(), QCPAxis::stLogarithmic);
    }

    void berMeanAndBand() {
        std::unique_ptr<QCustomPlot> plot(newPlot());
        FigureInputs in;
        in.campaigns.push_back({{}, ber_});
        const FigureTable table = buildFigure(*plot, FigureKind::Ber, in, FigureStyle::screen());
        QCOMPARE(table.columns, QStringList({"bit_error_rate", "trials", "mean", "min", "max"}));
        QCOMPARE(table.rows.size(), size_t(3));
        for (const QStringList& row : table.rows) {
            QCOMPARE(row[1], QString("3"));
            QVERIFY(row[3].toDouble() <= row[2].toDouble() && row[2].toDouble() <= row[4].toDouble());
        }
        QCOMPARE(table.rows[0][0].toDouble(), 1e-3);
        QCOMPARE(dataCount(plot->plottable(0)), 3);  // max, min, mean: one point per rate
        QCOMPARE(dataCount(plot->plottable(2)), 3);
    }

    void rankingCurvesWithOracle() {
        std::unique_ptr<QCustomPlot> plot(newPlot());
        FigureInputs in = smallInputs();
        const BitSpace space = bitSpaceFromJson(small_.info.bitSpace, "small.h5");
        in.rankings = {msbRanking(space), randomRanking(space, 7654)};
        const FigureTable table = buildFigure(*plot, FigureKind::Ranking, in, FigureStyle::screen());
        QCOMPARE(plot->graphCount(), 3);
        // 10241 values of k are drawn at kMaxCurvePoints evenly spaced ones, including the ends.
        QCOMPARE(table.rows.size(), size_t(kMaxCurvePoints));
        QCOMPARE(plot->graph(0)->dataCount(), kMaxCurvePoints);
        QCOMPARE(table.columns.size(), 2 + 3);
        QVERIFY(table.columns[2].startsWith("oracle"));
        QVERIFY(table.columns[3].startsWith("msb (score "));
        QCOMPARE(table.rows.back()[0], QString("10240"));
        for (int c = 1; c < table.columns.size(); ++c) QCOMPARE(table.rows.back()[c].toDouble(), 1.0);
        // The legend's score is scoreRanking's.
        const Oracle oracle = makeOracle(small_);
        const RankingScore score = scoreRanking(rankingCurve("msb", in.rankings[0].order, oracle), oracle);
        QVERIFY2(table.columns[3].contains(QString::number(score.foundScore, 'f', 3)), qPrintable(table.columns[3]));
        // Raw counts: the oracle reaches every bit to protect after exactly that many bits.
        in.normalizedAxes = false;
        const FigureTable raw = buildFigure(*plot, FigureKind::Ranking, in, FigureStyle::screen());
        QCOMPARE(raw.rows.back()[2].toLongLong(), oracle.sensitiveCount);
        QCOMPARE(raw.columns[1], QString("bits"));
    }

    void inputsThatCannotMakeTheFigureAreClearErrors() {
        std::unique_ptr<QCustomPlot> plot(newPlot());
        const FigureStyle style = FigureStyle::screen();
        EXPECT_THROW_WITH(InputError, buildFigure(*plot, FigureKind::BitsToProtect, FigureInputs{}, style),
                          "bits-to-protect", "campaign");
        EXPECT_THROW_WITH(InputError, buildFigure(*plot, FigureKind::Ber, smallInputs(), style), "ber figure",
                          "bit-error-rate", "econt-small.h5");
        FigureInputs berOnly;
        berOnly.campaigns.push_back({{}, ber_});
        EXPECT_THROW_WITH(InputError, buildFigure(*plot, FigureKind::Ranking, berOnly, style), "ranking figure",
                          "single-bit");
        EXPECT_THROW_WITH(InputError, buildFigure(*plot, FigureKind::Distribution, berOnly, style), "single-bit");
        EXPECT_THROW_WITH(Error, exportFigure(*plot, dir_.filePath("figure.jpg"), style), "figure.jpg", ".pdf");
        EXPECT_THROW_WITH(Error, exportFigure(*plot, dir_.filePath("missing/figure.pdf"), style), "figure.pdf");
    }

    void exportsVectorAndRaster() {
        std::unique_ptr<QCustomPlot> plot(newPlot());
        FigureInputs in = smallInputs();
        in.campaigns.push_back({{}, medium_});
        const FigureStyle paper = FigureStyle::paper();
        buildFigure(*plot, FigureKind::BitsToProtect, in, paper);

        const QString pdf = dir_.filePath("figure.pdf"), svg = dir_.filePath("figure.svg"), png = dir_.filePath("figure.png");
        exportFigure(*plot, pdf, paper);
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        const QByteArray pdfBytes = pdfFile.readAll();
        QVERIFY(pdfBytes.startsWith("%PDF"));
        QVERIFY2(pdfBytes.size() > 5000, qPrintable(QString::number(pdfBytes.size())));
        // The page is the style's size: 8.8 x 6.6 cm = 249.4 x 187.1 pt.
        const QRegularExpression mediaBox(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])");
        const auto box = mediaBox.match(QString::fromLatin1(pdfBytes));
        QVERIFY(box.hasMatch());
        QVERIFY(std::fabs(box.captured(1).toDouble() - 8.8 / 2.54 * 72) < 1.0);
        QVERIFY(std::fabs(box.captured(2).toDouble() - 6.6 / 2.54 * 72) < 1.0);

        exportFigure(*plot, svg, paper);
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&svgFile);
        int elements = 0;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement) elements++;
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(elements > 20);
        QVERIFY(QSvgRenderer(svg).isValid());

        for (int dpi : {150, 300}) {
            exportFigure(*plot, png, paper, dpi);
            const QImage image(png);
            QVERIFY(!image.isNull());
            QCOMPARE(image.width(), int(std::lround(8.8 / 2.54 * dpi)));
            QCOMPARE(image.height(), int(std::lround(6.6 / 2.54 * dpi)));
            QCOMPARE(int(std::lround(image.dotsPerMeterX() * 0.0254)), dpi);
            // Something was drawn: not only the white background.
            int dark = 0;
            for (int y = 0; y < image.height(); y += 3)
                for (int x = 0; x < image.width(); x += 3) dark += qGray(image.pixel(x, y)) < 128;
            QVERIFY(dark > 50);
        }
    }

    void csvHoldsTheTable() {
        std::unique_ptr<QCustomPlot> plot(newPlot());
        FigureInputs in = smallInputs();
        in.campaigns.push_back({"a, \"quoted\" label", medium_});
        for (FigureKind kind : {FigureKind::BitsToProtect, FigureKind::Distribution, FigureKind::Histogram}) {
            const FigureTable table = buildFigure(*plot, kind, in, FigureStyle::screen());
            const QString csv = dir_.filePath(figureKindNames()[int(kind)] + ".csv");
            writeFigureCsv(table, csv);
            const FigureTable back = readFigureCsv(csv);
            QCOMPARE(back.columns, table.columns);
            QCOMPARE(back.rows, table.rows);
        }
        // Numbers are written exactly: they read back as the same doubles.
        const FigureTable table = buildFigure(*plot, FigureKind::BitsToProtect, in, FigureStyle::screen());
        QCOMPARE(table.rows[0][2].toDouble(), small_.info.baseline);
    }

    void messageInsteadOfFigure() {
        std::unique_ptr<QCustomPlot> plot(newPlot());
        buildFigure(*plot, FigureKind::Distribution, smallInputs(), FigureStyle::screen());
        drawFigureMessage(*plot, "Run a campaign or open a results file", FigureStyle::screen());
        QCOMPARE(plot->plottableCount(), 0);
        QCOMPARE(plot->axisRectCount(), 1);
        QCOMPARE(qobject_cast<QCPItemText*>(plot->item(0))->text(), QString("Run a campaign or open a results file"));
    }
};

QTEST_MAIN(TestFigures)
#include "tst_figures.moc"
