// The Plots panel: an empty panel says what to do, a campaign fed row by row grows the figures,
// redraws are throttled however fast rows arrive, figures that do not apply say why, exports
// write the drawn data, and settings round-trip for sessions.
#include "core/faults/bit_space_json.h"
#include "core/sensitivity/bit_ranking.h"
#include "figure_test_campaigns.h"
#include "ui/panels/plots_panel.h"

#include <QtTest>
#include <qcustomplot.h>

using namespace flipscope;
using namespace flipscope::ui;

namespace {

QString messageOf(QCustomPlot* plot) {
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)); text && plot->plottableCount() == 0)
            return text->text();
    return {};
}

int64_t histogramTotal(const FigureTable& table) {
    int64_t total = 0;
    for (const QStringList& row : table.rows) total += row[2].toLongLong();
    return total;
}

}  // namespace

class TestPlotsPanel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString smallPath_, berPath_;
    CampaignResults small_;

    // The campaign as a running one starts: its description, none of its rows yet.
    CampaignResults startedCampaign() const {
        CampaignResults started = small_;
        started.faults.clear();
        return started;
    }

private slots:
    void initTestCase() {
        smallPath_ = test::runSampleCampaign(dir_, "econt-small.h5", "exhaustive", "small.h5", 4);
        berPath_ = test::runSampleCampaign(dir_, "econt-small.h5", "ber:1e-3,1e-2:2", "ber.h5", 4);
        small_ = readCampaignResults(smallPath_.toStdString());
    }

    void emptyPanelSaysWhatToDo() {
        PlotsPanel panel;
        panel.redrawNow();
        for (int i = 0; i < figureKindNames().size(); ++i) {
            const auto kind = static_cast<FigureKind>(i);
            QCOMPARE(messageOf(panel.plot(kind)), QString("Run a campaign or open a results file"));
            QVERIFY(panel.table(kind).rows.empty());
        }
        QVERIFY_THROWS_EXCEPTION(std::exception, panel.exportCsv(FigureKind::Histogram, dir_.filePath("empty.csv")));
    }

    void appendedResultsGrowTheFigures() {
        PlotsPanel panel;
        panel.resize(900, 600);
        const int index = panel.setCampaign(smallPath_, startedCampaign());
        panel.setRanking(msbRanking(bitSpaceFromJson(small_.info.bitSpace, "small.h5")));
        const std::vector<FaultResult>& all = small_.faults;
        panel.appendResults(index, {all.begin(), all.begin() + 500});
        panel.redrawNow();
        QCOMPARE(histogramTotal(panel.table(FigureKind::Histogram)), int64_t(500));
        QCOMPARE(panel.plot(FigureKind::Ranking)->graph(0)->dataCount(), 501);  // k = 0..500

        panel.appendResults(index, {all.begin() + 500, all.end()});
        QCOMPARE(histogramTotal(panel.table(FigureKind::Histogram)), int64_t(500));  // not redrawn yet
        panel.showFigure(FigureKind::Histogram);
        QSignalSpy redrawn(&panel, &PlotsPanel::redrawn);
        QVERIFY(redrawn.wait(2000));  // the throttle timer redraws the visible figure
        QCOMPARE(histogramTotal(panel.table(FigureKind::Histogram)), int64_t(all.size()));
        panel.redrawNow();
        QCOMPARE(panel.plot(FigureKind::Ranking)->graph(0)->dataCount(), kMaxCurvePoints);
        QCOMPARE(panel.table(FigureKind::BitsToProtect).rows.size(), size_t(1));
    }

    void manyAppendsFewRedraws() {
        PlotsPanel panel;
        const int index = panel.setCampaign(smallPath_, startedCampaign());
        panel.showFigure(FigureKind::Ranking);
        const int before = panel.redrawCount();
        QElapsedTimer clock;
        clock.start();
        size_t next = 0;
        int appends = 0;
        // A campaign delivering rows every few milliseconds for about a second.
        while (clock.elapsed() < 1000 && next < small_.faults.size()) {
            panel.appendResults(index, {small_.faults.begin() + next, small_.faults.begin() + next + 8});
            next += 8;
            appends++;
            QTest::qWait(4);
        }
        QTest::qWait(400);  // the last scheduled redraw
        const int redraws = panel.redrawCount() - before;
        const double seconds = clock.elapsed() / 1000.0;
        QVERIFY2(appends > 50, qPrintable(QString::number(appends)));
        // At most four a second (plus the one already scheduled at the start).
        QVERIFY2(redraws >= 2 && redraws <= int(seconds * 4) + 2,
                 qPrintable(QString("%1 redraws in %2 s for %3 appends").arg(redraws).arg(seconds).arg(appends)));
        panel.redrawNow();
        QCOMPARE(panel.table(FigureKind::Ranking).rows.back()[0].toLongLong(), int64_t(next));
    }

    void figuresThatDoNotApplySayWhy() {
        PlotsPanel panel;
        panel.setCampaign(berPath_, readCampaignResults(berPath_.toStdString()));
        panel.redrawNow();
        QCOMPARE(panel.plot(FigureKind::Ber)->graphCount(), 4);
        QCOMPARE(panel.table(FigureKind::Ber).rows.size(), size_t(2));
        QVERIFY2(messageOf(panel.plot(FigureKind::Ranking)).contains("single-bit"),
                 qPrintable(messageOf(panel.plot(FigureKind::Ranking))));
        QVERIFY(panel.table(FigureKind::Ranking).rows.empty());
    }

    void comparisonAndCurrentCampaign() {
        PlotsPanel panel;
        panel.setCampaign(smallPath_, small_, "Small");
        const int ber = panel.setCampaign(berPath_, readCampaignResults(berPath_.toStdString()));
        QCOMPARE(panel.campaignPaths(), QStringList({smallPath_, berPath_}));
        QCOMPARE(panel.currentCampaign(), ber);
        QCOMPARE(panel.setCampaign(smallPath_, small_, "Small again"), 0);  // same path: replaced
        panel.setCurrentCampaign(0);
        panel.redrawNow();
        QCOMPARE(panel.table(FigureKind::Distribution).rows.size(), size_t(2 + 8));
        panel.removeCampaign(1);
        panel.redrawNow();
        QCOMPARE(panel.table(FigureKind::BitsToProtect).rows[0][0], QString("Small again"));
    }

    void exportsWhatIsDrawn() {
        PlotsPanel panel;
        panel.setCampaign(smallPath_, small_);
        panel.setStyle(FigureStyle::paper());
        const QString pdf = dir_.filePath("panel.pdf"), csv = dir_.filePath("panel.csv");
        panel.exportFigure(FigureKind::Distribution, pdf);
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(4) == "%PDF");
        panel.exportCsv(FigureKind::Distribution, csv);
        const FigureTable back = readFigureCsv(csv);
        QCOMPARE(back.columns, panel.table(FigureKind::Distribution).columns);
        QCOMPARE(back.rows, panel.table(FigureKind::Distribution).rows);
    }

    void settingsRoundTrip() {
        PlotsPanel panel;
        panel.setNormalizedAxes(false);
        panel.setLogCounts(true);
        panel.setStyle(FigureStyle::paper());
        panel.showFigure(FigureKind::Histogram);
        const QJsonObject settings = panel.settings();
        PlotsPanel other;
        other.applySettings(settings);
        QCOMPARE(other.settings(), settings);
        QCOMPARE(other.style().preset, QString("paper"));
        QCOMPARE(other.currentFigure(), FigureKind::Histogram);
        QVERIFY(other.inputs().logCounts);
        QVERIFY(!other.inputs().normalizedAxes);
    }
};

QTEST_MAIN(TestPlotsPanel)
#include "tst_plots_panel.moc"
