#pragma once
// The Campaign dock: what to measure (metric, sample limit), which bits (BitSelectionEditor), how
// to pick faults (CampaignPlanEditor, with the bit space size N and the planned faults n shown
// live), threads and the results file; Start, Pause/Resume, Cancel, a progress bar with rate and
// ETA, and "Open results…". The campaign runs in a CampaignRunner on a worker thread through core's
// CampaignJob, on the files the workbench has open. An existing results file is never replaced
// without asking; a stopped campaign of the same setup is offered for resuming.
#include "core/faults/campaign_job.h"
#include "ui/session/ranking_runner.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace flipscope::ui {

class BitSelectionEditor;
class CampaignPlanEditor;
class CampaignRunner;
class Workbench;

class CampaignPanel : public QWidget {
    Q_OBJECT
public:
    CampaignPanel(Workbench* workbench, QWidget* parent = nullptr);
    ~CampaignPanel() override;

    // Tests and scripts: no dialogs; an existing results file is resumed when it can be, else refused.
    void setInteractive(bool on) { interactive_ = on; }
    // Rankings offered for the ranked plan.
    void setRankings(const std::vector<ComputedRanking>& rankings);

    // The campaign the form describes; throws InputError naming the field.
    CampaignSetup setupFromForm() const;
    // Starts the campaign of the form; false (and errorReported) when it cannot start.
    bool start();

    CampaignRunner* runner() const { return runner_; }
    QComboBox* metricBox() const { return metric_; }
    QSpinBox* sampleLimitBox() const { return samples_; }
    QSpinBox* threadsBox() const { return threads_; }
    QLineEdit* outputEdit() const { return output_; }
    BitSelectionEditor* bitSelection() const { return bits_; }
    CampaignPlanEditor* planEditor() const { return plan_; }
    QLabel* countsLabel() const { return counts_; }
    QPushButton* startButton() const { return start_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* progressLabel() const { return progressText_; }

signals:
    void openResultsRequested();
    void errorReported(const QString& title, const QString& message);
    void logMessage(const QString& message);

private:
    void modelChanged();
    void updateCounts();
    void updateDefaultOutput();
    void updateButtons();
    void chooseOutput();
    // Resume, overwrite or give up when the results file exists; false: do not start.
    bool settleExistingFile(CampaignSetup& setup);
    std::vector<int64_t> rankedOrder(const BitSpaceFilter& filter) const;
    void showProgress(const CampaignProgress& p);

    Workbench* workbench_;
    CampaignRunner* runner_ = nullptr;
    std::vector<ComputedRanking> rankings_;
    bool interactive_ = true;
    bool outputEdited_ = false;    // the user typed or chose a file: stop proposing names
    bool proposingOutput_ = false; // updateDefaultOutput() is setting the name

    QComboBox* metric_ = nullptr;
    QSpinBox* samples_ = nullptr;
    BitSelectionEditor* bits_ = nullptr;
    CampaignPlanEditor* plan_ = nullptr;
    QLabel* counts_ = nullptr;
    QSpinBox* threads_ = nullptr;
    QLineEdit* output_ = nullptr;
    QWidget* form_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* open_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* progressText_ = nullptr;
};

}  // namespace flipscope::ui
