#include "ui/main/results_presenter.h"

#include "core/faults/bit_space_json.h"
#include "core/faults/bit_space_mapping.h"
#include "ui/panels/grid_panel.h"
#include "ui/panels/plots_panel.h"
#include "ui/session/workbench.h"

#include <QFileInfo>

namespace flipscope::ui {

ResultsPresenter::ResultsPresenter(Workbench* workbench, PlotsPanel* plots, GridPanel* grid, QObject* parent)
    : QObject(parent), workbench_(workbench), plots_(plots), grid_(grid) {
    repaint_.setSingleShot(true);
    repaint_.setInterval(kGridRepaintMs);
    connect(&repaint_, &QTimer::timeout, this, [this] {
        if (grid_->currentColouring() == damage_.get()) grid_->refreshColours();
    });
    modelChanged();
}

ResultsPresenter::~ResultsPresenter() = default;

void ResultsPresenter::modelChanged() {
    damage_ = std::make_unique<DamageColouring>(workbench_->tensors());
    // Results of the previous model stay in the plots' comparison; the grid shows the new model's.
    if (current_) {
        try {
            damage_->reset(BitSpaceMapping(bitSpaceFromJson(current_->info.bitSpace, currentPath_.toStdString()), workbench_->tensors()),
                           current_->info.lowerIsBetter, current_->info.metric);
            damage_->add(current_->faults);
        } catch (const std::exception&) {
        }
    }
}

QString ResultsPresenter::labelFor(const CampaignInfo& info) const {
    // The kernel signature is known for the open model; other models get the plots' default label.
    const QFileInfo model(QString::fromStdString(info.modelPath));
    if (!workbench_->hasModel() || model.canonicalFilePath() != QFileInfo(workbench_->modelPath()).canonicalFilePath())
        return {};
    return model.completeBaseName() + " " + QString::fromStdString(workbench_->summary().kernelSignature);
}

void ResultsPresenter::show(const QString& path, const CampaignResults& results) {
    current_ = results;
    currentPath_ = path;
    damage_->reset(BitSpaceMapping(bitSpaceFromJson(results.info.bitSpace, path.toStdString()), workbench_->tensors()),
                   results.info.lowerIsBetter, results.info.metric);
    damage_->add(results.faults);
    plotIndex_ = plots_->setCampaign(path, results, labelFor(results.info));
    plots_->setCurrentCampaign(plotIndex_);
    grid_->refreshColours();
    emit currentChanged();
}

void ResultsPresenter::campaignPrepared(const QString& path, const CampaignInfo& info, const std::vector<FaultResult>& earlier) {
    show(path, CampaignResults{info, earlier});
    grid_->selectColouring(QString::fromStdString(damage_->name()));
}

void ResultsPresenter::resultsArrived(const std::vector<FaultResult>& rows) {
    if (!current_ || plotIndex_ < 0) return;
    current_->faults.insert(current_->faults.end(), rows.begin(), rows.end());
    damage_->add(rows);
    plots_->appendResults(plotIndex_, rows);
    scheduleGridRepaint();
}

void ResultsPresenter::scheduleGridRepaint() {
    if (!repaint_.isActive()) repaint_.start();
}

void ResultsPresenter::campaignEnded() {
    if (currentPath_.isEmpty()) return;
    QString error;
    if (!openResults(currentPath_, &error)) emit logMessage(error);
}

bool ResultsPresenter::openResults(const QString& path, QString* error) {
    CampaignResults results;
    try {
        results = readCampaignResults(path.toStdString());
        show(path, results);
    } catch (const std::exception& e) {
        if (error) *error = QFileInfo(path).fileName() + ": " + QString::fromStdString(e.what());
        return false;
    }
    const int64_t measured = damage_->measuredCount();
    emit logMessage(QString("Results %1: %2 of %3 faults (%4), %5 bits of the open model coloured")
                        .arg(QFileInfo(path).fileName())
                        .arg(results.faults.size())
                        .arg(results.info.totalFaults)
                        .arg(QString::fromStdString(results.info.status))
                        .arg(measured));
    return true;
}

}  // namespace flipscope::ui
