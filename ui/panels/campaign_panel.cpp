#include "ui/panels/campaign_panel.h"

#include "core/common/error.h"
#include "core/faults/bit_space_mapping.h"
#include "core/metrics/metric_registry.h"
#include "ui/panels/bit_selection_editor.h"
#include "ui/panels/campaign_plan_editor.h"
#include "ui/session/campaign_output_file.h"
#include "ui/session/campaign_runner.h"
#include "ui/session/workbench.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <thread>

namespace flipscope::ui {

namespace {

QString count(int64_t n) { return QLocale().toString(static_cast<qlonglong>(n)); }

QString duration(double seconds) {
    if (!(seconds >= 0) || seconds > 1e7) return "–";
    const auto s = static_cast<int64_t>(seconds + 0.5);
    if (s < 60) return QString("%1 s").arg(s);
    if (s < 3600) return QString("%1:%2 min").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
    return QString("%1:%2 h").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
}

// The metric the explorer itself uses for this model, as a metric registry name.
QString defaultMetric(const Workbench& wb) {
    switch (wb.metric()) {
        case OutcomeMetric::Emd: return "emd";
        case OutcomeMetric::Accuracy: return "accuracy";
        default: return "mse";
    }
}

QGroupBox* group(const QString& title, QWidget* parent) {
    auto* box = new QGroupBox(title, parent);
    box->setFlat(true);
    return box;
}

}  // namespace

CampaignPanel::CampaignPanel(Workbench* workbench, QWidget* parent) : QWidget(parent), workbench_(workbench) {
    setObjectName("CampaignPanel");
    runner_ = new CampaignRunner(this);
    form_ = new QWidget(this);

    metric_ = new QComboBox(form_);
    metric_->setObjectName("campaignMetric");
    for (const MetricInfo& m : metricInfos()) {
        metric_->addItem(QString::fromStdString(m.name));
        metric_->setItemData(metric_->count() - 1, QString::fromStdString(m.description), Qt::ToolTipRole);
    }
    samples_ = new QSpinBox(form_);
    samples_->setObjectName("campaignSamples");
    samples_->setRange(0, 100000000);
    samples_->setValue(1000);
    samples_->setSpecialValueText("all");
    samples_->setToolTip("Evaluate each fault on the first N samples of the dataset (0 = all)");
    auto* measure = group("Measure", form_);
    auto* measureForm = new QFormLayout(measure);
    measureForm->addRow("Metric", metric_);
    measureForm->addRow("Samples", samples_);

    bits_ = new BitSelectionEditor(form_);
    auto* bitsBox = group("Bits", form_);
    (new QVBoxLayout(bitsBox))->addWidget(bits_);

    plan_ = new CampaignPlanEditor(form_);
    counts_ = new QLabel(form_);
    counts_->setObjectName("campaignCounts");
    counts_->setWordWrap(true);
    threads_ = new QSpinBox(form_);
    threads_->setRange(0, 1024);
    threads_->setSpecialValueText(QString("all cores (%1)").arg(std::max(1u, std::thread::hardware_concurrency())));
    auto* planBox = group("Faults", form_);
    auto* planLayout = new QVBoxLayout(planBox);
    planLayout->addWidget(plan_);
    planLayout->addWidget(counts_);
    auto* threadsRow = new QFormLayout;
    threadsRow->setContentsMargins(0, 0, 0, 0);
    threadsRow->addRow("Threads", threads_);
    planLayout->addLayout(threadsRow);

    output_ = new QLineEdit(form_);
    output_->setObjectName("campaignOutput");
    output_->setToolTip("HDF5 results file, written as results come in");
    auto* browse = new QToolButton(form_);
    browse->setText("…");
    browse->setToolTip("Choose the results file");
    auto* outBox = group("Results file", form_);
    auto* outRow = new QHBoxLayout(outBox);
    outRow->addWidget(output_, 1);
    outRow->addWidget(browse);

    auto* formLayout = new QVBoxLayout(form_);
    formLayout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* w : std::initializer_list<QWidget*>{measure, bitsBox, planBox, outBox}) formLayout->addWidget(w);

    start_ = new QPushButton("Start", this);
    start_->setObjectName("campaignStart");
    pause_ = new QPushButton("Pause", this);
    pause_->setObjectName("campaignPause");
    cancel_ = new QPushButton("Cancel", this);
    cancel_->setObjectName("campaignCancel");
    cancel_->setToolTip("Stop; the results so far are kept and the campaign can be resumed");
    open_ = new QPushButton("Open results…", this);
    open_->setToolTip("Show a finished or stopped campaign in the plots and the bit grid");
    progress_ = new QProgressBar(this);
    progress_->setTextVisible(false);
    progressText_ = new QLabel("No campaign running", this);
    progressText_->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addWidget(pause_);
    buttons->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(form_);
    layout->addLayout(buttons);
    layout->addWidget(progress_);
    layout->addWidget(progressText_);
    layout->addWidget(open_);
    layout->addStretch(1);

    connect(workbench_, &Workbench::modelChanged, this, &CampaignPanel::modelChanged);
    connect(workbench_, &Workbench::datasetChanged, this, &CampaignPanel::updateButtons);
    connect(bits_, &BitSelectionEditor::changed, this, &CampaignPanel::updateCounts);
    connect(plan_, &CampaignPlanEditor::changed, this, [this] {
        updateCounts();
        updateDefaultOutput();
    });
    connect(metric_, &QComboBox::currentIndexChanged, this, &CampaignPanel::updateDefaultOutput);
    // Any change but our own proposal is the user's choice (typed, browsed, set by a session or a test).
    connect(output_, &QLineEdit::textChanged, this, [this] { outputEdited_ = !proposingOutput_; });
    connect(browse, &QToolButton::clicked, this, &CampaignPanel::chooseOutput);
    connect(start_, &QPushButton::clicked, this, &CampaignPanel::start);
    connect(pause_, &QPushButton::clicked, this, [this] { runner_->paused() ? runner_->resume() : runner_->pause(); });
    connect(cancel_, &QPushButton::clicked, runner_, &CampaignRunner::cancel);
    connect(open_, &QPushButton::clicked, this, &CampaignPanel::openResultsRequested);

    connect(runner_, &CampaignRunner::prepared, this, [this](const CampaignInfo& info, const std::vector<FaultResult>& earlier) {
        progress_->setRange(0, 1000);
        progressText_->setText(QString("Baseline %1 = %2; running…").arg(QString::fromStdString(info.metric)).arg(info.baseline, 0, 'g', 6));
        emit logMessage(QString("Campaign %1: %2 faults, %3 on %4 samples, baseline %5%6")
                            .arg(QFileInfo(QString::fromStdString(runner_->setup().outPath)).fileName())
                            .arg(count(info.totalFaults), QString::fromStdString(info.metric), count(info.samples))
                            .arg(info.baseline, 0, 'g', 6)
                            .arg(earlier.empty() ? QString() : QString(" (resuming after %1)").arg(count(earlier.size()))));
    });
    connect(runner_, &CampaignRunner::progressed, this, &CampaignPanel::showProgress);
    connect(runner_, &CampaignRunner::pausedChanged, this, &CampaignPanel::updateButtons);
    connect(runner_, &CampaignRunner::finished, this, [this] {
        progressText_->setText(QString("Complete: %1 faults").arg(count(runner_->progress().total)));
        progress_->setValue(progress_->maximum());
        emit logMessage("Campaign complete: " + QString::fromStdString(runner_->setup().outPath));
        updateButtons();
    });
    connect(runner_, &CampaignRunner::cancelled, this, [this] {
        const CampaignProgress& p = runner_->progress();
        progressText_->setText(QString("Stopped after %1 of %2 faults; Start resumes it").arg(count(p.done), count(p.total)));
        emit logMessage("Campaign stopped (results kept, resumable): " + QString::fromStdString(runner_->setup().outPath));
        updateButtons();
    });
    connect(runner_, &CampaignRunner::failed, this, [this](const QString& message) {
        progressText_->setText("Failed: " + message);
        progress_->setRange(0, 1000);
        progress_->setValue(0);
        emit errorReported("Campaign failed", message);
        updateButtons();
    });
    modelChanged();
}

CampaignPanel::~CampaignPanel() = default;

void CampaignPanel::modelChanged() {
    bits_->setTensors(workbench_->tensors());
    if (workbench_->hasModel()) {
        QSignalBlocker block(metric_);
        metric_->setCurrentText(defaultMetric(*workbench_));
    }
    outputEdited_ = false;
    updateDefaultOutput();
    updateCounts();
    updateButtons();
}

void CampaignPanel::setRankings(const std::vector<ComputedRanking>& rankings) {
    rankings_ = rankings;
    QStringList names;
    for (const auto& r : rankings_) names << QString::fromStdString(r.ranking.method);
    plan_->setRankingNames(names);
}

std::vector<int64_t> CampaignPanel::rankedOrder(const BitSpaceFilter& filter) const {
    const QString name = plan_->rankingName();
    for (const ComputedRanking& r : rankings_) {
        if (QString::fromStdString(r.ranking.method) != name) continue;
        // The ranking may cover other bits than this campaign: re-express it in the campaign's bit space.
        const BitSpace space(*workbench_->pristineModel(), filter);
        const BitSpaceMapping from(r.space, workbench_->tensors()), to(space, workbench_->tensors());
        return translateGlobalIndices(r.ranking.order, from, to);
    }
    return {};
}

CampaignSetup CampaignPanel::setupFromForm() const {
    if (!workbench_->hasModel()) throw InputError("Open a model first");
    if (!workbench_->hasDataset()) throw InputError("Open a dataset first: a campaign measures the metric on its samples");
    CampaignSetup setup;
    setup.modelPath = workbench_->modelPath().toStdString();
    if (!workbench_->configPath().isEmpty()) setup.configPath = workbench_->configPath().toStdString();
    setup.dataSpec = workbench_->datasetPath().toStdString();
    setup.dataOptions.normalization = workbench_->normalization();
    if (samples_->value() > 0) setup.dataOptions.limit = samples_->value();
    setup.labelsSpec = workbench_->labelsPath().toStdString();
    setup.metric = metric_->currentText().toStdString();
    setup.filter = bits_->filter();
    setup.plan = plan_->plan();
    if (setup.plan.kind == PlanKind::Ranked) {
        setup.plan.order = rankedOrder(setup.filter);
        if (setup.plan.order.empty())
            throw InputError("Ranking: compute a ranking in the Rankings panel first (it must cover the chosen bits)");
    }
    setup.threads = threads_->value();
    setup.outPath = output_->text().trimmed().toStdString();
    if (setup.outPath.empty()) throw InputError("Results file: choose where the results are written");
    setup.engine = "fast";
    return setup;
}

bool CampaignPanel::start() {
    if (runner_->running()) return false;
    CampaignSetup setup;
    try {
        setup = setupFromForm();
        if (!settleExistingFile(setup)) return false;
    } catch (const std::exception& e) {
        emit errorReported("Cannot start the campaign", QString::fromStdString(e.what()));
        return false;
    }
    runner_->start(setup);
    progress_->setRange(0, 0);  // busy until the job is built
    progressText_->setText(setup.resume ? "Reopening the results file, measuring the baseline…"
                                        : "Loading the model and samples, measuring the baseline…");
    updateButtons();
    return true;
}

bool CampaignPanel::settleExistingFile(CampaignSetup& setup) {
    const ExistingResults existing = inspectExistingResults(setup, *workbench_->pristineModel());
    if (!existing.exists) return true;
    const QString name = QFileInfo(QString::fromStdString(setup.outPath)).fileName();
    if (!interactive_) {
        if (!existing.resumable) throw InputError(setup.outPath + " exists and cannot be resumed: " + existing.reason.toStdString());
        setup.resume = true;
        return true;
    }
    QMessageBox box(QMessageBox::Question, "Results file exists", QString(), QMessageBox::NoButton, this);
    QPushButton* resume = nullptr;
    if (existing.resumable) {
        box.setText(QString("%1 holds a stopped campaign of this setup (%2 of %3 faults done).")
                        .arg(name, count(existing.rows), count(existing.total)));
        box.setInformativeText("Resume it, or start over and replace the file?");
        resume = box.addButton("Resume", QMessageBox::AcceptRole);
    } else {
        box.setText(QString("%1 exists.").arg(name));
        box.setInformativeText(QString("It cannot be resumed with this setup: %1.\nReplace it?").arg(existing.reason));
    }
    QPushButton* overwrite = box.addButton("Replace", QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(resume ? resume : static_cast<QPushButton*>(box.button(QMessageBox::Cancel)));
    box.exec();
    if (box.clickedButton() == resume && resume) setup.resume = true;
    else if (box.clickedButton() == overwrite) setup.overwrite = true;
    else return false;
    return true;
}

void CampaignPanel::updateCounts() {
    if (!workbench_->hasModel()) {
        counts_->setText("Open a model to choose its bits.");
        return;
    }
    try {
        const BitSpaceFilter filter = bits_->filter();
        const BitSpace space(*workbench_->pristineModel(), filter);
        const CampaignPlan plan = plan_->plan();
        const int64_t ranked = plan.kind == PlanKind::Ranked ? static_cast<int64_t>(rankedOrder(filter).size()) : 0;
        const int64_t n = plannedFaultCount(plan, space.size(), ranked);
        QString text = QString("Bit space N = %1 bits · faults planned n = %2").arg(count(space.size()), count(n));
        if (plan.kind == PlanKind::Ber) text = QString("Bit space N = %1 bits · %2 multi-bit trials").arg(count(space.size()), count(n));
        counts_->setText(text);
        counts_->setStyleSheet({});
    } catch (const std::exception& e) {
        counts_->setText(QString::fromStdString(e.what()));
        counts_->setStyleSheet("color: #b00020;");
    }
}

void CampaignPanel::updateDefaultOutput() {
    if (outputEdited_ || !workbench_->hasModel()) return;
    CampaignPlan plan;
    try {
        plan = plan_->plan();
    } catch (const std::exception&) {
        return;
    }
    proposingOutput_ = true;
    output_->setText(defaultResultsPath(workbench_->modelPath(), metric_->currentText(), plan));
    proposingOutput_ = false;
}

void CampaignPanel::chooseOutput() {
    // The existing-file question comes at Start, where resuming can be offered.
    const QString path = QFileDialog::getSaveFileName(this, "Results file", output_->text(), "Campaign results (*.h5)",
                                                      nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty()) return;
    output_->setText(path);
}

void CampaignPanel::updateButtons() {
    const bool running = runner_->running();
    form_->setEnabled(!running);
    start_->setEnabled(!running && workbench_->hasModel() && workbench_->hasDataset());
    start_->setToolTip(workbench_->hasDataset() ? "Start the campaign (or resume a stopped one in the same file)"
                                                : "Open a model and a dataset first");
    pause_->setEnabled(running);
    pause_->setText(runner_->paused() ? "Resume" : "Pause");
    cancel_->setEnabled(running);
    open_->setEnabled(!running);
}

void CampaignPanel::showProgress(const CampaignProgress& p) {
    progress_->setRange(0, 1000);
    progress_->setValue(p.total ? static_cast<int>(1000.0 * static_cast<double>(p.done) / static_cast<double>(p.total)) : 0);
    QString text = QString("%1 / %2 faults · %3 faults/s").arg(count(p.done), count(p.total)).arg(p.rate, 0, 'f', 0);
    text += runner_->paused() ? QString(" · paused") : QString(" · ETA %1").arg(duration(p.etaSeconds));
    progressText_->setText(text);
}

}  // namespace flipscope::ui
