#include "ui/panels/rankings_panel.h"

#include "core/common/error.h"
#include "core/faults/bit_space_json.h"
#include "core/faults/bit_space_mapping.h"
#include "core/sensitivity/ranking_csv.h"
#include "core/sensitivity/ranking_curves.h"
#include "ui/session/workbench.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace flipscope::ui {

namespace {

const char* kMethodTips[][2] = {{"random", "a seeded random order: the baseline every ranking should beat"},
                                {"msb", "most significant bits first, parameters in model order"},
                                {"gradient", "|dL/dw| per weight, then MSB to LSB"},
                                {"hessian", "FKeras Hessian score from the top eigenpairs, then MSB to LSB"},
                                {"taylor", "(g·w)² per weight, then MSB to LSB"},
                                {"bit-taylor", "per bit |g·d + ½·H_ii·d²| with d the weight change of the flip"}};

QString tipFor(const QString& method) {
    for (const auto& [name, tip] : kMethodTips)
        if (method == name) return tip;
    return "a ranking read from a CSV file";
}

}  // namespace

RankingsPanel::RankingsPanel(Workbench* workbench, QWidget* parent) : QWidget(parent), workbench_(workbench) {
    setObjectName("RankingsPanel");
    runner_ = new RankingRunner(this);
    filterSource_ = [] { return BitSpaceFilter{}; };

    table_ = new QTableWidget(0, ColumnCount, this);
    table_->setObjectName("rankingsTable");
    table_->setHorizontalHeaderLabels({"Method", "State", "Score", "Bits for 99 %"});
    table_->horizontalHeaderItem(Score)->setToolTip(
        "Area under the found-bits curve relative to the oracle's (1 = finds the bits to protect as early as the campaign's own ordering)");
    table_->horizontalHeaderItem(BitsFor99)->setToolTip("Bits protected, in this order, until 99 % of the bits to protect are found");
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    for (const std::string& m : rankingMethods()) {
        const int row = rowOf(QString::fromStdString(m));
        table_->item(row, Method)->setCheckState(m == "bit-taylor" ? Qt::Unchecked : Qt::Checked);  // minutes on the Medium model
    }

    samples_ = new QSpinBox(this);
    samples_->setRange(1, 1000000);
    samples_->setValue(512);
    samples_->setToolTip("Samples for the loss, gradients and Hessian (the FKeras study uses 512)");
    compute_ = new QPushButton("Compute", this);
    compute_->setObjectName("rankingsCompute");
    compute_->setToolTip("Compute the checked rankings in the background");
    cancel_ = new QPushButton("Cancel", this);
    colour_ = new QPushButton("Colour grid", this);
    colour_->setToolTip("Colour the bit grid by the selected ranking");
    save_ = new QPushButton("Save CSV…", this);
    save_->setToolTip("Save the selected ranking as CSV (rank, layer, tensor, index, bit, score)");
    load_ = new QPushButton("Load CSV…", this);
    load_->setToolTip("Read a ranking from a CSV file for the chosen bits");
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progressText_ = new QLabel(this);
    progressText_->setWordWrap(true);

    auto* settings = new QFormLayout;
    settings->addRow("Samples", samples_);
    auto* run = new QHBoxLayout;
    run->addWidget(compute_);
    run->addWidget(cancel_);
    auto* use = new QHBoxLayout;
    use->addWidget(colour_);
    use->addWidget(save_);
    use->addWidget(load_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table_, 1);
    layout->addLayout(settings);
    layout->addLayout(run);
    layout->addWidget(progress_);
    layout->addWidget(progressText_);
    layout->addLayout(use);

    connect(compute_, &QPushButton::clicked, this, [this] { compute(); });
    connect(cancel_, &QPushButton::clicked, runner_, &RankingRunner::cancel);
    connect(colour_, &QPushButton::clicked, this, [this] {
        if (!selectedMethod().isEmpty()) emit colourGridRequested(selectedMethod());
    });
    connect(save_, &QPushButton::clicked, this, &RankingsPanel::saveSelectedCsv);
    connect(load_, &QPushButton::clicked, this, &RankingsPanel::loadCsv);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &RankingsPanel::updateButtons);
    connect(workbench_, &Workbench::datasetChanged, this, &RankingsPanel::updateButtons);

    connect(runner_, &RankingRunner::progressed, this, [this](const QString& method, double fraction, const QString& stage) {
        progress_->setValue(static_cast<int>(1000 * fraction));
        progressText_->setText(QString("%1: %2").arg(method, stage));
        table_->item(rowOf(method), State)->setText(QString("%1 %").arg(100 * fraction, 0, 'f', 0));
    });
    connect(runner_, &RankingRunner::rankingReady, this, [this](const ComputedRanking& r) {
        addRanking(r);
        emit logMessage(QString("Ranking %1 computed over %2 bits").arg(QString::fromStdString(r.ranking.method)).arg(r.ranking.order.size()));
    });
    connect(runner_, &RankingRunner::methodFailed, this, [this](const QString& method, const QString& message) {
        table_->item(rowOf(method), State)->setText("failed");
        table_->item(rowOf(method), State)->setToolTip(message);
        emit errorReported("Ranking " + method + " failed", message);
    });
    connect(runner_, &RankingRunner::finished, this, [this](bool cancelled) {
        for (int row = 0; row < table_->rowCount(); ++row)
            if (table_->item(row, State)->text().endsWith('%') || table_->item(row, State)->text() == "queued")
                table_->item(row, State)->setText(cancelled ? "cancelled" : "—");
        progress_->setValue(cancelled ? 0 : 1000);
        progressText_->setText(cancelled ? "Cancelled" : "Done");
        updateButtons();
    });
    updateButtons();
}

int RankingsPanel::rowOf(const QString& method) {
    for (int row = 0; row < table_->rowCount(); ++row)
        if (table_->item(row, Method)->text() == method) return row;
    const int row = table_->rowCount();
    table_->insertRow(row);
    auto* name = new QTableWidgetItem(method);
    name->setFlags(name->flags() | Qt::ItemIsUserCheckable);
    name->setCheckState(Qt::Unchecked);
    name->setToolTip(tipFor(method));
    table_->setItem(row, Method, name);
    for (int c = State; c < ColumnCount; ++c) table_->setItem(row, c, new QTableWidgetItem("—"));
    return row;
}

QString RankingsPanel::selectedMethod() const {
    const auto rows = table_->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : table_->item(rows.first().row(), Method)->text();
}

bool RankingsPanel::compute(const QStringList& requested) {
    if (runner_->running() || !workbench_->hasModel()) return false;
    QStringList methods = requested;
    if (methods.isEmpty())
        for (int row = 0; row < table_->rowCount(); ++row)
            if (table_->item(row, Method)->checkState() == Qt::Checked) methods << table_->item(row, Method)->text();
    RankingSetup setup;
    setup.modelPath = workbench_->modelPath().toStdString();
    if (!workbench_->configPath().isEmpty()) setup.configPath = workbench_->configPath().toStdString();
    setup.dataSpec = workbench_->datasetPath().toStdString();
    setup.dataOptions.limit = samples_->value();
    setup.dataOptions.normalization = workbench_->normalization();
    setup.labelsSpec = workbench_->labelsPath().toStdString();
    try {
        setup.filter = filterSource_();
    } catch (const std::exception& e) {
        emit errorReported("Cannot compute rankings", QString::fromStdString(e.what()));
        return false;
    }
    QStringList runnable;
    for (const QString& m : methods) {
        if (rankingNeedsData(m.toStdString()) && setup.dataSpec.empty()) {
            table_->item(rowOf(m), State)->setText("needs data");
            continue;
        }
        runnable << m;
        table_->item(rowOf(m), State)->setText("queued");
    }
    if (runnable.isEmpty()) return false;
    runner_->start(setup, runnable);
    progress_->setValue(0);
    progressText_->setText("Starting " + runnable.join(", ") + "…");
    updateButtons();
    return true;
}

void RankingsPanel::modelChanged() {
    runner_->stopAndWait();
    oracleResults_.reset();
    clearRankings();
}

void RankingsPanel::addRanking(const ComputedRanking& ranking) {
    const QString method = QString::fromStdString(ranking.ranking.method);
    auto same = std::find_if(rankings_.begin(), rankings_.end(), [&](const ComputedRanking& r) { return r.ranking.method == ranking.ranking.method; });
    if (same != rankings_.end()) *same = ranking;
    else rankings_.push_back(ranking);
    table_->item(rowOf(method), State)->setText(QString("%1 bits").arg(QLocale().toString(static_cast<qlonglong>(ranking.ranking.order.size()))));
    updateScores();
    updateButtons();
    emit rankingsChanged(rankings_);
}

void RankingsPanel::clearRankings() {
    rankings_.clear();
    for (int row = 0; row < table_->rowCount(); ++row)
        for (int c = State; c < ColumnCount; ++c) table_->item(row, c)->setText("—");
    updateButtons();
    emit rankingsChanged(rankings_);
}

void RankingsPanel::setOracleResults(std::optional<CampaignResults> results) {
    oracleResults_ = std::move(results);
    updateScores();
}

std::vector<BitRanking> RankingsPanel::rankingsForResults() const {
    std::optional<BitSpaceMapping> resultsSpace;
    if (oracleResults_ && workbench_->hasModel()) {
        try {
            resultsSpace = BitSpaceMapping(bitSpaceFromJson(oracleResults_->info.bitSpace, "results"), workbench_->tensors());
        } catch (const std::exception&) {
            resultsSpace.reset();  // results that do not describe their bits: compare as they are
        }
    }
    std::vector<BitRanking> out;
    for (const ComputedRanking& r : rankings_) {
        BitRanking ranking = r.ranking;
        if (resultsSpace) {
            ranking.order = translateGlobalIndices(r.ranking.order, BitSpaceMapping(r.space, workbench_->tensors()), *resultsSpace);
            ranking.score.clear();  // the scores were per bit of the old order
        }
        out.push_back(std::move(ranking));
    }
    return out;
}

void RankingsPanel::updateScores() {
    std::optional<Oracle> oracle;
    if (oracleResults_ && workbench_->hasModel()) {
        try {
            oracle = makeOracle(*oracleResults_);
        } catch (const std::exception&) {
            oracle.reset();  // no single-bit results (a BER sweep): nothing to score against
        }
    }
    const std::vector<BitRanking> translated = rankingsForResults();
    for (size_t i = 0; i < rankings_.size(); ++i) {
        const ComputedRanking& r = rankings_[i];
        const int row = rowOf(QString::fromStdString(r.ranking.method));
        if (!oracle) {
            table_->item(row, Score)->setText("—");
            table_->item(row, BitsFor99)->setText("—");
            continue;
        }
        const RankingScore score = scoreRanking(rankingCurve(r.ranking.method, translated[i].order, *oracle), *oracle);
        table_->item(row, Score)->setText(QString::number(score.foundScore, 'f', 3));
        table_->item(row, BitsFor99)->setText(QLocale().toString(static_cast<qlonglong>(score.bitsFor99)));
    }
}

void RankingsPanel::updateButtons() {
    const bool running = runner_->running();
    const bool haveSelected = std::any_of(rankings_.begin(), rankings_.end(), [this](const ComputedRanking& r) {
        return QString::fromStdString(r.ranking.method) == selectedMethod();
    });
    compute_->setEnabled(!running && workbench_->hasModel());
    cancel_->setEnabled(running);
    colour_->setEnabled(haveSelected);
    save_->setEnabled(haveSelected);
    load_->setEnabled(workbench_->hasModel());
    progress_->setVisible(running || progress_->value() > 0);
}

ComputedRanking RankingsPanel::readCsv(const QString& path) const { return readCsv(path, filterSource_()); }

ComputedRanking RankingsPanel::readCsv(const QString& path, const BitSpaceFilter& bits) const {
    const BitSpace space(*workbench_->pristineModel(), bits);
    return {readRankingCsv(path.toStdString(), space), space, bits};
}

void RankingsPanel::saveSelectedCsv() {
    const QString method = selectedMethod();
    for (const ComputedRanking& r : rankings_) {
        if (QString::fromStdString(r.ranking.method) != method) continue;
        const QString suggested = QFileInfo(workbench_->modelPath()).absoluteDir().filePath(
            QFileInfo(workbench_->modelPath()).completeBaseName() + "-" + method + "-ranking.csv");
        const QString path = QFileDialog::getSaveFileName(this, "Save ranking", suggested, "CSV (*.csv)");
        if (path.isEmpty()) return;
        try {
            // The file dialog asked before replacing an existing file.
            writeRankingCsv(r.ranking, BitSpace(*workbench_->pristineModel(), r.filter), path.toStdString());
            emit logMessage("Saved ranking " + method + " to " + path);
        } catch (const std::exception& e) {
            emit errorReported("Cannot save the ranking", QString::fromStdString(e.what()));
        }
        return;
    }
}

void RankingsPanel::loadCsv() {
    const QString path = QFileDialog::getOpenFileName(this, "Load ranking", QFileInfo(workbench_->modelPath()).absolutePath(), "CSV (*.csv);;All files (*)");
    if (path.isEmpty()) return;
    try {
        addRanking(readCsv(path));
    } catch (const std::exception& e) {
        emit errorReported("Cannot read the ranking", QString::fromStdString(e.what()));
    }
}

}  // namespace flipscope::ui
