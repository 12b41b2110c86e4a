#include "ui/session/evaluation_runner.h"

#include <QMetaObject>

namespace flipscope::ui {

EvaluationRunner::EvaluationRunner(QObject* parent) : QObject(parent) {
    pool_.setMaxThreadCount(1);  // core parallelizes inside a job; jobs run in order
}

EvaluationRunner::~EvaluationRunner() { pool_.waitForDone(); }

quint64 EvaluationRunner::run(EvaluationJob job) {
    const quint64 generation = ++latest_;
    ++pending_;
    emit started(generation);
    pool_.start([this, generation, job = std::move(job)] {
        std::shared_ptr<const FlipComparison> result;
        QString error;
        if (generation == latest_) {  // skip work that is already stale
            try {
                result = std::make_shared<const FlipComparison>(compareModels(*job.pristine, *job.flipped, *job.inputs,
                                                                              *job.labels, job.metric, job.knownBefore));
            } catch (const std::exception& e) {
                error = QString::fromStdString(e.what());
            }
        }
        // The pool is waited for in the destructor, so `this` outlives this call.
        QMetaObject::invokeMethod(this, [this, generation, result, error] { deliver(generation, result, error); },
                                  Qt::QueuedConnection);
    });
    return generation;
}

void EvaluationRunner::deliver(quint64 generation, std::shared_ptr<const FlipComparison> result, const QString& error) {
    --pending_;
    if (generation != latest_) return;
    if (!error.isEmpty()) emit failed(generation, error);
    else if (result) emit finished(generation, std::move(result));
}

void EvaluationRunner::waitForIdle() {
    pool_.waitForDone();
}

}  // namespace flipscope::ui
