// Sessions: saving what the window has open (model, dataset, campaign results, rankings, plot
// settings) and opening it in a fresh window restores it; paths are stored relative to the session;
// files that went missing are reported by name and the rest still opens.
#include "common/expect_error.h"
#include "common/gui_test_settings.h"
#include "common/test_paths.h"
#include "core/common/error.h"
#include "ui/main/results_presenter.h"
#include "ui/main_window.h"
#include "ui/panels/bit_selection_editor.h"
#include "ui/panels/campaign_panel.h"
#include "ui/panels/campaign_plan_editor.h"
#include "ui/panels/plots_panel.h"
#include "ui/panels/rankings_panel.h"
#include "ui/session/campaign_runner.h"
#include "ui/session/dataset_spec_text.h"
#include "ui/session/session_file.h"
#include "ui/session/workbench.h"

#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace flipscope;
using namespace flipscope::ui;

namespace {

QString sample(const QString& relative) {
    return QString::fromStdString((flipscope::test::sourceDir() / "sample_models" / relative.toStdString()).string());
}

std::unique_ptr<MainWindow> newWindow() {
    auto w = std::make_unique<MainWindow>();
    w->setInteractiveErrors(false);
    w->campaignPanel()->setInteractive(false);
    w->resize(1200, 800);
    w->show();
    return w;
}

}  // namespace

class TestSession : public QObject {
    Q_OBJECT

    QTemporaryDir settingsDir_;
    QTemporaryDir dir_;

    // A window with econt-small, its samples, one small campaign, two rankings and plot settings.
    std::unique_ptr<MainWindow> populatedWindow(const QString& resultsFile) {
        auto w = newWindow();
        if (!w->openModel(sample("econt-small.h5")) || !w->openDataset(sample("data/econt-heldout.h5") + ":/images"))
            return nullptr;
        CampaignPanel* p = w->campaignPanel();
        p->sampleLimitBox()->setValue(20);
        p->outputEdit()->setText(dir_.filePath(resultsFile));
        p->threadsBox()->setValue(0);
        w->campaignPanel()->planEditor()->setPlan(CampaignPlan::parse("stratified:0.1:0.9"));
        if (!p->start() || !QTest::qWaitFor([&] { return !p->runner()->running(); }, 20000)) return nullptr;
        if (!w->rankingsPanel()->compute({"random", "msb"}) ||
            !QTest::qWaitFor([&] { return !w->rankingsPanel()->runner()->running(); }, 20000))
            return nullptr;
        w->plotsPanel()->setLogCounts(true);
        w->plotsPanel()->showFigure(FigureKind::Histogram);
        w->showPlots();
        return w;
    }

private slots:
    void initTestCase() { flipscope::test::useTemporarySettings(settingsDir_.path()); }

    void saveThenOpenRestores() {
        auto w = populatedWindow("small-emd.h5");
        QVERIFY(w);
        QCOMPARE(w->rankingsPanel()->rankings().size(), size_t(2));
        const QString session = dir_.filePath("lecture.flipscope");
        QVERIFY2(w->saveSession(session), qPrintable(w->lastError()));
        const QJsonObject settings = w->plotsPanel()->settings();
        w.reset();

        // Stored relative to the session file; rankings as CSV in the session's rankings folder.
        QFile file(session);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json["results"].toArray().first().toString(), QString("small-emd.h5"));
        QVERIFY(QFileInfo::exists(dir_.filePath("lecture-rankings/msb.csv")));

        auto opened = newWindow();
        QVERIFY2(opened->openSession(session), qPrintable(opened->lastError()));
        QCOMPARE(QFileInfo(opened->workbench()->modelPath()).fileName(), QString("econt-small.h5"));
        QVERIFY(opened->workbench()->datasetPath().endsWith("econt-heldout.h5:/images"));
        QCOMPARE(opened->workbench()->sampleLimit(), qint64(5000));
        QCOMPARE(opened->plotsPanel()->campaignPaths().size(), 1);
        QCOMPARE(QFileInfo(opened->plotsPanel()->campaignPaths().first()).fileName(), QString("small-emd.h5"));
        QVERIFY(opened->results()->damage()->measuredCount() > 0);
        QCOMPARE(opened->rankingsPanel()->rankings().size(), size_t(2));
        QCOMPARE(opened->plotsPanel()->rankings().size(), size_t(2));
        QCOMPARE(opened->plotsPanel()->settings(), settings);
        QCOMPARE(opened->plotsPanel()->currentFigure(), FigureKind::Histogram);
        QCOMPARE(opened->centreTabs()->currentWidget(), static_cast<QWidget*>(opened->plotsPanel()));
    }

    void missingFilesAreReportedByName() {
        auto w = populatedWindow("gone-emd.h5");
        QVERIFY(w);
        const QString session = dir_.filePath("gone.flipscope");
        QVERIFY(w->saveSession(session));
        w.reset();
        QVERIFY(QFile::remove(dir_.filePath("gone-emd.h5")));
        QVERIFY(QFile::remove(dir_.filePath("gone-rankings/random.csv")));

        auto opened = newWindow();
        QVERIFY(!opened->openSession(session));
        const QString error = opened->lastError();
        QVERIFY2(error.contains("gone-emd.h5") && error.contains("random.csv"), qPrintable(error));
        // The rest opened.
        QCOMPARE(QFileInfo(opened->workbench()->modelPath()).fileName(), QString("econt-small.h5"));
        QCOMPARE(opened->rankingsPanel()->rankings().size(), size_t(1));
    }

    // A ranking over some of the bits comes back over those bits, whatever the Campaign dock's
    // selection is when the session opens; a broken selection in the file is named.
    void rankingKeepsItsBitSelection() {
        auto w = newWindow();
        QVERIFY(w->openModel(sample("econt-small.h5")));
        BitSelectionEditor* bits = w->campaignPanel()->bitSelection();
        QVERIFY(bits->layerList()->count() >= 2);
        for (int i = 1; i < bits->layerList()->count(); ++i) bits->layerList()->item(i)->setCheckState(Qt::Unchecked);
        bits->bitsEdit()->setText("5,4");
        QVERIFY(w->rankingsPanel()->compute({"msb"}));
        QVERIFY(QTest::qWaitFor([&] { return !w->rankingsPanel()->runner()->running(); }, 20000));
        QCOMPARE(w->rankingsPanel()->rankings().size(), size_t(1));
        const ComputedRanking computed = w->rankingsPanel()->rankings().front();
        const BitSpace everything(*w->workbench()->pristineModel(), BitSpaceFilter{});
        QVERIFY(computed.space.size() > 0 && computed.space.size() < everything.size());
        const QString session = dir_.filePath("selection.flipscope");
        QVERIFY2(w->saveSession(session), qPrintable(w->lastError()));
        w.reset();

        auto opened = newWindow();  // its dock selects every layer and bit
        QVERIFY2(opened->openSession(session), qPrintable(opened->lastError()));
        QCOMPARE(opened->rankingsPanel()->rankings().size(), size_t(1));
        const ComputedRanking& restored = opened->rankingsPanel()->rankings().front();
        QCOMPARE(restored.space.size(), computed.space.size());
        QCOMPARE(restored.ranking.order, computed.ranking.order);
        QCOMPARE(restored.filter.layers, computed.filter.layers);
        QCOMPARE(restored.filter.bitPositions, (std::set<int>{4, 5}));

        QFile file(session);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        QJsonArray rankings = json["rankings"].toArray();
        QJsonObject ranking = rankings[0].toObject();
        QJsonObject selection = ranking["bits"].toObject();
        selection["positions"] = QJsonArray{5, "four"};
        ranking["bits"] = selection;
        rankings[0] = ranking;
        json["rankings"] = rankings;
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(json).toJson());
        file.close();
        EXPECT_THROW_WITH(flipscope::InputError, readSessionFile(session), "selection.flipscope", "rankings[0].bits.positions");
    }

    void datasetSpecsSplitLikeCore() {
        // A folder whose name ends in a colon puts ":/" inside the file path itself.
        QVERIFY(QDir(dir_.path()).mkpath("exp:"));
        const QString data = dir_.filePath("exp:/cells.h5");
        QFile create(data);
        QVERIFY(create.open(QIODevice::WriteOnly));
        create.close();
        DatasetSpecText parts = DatasetSpecText::split(data + ":/images");
        QCOMPARE(parts.file, data);
        QCOMPARE(parts.dataset, QString(":/images"));
        parts = DatasetSpecText::split(data);
        QCOMPARE(parts.file, data);
        QCOMPARE(parts.dataset, QString());
        parts = DatasetSpecText::split("exp:/cells.h5:/model_weights/dense/kernel:0", QDir(dir_.path()));
        QCOMPARE(parts.file, QString("exp:/cells.h5"));
        QCOMPARE(parts.dataset, QString(":/model_weights/dense/kernel:0"));
        // No such file: split at the first ":/", so that the error names the file meant.
        parts = DatasetSpecText::split("missing.h5:/images");
        QCOMPARE(parts.file, QString("missing.h5"));
        QCOMPARE(parts.dataset, QString(":/images"));
        QCOMPARE(datasetDisplayName(data + ":/images"), QString("cells.h5:/images"));

        // A session keeps such a dataset relative to itself and reads it back whole.
        Session s;
        s.modelPath = sample("econt-small.h5");
        s.datasetSpec = data + ":/images";
        const QString session = dir_.filePath("colons.flipscope");
        writeSessionFile(s, session);
        QFile file(session);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json["dataset"].toObject()["path"].toString(), QString("exp:/cells.h5:/images"));
        QCOMPARE(readSessionFile(session).datasetSpec, data + ":/images");
    }

    void notASessionIsAnErrorNamingTheFile() {
        const QString path = dir_.filePath("notes.flipscope");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\": \"something else\"}");
        f.close();
        auto w = newWindow();
        QVERIFY(!w->openSession(path));
        QVERIFY(w->lastError().contains("notes.flipscope"));
    }
};

QTEST_MAIN(TestSession)
#include "tst_session.moc"
