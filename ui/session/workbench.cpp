#include "ui/session/workbench.h"

#include "core/faults/basic_colourings.h"
#include "core/faults/bit_flip.h"
#include "core/io/dataset.h"
#include "core/io/keras_h5_loader.h"
#include "core/model/input_fit.h"
#include "ui/session/dataset_spec_text.h"

#include <QFileInfo>

namespace flipscope::ui {

namespace {
const std::vector<FlippableTensor> kNoTensors;
}

QString datasetDisplayName(const QString& spec) {
    const DatasetSpecText parts = DatasetSpecText::split(spec);
    return parts.withFile(QFileInfo(parts.file).fileName());
}

Workbench::Workbench(QObject* parent) : QObject(parent) {
    connect(&runner_, &EvaluationRunner::finished, this,
            [this](quint64, std::shared_ptr<const FlipComparison> result) {
                comparison_ = std::move(result);
                emit evaluationFinished();
            });
    connect(&runner_, &EvaluationRunner::failed, this, [this](quint64, const QString& message) {
        emit logMessage("Evaluation failed: " + message);
        emit evaluationFailed(message);
    });
}

Workbench::~Workbench() = default;

const std::vector<FlippableTensor>& Workbench::tensors() const { return access_ ? access_->tensors() : kNoTensors; }

bool Workbench::openModel(const QString& path, const QString& configPath, QString* error) {
    LoadedModel loaded;
    try {
        ModelLoadOptions options;
        if (!configPath.isEmpty()) options.configPath = configPath.toStdString();
        loaded = loadKerasModel(path.toStdString(), options);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    // Everything below keeps pointers into model_: build it in this order.
    colourings_.clear();
    access_.reset();
    pristine_ = std::make_shared<const Model>(*loaded.model);
    model_ = std::move(loaded.model);
    access_ = std::make_unique<BitAccess>(*model_);
    colourings_ = basicColourings(*access_);
    summary_ = summarize(*model_);
    modelPath_ = path;
    configPath_ = QString::fromStdString(loaded.configPath);
    warnings_.clear();
    for (const auto& w : loaded.warnings) warnings_ << QString::fromStdString(w);
    flips_.clear();
    comparison_.reset();
    emit logMessage(QString("Opened %1: %2 quantized parameters, %3 bits (architecture from %4)")
                        .arg(QFileInfo(path).fileName())
                        .arg(summary_.totalParams)
                        .arg(summary_.totalBits)
                        .arg(QFileInfo(configPath_).fileName()));
    for (const auto& w : warnings_) emit logMessage("Warning: " + w);
    emit modelChanged();
    // Samples that no longer fit the new model are dropped; others are re-run.
    if (inputs_) {
        QString message;
        const QString dataset = datasetPath_;
        clearDataset();
        if (!openDataset(dataset, &message)) emit logMessage("Dataset closed: " + message);
    } else {
        emit flipsChanged();
    }
    return true;
}

void Workbench::clearDataset() {
    inputs_.reset();
    labels_.reset();
    datasetPath_.clear();
    labelsPath_.clear();
    comparison_.reset();
}

bool Workbench::openDataset(const QString& path, QString* error) {
    if (!model_) {
        if (error) *error = "Open a model first: a dataset is run through the open model.";
        return false;
    }
    Tensor data;
    int64_t available = 0;
    try {
        DatasetOptions options;
        options.limit = sampleLimit_;
        options.normalization = normalization_;
        data = loadDataset(path.toStdString(), options);
        available = data.rank() ? data.dim(0) : 0;
        data = fitToModelInput(std::move(data), model_->modelInputShapes().at(0), datasetDisplayName(path).toStdString());
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    inputs_ = std::make_shared<const Tensor>(std::move(data));
    labels_.reset();
    datasetPath_ = path;
    comparison_.reset();
    emit logMessage(QString("Loaded %1 samples of shape %2 from %3%4")
                        .arg(available)
                        .arg(QString::fromStdString(shapeToString(model_->modelInputShapes().at(0))))
                        .arg(datasetDisplayName(path))
                        .arg(available >= sampleLimit_ ? QString(" (first %1 only)").arg(sampleLimit_) : QString()));
    emit datasetChanged();
    startEvaluation();
    return true;
}

bool Workbench::openLabels(const QString& path, QString* error) {
    if (!inputs_) {
        if (error) *error = "Open a dataset first: labels belong to its samples.";
        return false;
    }
    try {
        auto labels = loadLabels(path.toStdString(), inputs_->dim(0));
        if (static_cast<int64_t>(labels.size()) != inputs_->dim(0))
            throw std::runtime_error(QString("%1 has %2 labels for %3 samples")
                                         .arg(datasetDisplayName(path))
                                         .arg(labels.size())
                                         .arg(inputs_->dim(0))
                                         .toStdString());
        labels_ = std::make_shared<const std::vector<int64_t>>(std::move(labels));
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    labelsPath_ = path;
    comparison_.reset();
    emit logMessage(QString("Loaded %1 labels from %2").arg(labels_->size()).arg(datasetDisplayName(path)));
    emit datasetChanged();
    startEvaluation();
    return true;
}

OutcomeMetric Workbench::metric() const {
    return model_ ? chooseOutcomeMetric(*model_, hasLabels()) : OutcomeMetric::MeanAbsChange;
}

bool Workbench::toggleFlip(const BitRef& ref) {
    if (!access_ || !access_->contains(ref)) return false;
    const BitState before = access_->flip(ref);
    if (!flips_.erase(ref)) flips_.insert(ref);
    for (auto& c : colourings_) c->weightsChanged();
    const auto& t = access_->tensors()[ref.tensor];
    emit logMessage(QString("%1 %2:%3[%4] bit %5: %6 → %7")
                        .arg(isFlipped(ref) ? "Flipped" : "Restored")
                        .arg(QString::fromStdString(t.layerPath), QString::fromStdString(t.tensor))
                        .arg(ref.index)
                        .arg(ref.bit)
                        .arg(before.value)
                        .arg(before.flippedValue));
    emit flipsChanged();
    startEvaluation();
    return true;
}

void Workbench::resetFlips() {
    if (!model_ || flips_.empty()) return;
    restoreWeights(*model_, *pristine_);
    for (auto& c : colourings_) c->weightsChanged();
    emit logMessage(QString("Reset %1 flipped bit(s): the model is as loaded").arg(flips_.size()));
    flips_.clear();
    emit flipsChanged();
    startEvaluation();
}

void Workbench::reevaluate() { startEvaluation(); }

void Workbench::startEvaluation() {
    if (!model_ || !inputs_) return;
    EvaluationJob job;
    job.pristine = pristine_;
    job.flipped = flips_.empty() ? pristine_ : std::make_shared<const Model>(*model_);
    job.inputs = inputs_;
    job.labels = labels_ ? labels_ : std::make_shared<const std::vector<int64_t>>();
    job.metric = metric();
    if (comparison_) job.knownBefore = comparison_->before;
    runner_.run(std::move(job));
    emit evaluationStarted();
}

}  // namespace flipscope::ui
