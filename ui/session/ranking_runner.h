#pragma once
// Computes bit rankings (core/sensitivity/ranking_job.h) on a worker thread, one method after
// another: progress is posted to the UI thread throttled, each ranking as soon as it is ready,
// failures of one method as a message (the others still run). Cancel stops the running method
// between its steps; destroying the runner cancels and waits.
#include "core/faults/bit_space.h"
#include "core/sensitivity/ranking_job.h"

#include <QObject>
#include <QStringList>

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "ui/session/throttled_delivery.h"

namespace flipscope::ui {

// A ranking with the bit space its global indices refer to (and the selection that made it).
struct ComputedRanking {
    BitRanking ranking;
    BitSpace space;
    BitSpaceFilter filter;
};

class RankingRunner : public QObject {
    Q_OBJECT
public:
    explicit RankingRunner(QObject* parent = nullptr);
    ~RankingRunner() override;

    // Runs `methods` in order with `setup` (its method field is replaced); false when busy.
    bool start(const RankingSetup& setup, const QStringList& methods);
    bool running() const { return running_; }
    void cancel();
    void stopAndWait();

signals:
    void progressed(const QString& method, double fraction, const QString& stage);
    void rankingReady(const flipscope::ui::ComputedRanking& ranking);
    void methodFailed(const QString& method, const QString& message);
    void finished(bool cancelled);

private:
    void work(RankingSetup setup, QStringList methods);
    void deliver();
    void end();

    struct Progress {
        QString method, stage;
        double fraction = 0.0;
    };

    std::thread worker_;
    std::atomic<bool> cancel_{false};
    bool running_ = false;

    std::mutex mutex_;  // guards the pending data below
    std::optional<Progress> pendingProgress_;
    std::vector<ComputedRanking> pendingRankings_;
    std::vector<std::pair<QString, QString>> pendingFailures_;
    ThrottledDelivery delivery_;
};

}  // namespace flipscope::ui
