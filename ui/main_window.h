#pragma once
// The Flipscope explorer window: model tree (left), tabs "Bit grid" | "Plots" (centre), inspector,
// campaign and rankings docks (right), log and progress (bottom). Opens models and datasets from
// the File menu, the recent-files lists, the command line or by drag and drop; errors are reported
// without blocking (a non-modal message box, the log, lastError() and the errorReported signal).
// Closing while a campaign or a ranking runs asks first, then stops it cleanly (results kept).
#include "core/faults/flippable_tensors.h"
#include "core/faults/rank_colouring.h"

#include <QMainWindow>

#include <memory>
#include <vector>

class QDockWidget;
class QLabel;
class QStackedWidget;
class QTabWidget;

namespace flipscope::ui {

class CampaignPanel;
class EmptyState;
class GridPanel;
class PlotsPanel;
class RankingsPanel;
class ResultsPresenter;
class InspectorPanel;
class LogPanel;
class ModelTree;
class RecentFiles;
class Workbench;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opening files: false (and an error report) when the file cannot be used; what was open stays.
    bool openModel(const QString& path, const QString& configPath = {});
    bool openDataset(const QString& path);
    bool openLabels(const QString& path);
    // A file of either kind (drag and drop): datasets by content, models otherwise.
    bool openAnyFile(const QString& path);

    // A campaign's results file into the plots and the grid's damage colouring.
    bool openResults(const QString& path);
    // Sessions (.flipscope): open reports each missing file by name and opens the rest.
    bool openSession(const QString& path);
    bool saveSession(const QString& path);
    const QString& sessionPath() const { return sessionPath_; }
    // Shows the bit grid or the plots in the centre.
    void showGrid();
    void showPlots();
    // Stops a running campaign and rankings, keeping their results (window close).
    void stopBackgroundWork();
    bool backgroundWorkRunning() const;

    bool flipBit(const BitRef& bit);
    void resetFlips();

    // Errors: shown in a non-modal message box unless turned off (tests, screenshots).
    void setInteractiveErrors(bool on) { interactiveErrors_ = on; }
    QString lastError() const { return lastError_; }
    void setEmptyStateDetail(const QString& detail);

    Workbench* workbench() const { return workbench_; }
    ModelTree* modelTree() const { return tree_; }
    GridPanel* gridPanel() const { return gridPanel_; }
    InspectorPanel* inspector() const { return inspector_; }
    LogPanel* logPanel() const { return log_; }
    PlotsPanel* plotsPanel() const { return plots_; }
    CampaignPanel* campaignPanel() const { return campaign_; }
    RankingsPanel* rankingsPanel() const { return rankings_; }
    ResultsPresenter* results() const { return presenter_; }
    QTabWidget* centreTabs() const { return tabs_; }
    QLabel* statusSummary() const { return status_; }
    QList<QDockWidget*> docks() const;

signals:
    void errorReported(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createDocks();
    void createMenus();
    void connectParts();
    void reportError(const QString& title, const QString& message);
    void showModel();
    void updateTitleAndStatus();
    void scrollToLayer(const QString& layerPath, const QString& tensor);
    void chooseModel();
    void chooseDataset();
    void chooseLabels();
    void chooseResults();
    void chooseSession();
    void saveSessionAs();
    void connectCampaign();
    void showRankingsInPlots();
    bool refuseWhileCampaignRuns(const QString& title);
    void updateGridColourings();
    void rebuildRankColourings();
    void colourByRanking(const QString& method);
    QString lastDir() const;
    void rememberDir(const QString& file);
    void restoreSettings();

    Workbench* workbench_ = nullptr;
    QStackedWidget* centre_ = nullptr;
    EmptyState* empty_ = nullptr;
    GridPanel* gridPanel_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    PlotsPanel* plots_ = nullptr;
    CampaignPanel* campaign_ = nullptr;
    RankingsPanel* rankings_ = nullptr;
    ResultsPresenter* presenter_ = nullptr;
    std::vector<std::unique_ptr<RankColouring>> rankColourings_;
    QDockWidget* campaignDock_ = nullptr;
    QDockWidget* rankingsDock_ = nullptr;
    ModelTree* tree_ = nullptr;
    InspectorPanel* inspector_ = nullptr;
    LogPanel* log_ = nullptr;
    QDockWidget* treeDock_ = nullptr;
    QDockWidget* inspectorDock_ = nullptr;
    QDockWidget* logDock_ = nullptr;
    QLabel* status_ = nullptr;
    RecentFiles* recentModels_ = nullptr;
    RecentFiles* recentDatasets_ = nullptr;
    bool interactiveErrors_ = true;
    QString lastError_;
    QString sessionPath_;
};

}  // namespace flipscope::ui
