#pragma once
// Shows campaign results in the Plots tab and in the bit grid's "measured damage" colouring: a
// running campaign's rows as they arrive (the grid repaint throttled to a few per second), and
// results files the user opens. Each campaign joins the plots' comparison under the label
// "<model> <kernel signature>", so campaigns of several models compare side by side.
#include "core/faults/damage_colouring.h"
#include "core/faults/results_store.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace flipscope::ui {

class GridPanel;
class PlotsPanel;
class Workbench;

class ResultsPresenter : public QObject {
    Q_OBJECT
public:
    static constexpr int kGridRepaintMs = 250;

    ResultsPresenter(Workbench* workbench, PlotsPanel* plots, GridPanel* grid, QObject* parent = nullptr);
    ~ResultsPresenter() override;

    // The damage colouring for the open model (rebuilt by modelChanged()).
    const DamageColouring* damage() const { return damage_.get(); }
    void modelChanged();

    // A campaign being run: its description and the rows of an earlier run (resume), then rows.
    void campaignPrepared(const QString& path, const CampaignInfo& info, const std::vector<FaultResult>& earlier);
    void resultsArrived(const std::vector<FaultResult>& rows);
    // The campaign stopped: the file is read back (its final status).
    void campaignEnded();
    // A results file from disk; false and a message naming the file when it cannot be read.
    bool openResults(const QString& path, QString* error);

    // The campaign shown last (the rankings' oracle), and its file.
    const std::optional<CampaignResults>& current() const { return current_; }
    QString currentPath() const { return currentPath_; }

signals:
    void currentChanged();
    void logMessage(const QString& message);

private:
    void show(const QString& path, const CampaignResults& results);
    QString labelFor(const CampaignInfo& info) const;
    void scheduleGridRepaint();

    Workbench* workbench_;
    PlotsPanel* plots_;
    GridPanel* grid_;
    std::unique_ptr<DamageColouring> damage_;
    std::optional<CampaignResults> current_;
    QString currentPath_;
    int plotIndex_ = -1;
    QTimer repaint_;
};

}  // namespace flipscope::ui
