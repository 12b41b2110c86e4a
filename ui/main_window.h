#pragma once
// The Flipscope explorer window: model tree (left), bit grid (centre), inspector (right), log and
// progress (bottom). Opens models and datasets from the File menu, the recent-files lists, the
// command line or by drag and drop; errors are reported without blocking (a non-modal message
// box, the log, lastError() and the errorReported signal).
#include "core/faults/flippable_tensors.h"

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QStackedWidget;

namespace flipscope::ui {

class EmptyState;
class GridPanel;
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
    QString lastDir() const;
    void rememberDir(const QString& file);
    void restoreSettings();

    Workbench* workbench_ = nullptr;
    QStackedWidget* centre_ = nullptr;
    EmptyState* empty_ = nullptr;
    GridPanel* gridPanel_ = nullptr;
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
};

}  // namespace flipscope::ui
