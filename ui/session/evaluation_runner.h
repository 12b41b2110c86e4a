#pragma once
// Runs core's flip comparison (pristine vs flipped model on the loaded samples) on a background
// thread, one job at a time; a newer request makes older results stale (they are dropped).
// The jobs work on immutable snapshots, so the UI may flip more bits meanwhile.
#include "core/faults/flip_outcome.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <optional>

namespace flipscope::ui {

struct EvaluationJob {
    std::shared_ptr<const Model> pristine;
    std::shared_ptr<const Model> flipped;  // == pristine when nothing is flipped
    std::shared_ptr<const Tensor> inputs;
    std::shared_ptr<const std::vector<int64_t>> labels;
    OutcomeMetric metric = OutcomeMetric::Mse;
    std::optional<Outcome> knownBefore;  // reuse the pristine model's outcome
};

class EvaluationRunner : public QObject {
    Q_OBJECT
public:
    explicit EvaluationRunner(QObject* parent = nullptr);
    ~EvaluationRunner() override;  // waits for the running job

    // Starts a job; returns its generation number.
    quint64 run(EvaluationJob job);
    bool busy() const { return pending_ > 0; }
    // Blocks until every started job has finished (tests, shutdown).
    void waitForIdle();

signals:
    void started(quint64 generation);
    // Only for the newest request; older ones are dropped silently.
    void finished(quint64 generation, std::shared_ptr<const flipscope::FlipComparison> result);
    void failed(quint64 generation, const QString& message);

private:
    void deliver(quint64 generation, std::shared_ptr<const FlipComparison> result, const QString& error);

    QThreadPool pool_;
    std::atomic<quint64> latest_{0};
    int pending_ = 0;
};

}  // namespace flipscope::ui
