#include "ui/session/ranking_runner.h"

#include "core/common/error.h"

#include <QMetaObject>

namespace flipscope::ui {

RankingRunner::RankingRunner(QObject* parent)
    : QObject(parent), delivery_(this, [this] { deliver(); }, std::chrono::milliseconds(100)) {}

RankingRunner::~RankingRunner() {
    blockSignals(true);  // the receivers may be half destroyed already
    stopAndWait();
}

bool RankingRunner::start(const RankingSetup& setup, const QStringList& methods) {
    if (running_) return false;
    if (worker_.joinable()) worker_.join();
    cancel_ = false;
    running_ = true;
    delivery_.reset();
    worker_ = std::thread([this, setup, methods] { work(setup, methods); });
    return true;
}

void RankingRunner::cancel() { cancel_ = true; }

void RankingRunner::stopAndWait() {
    cancel();
    if (worker_.joinable()) worker_.join();
    end();
}

void RankingRunner::work(RankingSetup setup, QStringList methods) {
    for (const QString& method : methods) {
        if (cancel_) break;
        try {
            setup.method = method.toStdString();
            RankingJob job(setup);
            ComputedRanking computed;
            computed.ranking = job.run(&cancel_, [this, method](double fraction, const std::string& stage) {
                {
                    std::lock_guard lock(mutex_);
                    pendingProgress_ = Progress{method, QString::fromStdString(stage), fraction};
                }
                delivery_.request();
            });
            computed.space = job.bitSpace();
            computed.filter = setup.filter;
            std::lock_guard lock(mutex_);
            pendingRankings_.push_back(std::move(computed));
        } catch (const Cancelled&) {
            break;
        } catch (const std::exception& e) {
            std::lock_guard lock(mutex_);
            pendingFailures_.emplace_back(method, QString::fromStdString(e.what()));
        }
        delivery_.request(true);
    }
    QMetaObject::invokeMethod(this, [this] { end(); }, Qt::QueuedConnection);
}

void RankingRunner::deliver() {
    delivery_.delivered();
    std::optional<Progress> progress;
    std::vector<ComputedRanking> rankings;
    std::vector<std::pair<QString, QString>> failures;
    {
        std::lock_guard lock(mutex_);
        progress.swap(pendingProgress_);
        rankings.swap(pendingRankings_);
        failures.swap(pendingFailures_);
    }
    if (progress) emit progressed(progress->method, progress->fraction, progress->stage);
    for (const auto& r : rankings) emit rankingReady(r);
    for (const auto& [method, message] : failures) emit methodFailed(method, message);
}

void RankingRunner::end() {
    if (!running_) return;
    if (worker_.joinable()) worker_.join();
    deliver();
    running_ = false;
    emit finished(cancel_);
}

}  // namespace flipscope::ui
