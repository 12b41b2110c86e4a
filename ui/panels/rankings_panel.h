#pragma once
// The Rankings dock: one row per ranking method (random, msb, gradient, hessian, taylor,
// bit-taylor), each with its state and, once a campaign's results are shown, its score against
// that campaign's oracle (area under the found-bits curve relative to the oracle's, and the bits
// needed to find 99 % of the bits to protect). "Compute" runs the checked methods in a
// RankingRunner on a worker thread (progress, cancel); a ranking can colour the bit grid, be saved
// as CSV, or be loaded from a CSV. Rankings cover the bits chosen in the Campaign panel.
#include "core/faults/results_store.h"
#include "ui/session/ranking_runner.h"

#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace flipscope::ui {

class Workbench;

class RankingsPanel : public QWidget {
    Q_OBJECT
public:
    enum Column { Method, State, Score, BitsFor99, ColumnCount };

    RankingsPanel(Workbench* workbench, QWidget* parent = nullptr);

    // Where the bits to rank come from (the Campaign panel's selection); default: kernels.
    void setFilterSource(std::function<BitSpaceFilter()> source) { filterSource_ = std::move(source); }
    // The campaign whose oracle the rankings are scored against (none: no scores).
    void setOracleResults(std::optional<CampaignResults> results);

    // A new model: stops computing and forgets the rankings (they index the old model's bits).
    void modelChanged();
    // Computes the given methods (empty: the checked rows); false when busy or nothing to do.
    bool compute(const QStringList& methods = {});
    RankingRunner* runner() const { return runner_; }
    const std::vector<ComputedRanking>& rankings() const { return rankings_; }
    // The rankings with their orders re-expressed in the bit space of the oracle's results (bits
    // outside it dropped), as the plots compare them; unchanged when there are no results.
    std::vector<BitRanking> rankingsForResults() const;
    // Adds (or replaces, same method) a ranking, e.g. read from a session's CSV.
    void addRanking(const ComputedRanking& ranking);
    void clearRankings();
    // Reads a ranking CSV over the current selection's bit space, or over `bits`; throws
    // InputError naming the file.
    ComputedRanking readCsv(const QString& path) const;
    ComputedRanking readCsv(const QString& path, const BitSpaceFilter& bits) const;

    QTableWidget* table() const { return table_; }
    QPushButton* computeButton() const { return compute_; }
    QPushButton* cancelButton() const { return cancel_; }
    QSpinBox* sampleLimitBox() const { return samples_; }

signals:
    void rankingsChanged(const std::vector<flipscope::ui::ComputedRanking>& rankings);
    void colourGridRequested(const QString& method);
    void errorReported(const QString& title, const QString& message);
    void logMessage(const QString& message);

private:
    int rowOf(const QString& method);
    void updateScores();
    void updateButtons();
    QString selectedMethod() const;
    void saveSelectedCsv();
    void loadCsv();

    Workbench* workbench_;
    RankingRunner* runner_ = nullptr;
    std::function<BitSpaceFilter()> filterSource_;
    std::vector<ComputedRanking> rankings_;
    std::optional<CampaignResults> oracleResults_;

    QTableWidget* table_ = nullptr;
    QSpinBox* samples_ = nullptr;
    QPushButton* compute_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* colour_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* load_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* progressText_ = nullptr;
};

}  // namespace flipscope::ui
