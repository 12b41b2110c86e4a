#include "ui/main/session_io.h"

#include "core/common/error.h"
#include "core/sensitivity/ranking_csv.h"
#include "ui/main/results_presenter.h"
#include "ui/main_window.h"
#include "ui/panels/plots_panel.h"
#include "ui/panels/rankings_panel.h"
#include "ui/session/dataset_spec_text.h"
#include "ui/session/session_file.h"
#include "ui/session/workbench.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTabWidget>

namespace flipscope::ui {

namespace {

QString fileOf(const QString& spec) { return DatasetSpecText::split(spec).file; }

QString safeFileName(const QString& method) {
    QString name = method;
    name.replace(QRegularExpression("[^A-Za-z0-9._-]"), "_");
    return name + ".csv";
}

}  // namespace

void saveSession(MainWindow& w, const QString& path) {
    Workbench* wb = w.workbench();
    if (!wb->hasModel()) throw InputError("Nothing to save: open a model first");
    Session s;
    s.modelPath = wb->modelPath();
    if (QFileInfo(wb->configPath()) != QFileInfo(wb->modelPath())) s.configPath = wb->configPath();
    s.datasetSpec = wb->datasetPath();
    s.labelsPath = wb->labelsPath();
    s.normalization = wb->normalization();
    s.sampleLimit = wb->sampleLimit();
    s.resultsPaths = w.plotsPanel()->campaignPaths();
    s.currentResults = w.results()->currentPath();
    s.plotSettings = w.plotsPanel()->settings();
    s.view = w.centreTabs()->currentWidget() == w.plotsPanel() ? "plots" : "grid";

    const auto& rankings = w.rankingsPanel()->rankings();
    if (!rankings.empty()) {
        const QDir dir(sessionRankingsDir(path));
        if (!QDir().mkpath(dir.path())) throw Error(dir.path().toStdString() + ": cannot create the rankings folder");
        for (const ComputedRanking& r : rankings) {
            const QString csv = dir.filePath(safeFileName(QString::fromStdString(r.ranking.method)));
            writeRankingCsv(r.ranking, BitSpace(*wb->pristineModel(), r.filter), csv.toStdString());
            s.rankings.push_back({QString::fromStdString(r.ranking.method), csv, r.filter});
        }
    }
    writeSessionFile(s, path);
}

QStringList openSession(MainWindow& w, const QString& path) {
    const Session s = readSessionFile(path);
    QStringList problems;
    auto missing = [&](const QString& what, const QString& file) {
        if (QFileInfo::exists(fileOf(file))) return false;
        problems << QString("%1 not found: %2").arg(what, QDir::toNativeSeparators(fileOf(file)));
        return true;
    };
    // A session replaces what was open: its comparison and rankings, not added to the last ones.
    w.plotsPanel()->clearCampaigns();
    w.rankingsPanel()->clearRankings();
    Workbench* wb = w.workbench();
    wb->setNormalization(s.normalization);
    wb->setSampleLimit(s.sampleLimit);
    bool modelOpen = false;
    if (!missing("model", s.modelPath)) {
        modelOpen = w.openModel(s.modelPath, s.configPath);
        if (!modelOpen) problems << "model cannot be opened: " + s.modelPath;
    }
    if (modelOpen && !s.datasetSpec.isEmpty() && !missing("dataset", s.datasetSpec)) {
        if (!w.openDataset(s.datasetSpec)) problems << "dataset cannot be opened: " + s.datasetSpec;
        else if (!s.labelsPath.isEmpty() && !missing("labels", s.labelsPath) && !w.openLabels(s.labelsPath))
            problems << "labels cannot be opened: " + s.labelsPath;
    }
    // Results open without the model (they hold everything the plots need); the current one last.
    QStringList results = s.resultsPaths;
    if (!s.currentResults.isEmpty() && results.removeAll(s.currentResults)) results << s.currentResults;
    for (const QString& r : results) {
        QString error;
        if (!missing("results file", r) && !w.results()->openResults(r, &error)) problems << error;
    }
    for (const SessionRanking& r : s.rankings) {
        if (!modelOpen || missing("ranking " + r.method, r.csvPath)) continue;
        try {
            // Over the bits it ranked when the session says which, else the Campaign dock's.
            ComputedRanking ranking = r.bits ? w.rankingsPanel()->readCsv(r.csvPath, *r.bits)
                                             : w.rankingsPanel()->readCsv(r.csvPath);
            ranking.ranking.method = r.method.toStdString();
            w.rankingsPanel()->addRanking(ranking);
        } catch (const std::exception& e) {
            problems << QString::fromStdString(e.what());
        }
    }
    w.plotsPanel()->applySettings(s.plotSettings);
    if (s.view == "plots") w.showPlots();
    else w.showGrid();
    return problems;
}

}  // namespace flipscope::ui
