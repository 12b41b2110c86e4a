#pragma once
// The plots of the study, one tab per figure kind (ui/plots/figure.h), over a comparison of
// campaigns (several models' results files) and the rankings computed so far. Redraws are
// throttled (at most a few per second) so a running campaign can feed it results continuously
// without starving anything. Each tab exports PDF, SVG, PNG (chosen DPI) and the plotted data as
// CSV, from its context menu, the panel's Export button or exportCurrent() (these ask for the file;
// exportFigure()/exportCsv() take it); the publication preset is a toggle. A figure that cannot be
// drawn (no campaign yet, a BER figure of a single-bit campaign) shows why in its middle.
#include "core/faults/campaign_result.h"
#include "core/faults/results_store.h"
#include "core/sensitivity/bit_ranking.h"
#include "ui/plots/export_dialogs.h"
#include "ui/plots/figure.h"

#include <QJsonObject>
#include <QWidget>

#include <memory>

#include <vector>

class QCustomPlot;
class QTabWidget;

namespace flipscope::ui {

class PlotsPanel : public QWidget {
    Q_OBJECT
public:
    explicit PlotsPanel(QWidget* parent = nullptr);
    ~PlotsPanel() override;

    // --- the comparison ---
    // Adds (or replaces, same results path) a campaign. Returns its index.
    int setCampaign(const QString& resultsPath, const CampaignResults& results, const QString& label = {});
    // A running campaign's new rows (plan order) for the campaign at `index`.
    void appendResults(int index, const std::vector<FaultResult>& rows);
    void removeCampaign(int index);
    void clearCampaigns();
    QStringList campaignPaths() const;
    // Which campaign the ranking/histogram/distribution/ber figures use (default: the last set).
    void setCurrentCampaign(int index);
    int currentCampaign() const;

    void setRanking(const BitRanking& ranking);  // replaces one of the same method
    void clearRankings();
    const std::vector<BitRanking>& rankings() const;

    // --- view ---
    void showFigure(FigureKind kind);
    FigureKind currentFigure() const;
    QCustomPlot* plot(FigureKind kind) const;
    // What the figures are drawn from now: every campaign in order (the bits-to-protect figure);
    // the other figures get the current campaign only.
    FigureInputs inputs() const;
    FigureTable table(FigureKind kind) const;  // the data last drawn
    void setStyle(const FigureStyle& style);
    const FigureStyle& style() const;
    void setNormalizedAxes(bool on);
    void setLogCounts(bool on);
    // Settings for sessions (normalized axes, log counts, preset, current figure).
    QJsonObject settings() const;
    void applySettings(const QJsonObject& settings);

    // Redraw now (tests, export); otherwise redraws happen on a throttle timer after changes.
    void redrawNow();
    int redrawCount() const;

    // Exports the figure with the current style; throws flipscope::Error on failure.
    void exportFigure(FigureKind kind, const QString& path, int dpi = 300) const;
    void exportCsv(FigureKind kind, const QString& path) const;

public slots:
    // Asks for the file (and a PNG's DPI, default 300) and exports the current figure; failures
    // are shown and reported through errorReported.
    void exportCurrent(ExportFormat format);

signals:
    void redrawn();
    void errorReported(const QString& message);
    void logMessage(const QString& message);

private:
    void scheduleRedraw();
    void redrawVisible();
    void redrawFigure(FigureKind kind);
    void exportInteractively(FigureKind kind, ExportFormat format);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace flipscope::ui
