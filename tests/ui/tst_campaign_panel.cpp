// Campaigns started from the Campaign panel on the bundled ECON-T Small model: a run fills the
// plots' comparison and the grid's measured-damage colouring while the event loop keeps answering
// (the longest gap between 10 ms timer ticks is measured and bounded); cancel, then Start again,
// resumes and ends with the same rows as an uninterrupted run; closing the window mid-campaign
// stops it and leaves a "cancelled" results file with its rows; campaigns of two models opened in
// turn make one comparison (a labelled point each on the bits-to-protect figure).
#include "common/gui_test_settings.h"
#include "common/test_paths.h"
#include "core/faults/damage_colouring.h"
#include "core/faults/results_store.h"
#include "ui/main/results_presenter.h"
#include "ui/main_window.h"
#include "ui/panels/campaign_panel.h"
#include "ui/panels/campaign_plan_editor.h"
#include "ui/panels/grid_panel.h"
#include "ui/panels/plots_panel.h"
#include "ui/session/campaign_runner.h"
#include "ui/session/workbench.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <algorithm>

using namespace flipscope;
using namespace flipscope::ui;

namespace {

QString sample(const QString& relative) {
    return QString::fromStdString((flipscope::test::sourceDir() / "sample_models" / relative.toStdString()).string());
}

// The longest gap between ticks of a 10 ms timer while it runs: how long the event loop stalled.
class StallMeter : public QObject {
public:
    StallMeter() {
        timer_.setInterval(10);
        connect(&timer_, &QTimer::timeout, this, [this] {
            longest_ = std::max(longest_, clock_.restart());
        });
        clock_.start();
        timer_.start();
    }
    qint64 longestMs() const { return longest_; }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 longest_ = 0;
};

}  // namespace

class TestCampaignPanel : public QObject {
    Q_OBJECT

    QTemporaryDir settingsDir_;
    QTemporaryDir outDir_;
    std::unique_ptr<MainWindow> window_;

    CampaignPanel* panel() const { return window_->campaignPanel(); }

    // Stratified sample (5 % margin, 95 % confidence: a few hundred faults), 50 samples, one thread:
    // a short campaign.
    void configure(const QString& file) {
        panel()->sampleLimitBox()->setValue(50);
        panel()->metricBox()->setCurrentText("emd");
        panel()->planEditor()->kindBox()->setCurrentIndex(2);  // stratified
        panel()->planEditor()->marginBox()->setValue(5.0);
        panel()->planEditor()->confidenceBox()->setValue(95.0);
        panel()->threadsBox()->setValue(1);
        panel()->outputEdit()->setText(outDir_.filePath(file));
    }

    // A campaign that lasts long enough to be interrupted when its first rows are shown (rows come
    // every 100 ms): every bit of econt-small on 600 samples, one thread (a few seconds, tens of
    // times the delivery interval; a stratified sample of 50 samples ends within one).
    void configureLong(const QString& file) {
        configure(file);
        panel()->planEditor()->kindBox()->setCurrentIndex(0);  // exhaustive
        panel()->sampleLimitBox()->setValue(600);
    }

    bool waitForEnd(int timeoutMs = 60000) {
        return QTest::qWaitFor([&] { return !panel()->runner()->running(); }, timeoutMs);
    }

private slots:
    void initTestCase() { flipscope::test::useTemporarySettings(settingsDir_.path()); }

    void init() {
        window_ = std::make_unique<MainWindow>();
        window_->setInteractiveErrors(false);
        panel()->setInteractive(false);
        window_->resize(1400, 900);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        QVERIFY(window_->openModel(sample("econt-small.h5")));
        QVERIFY(window_->openDataset(sample("data/econt-heldout.h5") + ":/images"));
    }

    void cleanup() { window_.reset(); }

    void plannedCountsShowLive() {
        configure("counts.h5");
        const QString text = panel()->countsLabel()->text();
        QVERIFY2(text.contains("N = 10,240") || text.contains("N = 10240"), qPrintable(text));
        const int64_t n = leveugleSampleSize(10240, 0.05, 0.95);
        QVERIFY2(text.contains(QLocale().toString(static_cast<qlonglong>(n))), qPrintable(text));
        panel()->planEditor()->marginBox()->setValue(2.0);
        QVERIFY(panel()->countsLabel()->text() != text);
    }

    void campaignFillsPlotsAndGridWithoutStalling() {
        // A bigger campaign on every core (1 % margin: about 4,900 faults on 200 samples).
        configure("run.h5");
        panel()->sampleLimitBox()->setValue(200);
        panel()->planEditor()->marginBox()->setValue(1.0);
        panel()->threadsBox()->setValue(0);
        QSignalSpy finished(panel()->runner(), &CampaignRunner::finished);
        StallMeter meter;
        QTest::mouseClick(panel()->startButton(), Qt::LeftButton);
        QVERIFY(panel()->runner()->running());
        QVERIFY(waitForEnd());
        QCOMPARE(finished.count(), 1);
        qInfo("longest event-loop stall during the campaign: %lld ms", meter.longestMs());
        QVERIFY2(meter.longestMs() < 250, qPrintable(QString("stalled %1 ms").arg(meter.longestMs())));

        const CampaignResults results = readCampaignResults(outDir_.filePath("run.h5").toStdString());
        QCOMPARE(results.info.status, std::string("complete"));
        QVERIFY(results.faults.size() > 4000);
        const FigureInputs inputs = window_->plotsPanel()->inputs();
        QCOMPARE(inputs.campaigns.size(), size_t(1));
        QCOMPARE(inputs.campaigns[0].results.faults.size(), results.faults.size());
        QVERIFY(inputs.campaigns[0].label.startsWith("econt-small [("));
        window_->plotsPanel()->redrawNow();
        QVERIFY(!window_->plotsPanel()->table(FigureKind::BitsToProtect).rows.empty());

        const DamageColouring* damage = window_->results()->damage();
        QCOMPARE(damage->measuredCount(), static_cast<int64_t>(results.faults.size()));
        QCOMPARE(window_->gridPanel()->currentColouring(), static_cast<const BitColouring*>(damage));
        QCOMPARE(window_->gridPanel()->colouringBox()->currentText(), QString("Measured damage (campaign)"));
    }

    void resultsArriveAsTheCampaignGoes() {
        // The fast engine evaluates a Dense unit's faults together and the plan lists them
        // together, so an exhaustive campaign's results come unit by unit (the plots fill, the file
        // grows) instead of all at its end. A delivery every 100 ms over a few seconds: many of
        // them, none holding most of the campaign (1,200 samples: a machine twice as fast still
        // needs several deliveries).
        configureLong("live.h5");
        panel()->sampleLimitBox()->setValue(1200);
        std::vector<size_t> deliveries;
        auto counting = connect(panel()->runner(), &CampaignRunner::resultsArrived, this,
                                [&](const std::vector<FaultResult>& rows) { deliveries.push_back(rows.size()); });
        QVERIFY(panel()->start());
        QCOMPARE(panel()->runner()->setup().engine, std::string("fast"));
        QVERIFY(waitForEnd());
        disconnect(counting);
        size_t total = 0, largest = 0;
        for (size_t d : deliveries) {
            total += d;
            largest = std::max(largest, d);
        }
        QCOMPARE(total, size_t(10240));
        qInfo("%zu deliveries, the largest %zu results", deliveries.size(), largest);
        QVERIFY2(deliveries.size() >= 5 && largest < total / 2,
                 qPrintable(QString("%1 deliveries, the largest %2 of %3").arg(deliveries.size()).arg(largest).arg(total)));
    }

    void cancelThenResumeEqualsUninterruptedRun() {
        configureLong("whole.h5");
        QVERIFY(panel()->start());
        QVERIFY(waitForEnd());
        const CampaignResults whole = readCampaignResults(outDir_.filePath("whole.h5").toStdString());

        configureLong("interrupted.h5");
        QSignalSpy cancelled(panel()->runner(), &CampaignRunner::cancelled);
        // Cancel as soon as the first rows are shown, as a user watching them would.
        auto once = connect(panel()->runner(), &CampaignRunner::resultsArrived, this,
                            [this] { QTest::mouseClick(panel()->cancelButton(), Qt::LeftButton); });
        QTest::mouseClick(panel()->startButton(), Qt::LeftButton);
        QVERIFY(waitForEnd());
        disconnect(once);
        QCOMPARE(cancelled.count(), 1);
        const CampaignResults partial = readCampaignResults(outDir_.filePath("interrupted.h5").toStdString());
        QCOMPARE(partial.info.status, std::string("cancelled"));
        QVERIFY2(partial.faults.size() < whole.faults.size(), "the campaign ended before it could be cancelled");

        QTest::mouseClick(panel()->startButton(), Qt::LeftButton);  // the same file: resumed
        QVERIFY(panel()->runner()->setup().resume);
        QVERIFY(waitForEnd());
        const CampaignResults resumed = readCampaignResults(outDir_.filePath("interrupted.h5").toStdString());
        QCOMPARE(resumed.info.status, std::string("complete"));
        QCOMPARE(resumed.faults.size(), whole.faults.size());
        for (size_t i = 0; i < whole.faults.size(); ++i) {
            QCOMPARE(resumed.faults[i].globalBit, whole.faults[i].globalBit);
            QCOMPARE(resumed.faults[i].metric, whole.faults[i].metric);
        }
        // The plots show the resumed campaign whole: earlier rows plus the new ones.
        const FigureInputs inputs = window_->plotsPanel()->inputs();
        bool found = false;
        for (const auto& c : inputs.campaigns) found |= c.results.faults.size() == whole.faults.size();
        QVERIFY(found);
    }

    void closingMidCampaignStopsAndKeepsResults() {
        configureLong("closed.h5");
        QSignalSpy rows(panel()->runner(), &CampaignRunner::resultsArrived);
        QVERIFY(panel()->start());
        QVERIFY(QTest::qWaitFor([&] { return rows.count() > 0; }, 20000));
        QVERIFY(window_->close());
        QVERIFY(!panel()->runner()->running());
        const CampaignResults results = readCampaignResults(outDir_.filePath("closed.h5").toStdString());
        QCOMPARE(results.info.status, std::string("cancelled"));
        QVERIFY(!results.faults.empty());
        QVERIFY(static_cast<int64_t>(results.faults.size()) < results.info.totalFaults);
    }

    void otherResultsWaitUntilTheCampaignEnds() {
        // The running campaign's rows go to the results on view: opening others mid-run is refused
        // with a message, and works again once the campaign has ended.
        configure("first.h5");
        QTest::mouseClick(panel()->startButton(), Qt::LeftButton);
        QVERIFY(waitForEnd());
        configureLong("running.h5");
        QSignalSpy rows(panel()->runner(), &CampaignRunner::resultsArrived);
        QVERIFY(panel()->start());
        QVERIFY(QTest::qWaitFor([&] { return rows.count() > 0; }, 20000));
        QVERIFY(!window_->openResults(outDir_.filePath("first.h5")));
        QVERIFY2(window_->lastError().contains("campaign is running"), qPrintable(window_->lastError()));
        panel()->runner()->cancel();
        QVERIFY(waitForEnd());
        QVERIFY(window_->openResults(outDir_.filePath("first.h5")));
    }

    void campaignsOfSeveralModelsFormOneComparison() {
        // The seed's trade-off plot: open one model after another (the data stays loaded), run a
        // campaign on each, and the bits-to-protect figure has one labelled point per model.
        configure("small.h5");
        QTest::mouseClick(panel()->startButton(), Qt::LeftButton);
        QVERIFY(waitForEnd());
        QVERIFY(window_->openModel(sample("econt-medium.h5")));
        QVERIFY(window_->workbench()->hasDataset());
        configure("medium.h5");
        QTest::mouseClick(panel()->startButton(), Qt::LeftButton);
        QVERIFY(waitForEnd());

        PlotsPanel* plots = window_->plotsPanel();
        QCOMPARE(plots->campaignPaths().size(), 2);
        plots->redrawNow();
        const FigureTable table = plots->table(FigureKind::BitsToProtect);
        QCOMPARE(table.rows.size(), size_t(2));
        QStringList labels;
        for (const QStringList& row : table.rows) labels << row.join(',');
        QVERIFY2(labels.join('|').contains("econt-small [(1280, 8)]"), qPrintable(labels.join('|')));
        QVERIFY2(labels.join('|').contains("econt-medium [(2120, 6)]"), qPrintable(labels.join('|')));
    }

    void badInputIsReportedNotStarted() {
        configure("bad.h5");
        panel()->planEditor()->kindBox()->setCurrentIndex(4);  // BER
        panel()->planEditor()->ratesEdit()->setText("0.001, lots");
        QSignalSpy errors(window_.get(), &MainWindow::errorReported);
        QVERIFY(!panel()->start());
        QCOMPARE(errors.count(), 1);
        QVERIFY(window_->lastError().contains("lots"));
    }
};

QTEST_MAIN(TestCampaignPanel)
#include "tst_campaign_panel.moc"
