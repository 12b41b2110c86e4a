#include "ui/session/campaign_runner.h"

#include "core/faults/results_store.h"

#include <QMetaObject>

namespace flipscope::ui {

CampaignRunner::CampaignRunner(QObject* parent)
    : QObject(parent), delivery_(this, [this] { deliver(); }, kDeliveryInterval) {}

CampaignRunner::~CampaignRunner() {
    blockSignals(true);  // the receivers may be half destroyed already
    stopAndWait();
}

bool CampaignRunner::start(const CampaignSetup& setup) {
    if (running_) return false;
    if (worker_.joinable()) worker_.join();  // a finished worker not yet joined
    setup_ = setup;
    info_ = {};
    progress_ = {};
    control_.cancel = false;
    control_.pause = false;
    pendingRows_.clear();
    pendingProgress_.reset();
    pendingPrepared_.reset();
    delivery_.reset();
    endCancelled_ = false;
    endError_.clear();
    running_ = true;
    worker_ = std::thread([this] { work(); });
    return true;
}

void CampaignRunner::pause() {
    if (!running_ || control_.pause) return;
    control_.pause = true;
    emit pausedChanged(true);
}

void CampaignRunner::resume() {
    if (!control_.pause) return;
    control_.pause = false;
    emit pausedChanged(false);
}

void CampaignRunner::cancel() {
    if (running_) control_.cancel = true;  // the engine stops within a chunk of samples, even when paused
}

void CampaignRunner::stopAndWait() {
    cancel();
    if (worker_.joinable()) worker_.join();
    // Deliver what the worker left and end now: the calls it posted are no-ops afterwards.
    end();
}

void CampaignRunner::work() {
    QString error;
    bool wasCancelled = false;
    try {
        // Rows of an earlier run, read before the job reopens the file for appending.
        std::vector<FaultResult> earlier;
        if (setup_.resume) earlier = readCampaignResults(setup_.outPath).faults;
        CampaignJob job(setup_);
        earlier.resize(static_cast<size_t>(std::min<int64_t>(job.alreadyDone(), static_cast<int64_t>(earlier.size()))));
        {
            std::lock_guard lock(mutex_);
            pendingPrepared_ = Prepared{job.info(), std::move(earlier)};
        }
        delivery_.request(true);
        const CampaignOutcome outcome = job.run(
            control_, [this](const CampaignProgress& p) { queueProgress(p); },
            [this](const std::vector<FaultResult>& rows) { queueRows(rows); });
        wasCancelled = outcome.cancelled;
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    endCancelled_ = wasCancelled;
    endError_ = error;
    // After the last delivery in the queue; the worker is done when this runs, so end() joins at once.
    QMetaObject::invokeMethod(this, [this] { end(); }, Qt::QueuedConnection);
}

void CampaignRunner::queueRows(const std::vector<FaultResult>& rows) {
    {
        std::lock_guard lock(mutex_);
        pendingRows_.insert(pendingRows_.end(), rows.begin(), rows.end());
    }
    delivery_.request(false);
}

void CampaignRunner::queueProgress(const CampaignProgress& progress) {
    {
        std::lock_guard lock(mutex_);
        pendingProgress_ = progress;
    }
    delivery_.request(false);
}

void CampaignRunner::deliver() {
    delivery_.delivered();
    std::optional<Prepared> ready;
    std::vector<FaultResult> rows;
    std::optional<CampaignProgress> progress;
    {
        std::lock_guard lock(mutex_);
        ready.swap(pendingPrepared_);
        rows.swap(pendingRows_);
        progress.swap(pendingProgress_);
    }
    if (ready) {
        info_ = ready->info;
        emit prepared(info_, ready->earlier);
    }
    if (!rows.empty()) emit resultsArrived(rows);
    if (progress) {
        progress_ = *progress;
        emit progressed(progress_);
    }
}

void CampaignRunner::end() {
    if (!running_) return;
    if (worker_.joinable()) worker_.join();
    deliver();  // anything queued after the last posted delivery
    running_ = false;
    if (control_.pause) {
        control_.pause = false;
        emit pausedChanged(false);
    }
    if (!endError_.isEmpty()) emit failed(endError_);
    else if (endCancelled_) emit cancelled();
    else emit finished();
}

}  // namespace flipscope::ui
