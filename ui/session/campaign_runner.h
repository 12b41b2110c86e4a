#pragma once
// Runs one core CampaignJob (core/faults/campaign_job.h) on a worker thread. Building the job
// (loading the model and data, the baseline) and the run both happen off the UI thread. The worker
// collects result rows and progress and posts them to the UI thread in batches, at most every
// kDeliveryInterval, so a fast campaign never floods the event loop. Pause, resume and cancel go
// through core's CampaignControl. Failures arrive as a message. Destroying the runner cancels and
// waits: the results file keeps every row written so far (core writes it incrementally).
#include "core/faults/campaign_job.h"
#include "ui/session/throttled_delivery.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace flipscope::ui {

class CampaignRunner : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kDeliveryInterval{100};

    explicit CampaignRunner(QObject* parent = nullptr);
    ~CampaignRunner() override;  // cancels and waits

    // Starts a campaign; false when one is running already.
    bool start(const CampaignSetup& setup);
    bool running() const { return running_; }
    bool paused() const { return control_.pause; }
    void pause();
    void resume();
    void cancel();
    // Cancels (if running) and blocks until the worker has stopped (window close, tests).
    void stopAndWait();

    const CampaignSetup& setup() const { return setup_; }
    const CampaignInfo& info() const { return info_; }  // valid from prepared() on
    const CampaignProgress& progress() const { return progress_; }

signals:
    // The job is built: its description, and the rows an earlier run had written (resume).
    void prepared(const flipscope::CampaignInfo& info, const std::vector<flipscope::FaultResult>& earlier);
    void resultsArrived(const std::vector<flipscope::FaultResult>& rows);
    void progressed(const flipscope::CampaignProgress& progress);
    void pausedChanged(bool paused);
    void finished();   // every planned fault evaluated; the file says "complete"
    void cancelled();  // stopped early; the file says "cancelled" and can be resumed
    void failed(const QString& message);

private:
    void work();
    void queueRows(const std::vector<FaultResult>& rows);
    void queueProgress(const CampaignProgress& progress);
    void deliver();
    void end();

    struct Prepared {
        CampaignInfo info;
        std::vector<FaultResult> earlier;
    };

    CampaignSetup setup_;
    CampaignInfo info_;
    CampaignProgress progress_;
    CampaignControl control_;
    std::thread worker_;
    bool running_ = false;
    // Written by the worker before it ends; read after joining it.
    bool endCancelled_ = false;
    QString endError_;

    // Shared between the worker and the UI thread.
    std::mutex mutex_;
    std::vector<FaultResult> pendingRows_;
    std::optional<CampaignProgress> pendingProgress_;
    std::optional<Prepared> pendingPrepared_;
    ThrottledDelivery delivery_;
};

}  // namespace flipscope::ui
