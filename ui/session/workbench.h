#pragma once
// What the explorer works on: the opened model (a pristine copy and the one that bits are flipped
// in), the loaded samples and labels, the set of flipped bits, the per-bit colourings, and the
// latest before/after comparison, re-run in the background after every flip.
// Loading failures leave everything as it was and return the message.
#include "core/faults/bit_access.h"
#include "core/faults/bit_colouring.h"
#include "core/faults/flip_outcome.h"
#include "core/io/dataset.h"
#include "core/model/model_summary.h"
#include "ui/session/evaluation_runner.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace flipscope::ui {

// "econt-heldout.h5:/images" for "/any/dir/econt-heldout.h5:/images"; "x.npy" for "/dir/x.npy".
QString datasetDisplayName(const QString& spec);

class Workbench : public QObject {
    Q_OBJECT
public:
    explicit Workbench(QObject* parent = nullptr);
    ~Workbench() override;

    // --- model ---
    // `configPath` empty: a .json beside a weights-only file is used.
    bool openModel(const QString& path, const QString& configPath, QString* error);
    bool hasModel() const { return model_ != nullptr; }
    const Model* model() const { return model_.get(); }
    const Model* pristineModel() const { return pristine_.get(); }
    const QString& modelPath() const { return modelPath_; }
    const QString& configPath() const { return configPath_; }
    const QStringList& loadWarnings() const { return warnings_; }
    const ModelSummary& summary() const { return summary_; }
    const std::vector<FlippableTensor>& tensors() const;
    const BitAccess* bits() const { return access_.get(); }
    const std::vector<std::unique_ptr<BitColouring>>& colourings() const { return colourings_; }

    // --- samples ---
    bool openDataset(const QString& path, QString* error);
    bool openLabels(const QString& path, QString* error);
    void setNormalization(Normalization n) { normalization_ = n; }
    Normalization normalization() const { return normalization_; }
    void setSampleLimit(int64_t limit) { sampleLimit_ = limit; }
    int64_t sampleLimit() const { return sampleLimit_; }
    bool hasDataset() const { return inputs_ != nullptr; }
    const Tensor* inputs() const { return inputs_.get(); }
    const QString& datasetPath() const { return datasetPath_; }
    const QString& labelsPath() const { return labelsPath_; }
    bool hasLabels() const { return labels_ && !labels_->empty(); }
    const std::vector<int64_t>* labels() const { return labels_.get(); }
    OutcomeMetric metric() const;

    // --- flips ---
    const std::set<BitRef>& flips() const { return flips_; }
    bool isFlipped(const BitRef& ref) const { return flips_.count(ref) > 0; }
    // Flips the bit (or flips it back when it is flipped); returns false for a bit outside the model.
    bool toggleFlip(const BitRef& ref);
    void resetFlips();

    // --- before/after ---
    const FlipComparison* comparison() const { return comparison_.get(); }
    bool evaluating() const { return runner_.busy(); }
    void reevaluate();
    EvaluationRunner& runner() { return runner_; }

signals:
    void modelChanged();
    void datasetChanged();
    void flipsChanged();
    void evaluationStarted();
    void evaluationFinished();
    void evaluationFailed(const QString& message);
    void logMessage(const QString& message);

private:
    void clearDataset();
    void startEvaluation();

    std::shared_ptr<const Model> pristine_;
    std::unique_ptr<Model> model_;
    std::unique_ptr<BitAccess> access_;
    std::vector<std::unique_ptr<BitColouring>> colourings_;
    ModelSummary summary_;
    QString modelPath_, configPath_;
    QStringList warnings_;

    std::shared_ptr<const Tensor> inputs_;
    std::shared_ptr<const std::vector<int64_t>> labels_;
    QString datasetPath_, labelsPath_;
    Normalization normalization_ = Normalization::None;
    int64_t sampleLimit_ = 5000;

    std::set<BitRef> flips_;
    std::shared_ptr<const FlipComparison> comparison_;
    EvaluationRunner runner_;
};

}  // namespace flipscope::ui
