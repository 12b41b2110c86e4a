#include "ui/panels/inspector_panel.h"

#include "ui/bitgrid/bit_tooltip.h"
#include "ui/bitgrid/colour_scale.h"
#include "ui/panels/sample_view.h"
#include "ui/session/workbench.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace flipscope::ui {

namespace {

QGroupBox* group(const QString& title, QWidget* parent) {
    auto* box = new QGroupBox(title, parent);
    return box;
}

QString signedDelta(double d, bool higherIsBetter) {
    if (d == 0 || std::isnan(d)) return QString("±0");
    const bool worse = higherIsBetter ? d < 0 : d > 0;
    return QString("<span style='color:%1'>%2%3</span>")
        .arg(worse ? "#c8102e" : "#1a7f37")
        .arg(d > 0 ? "+" : "−")
        .arg(formatValue(std::fabs(d)));
}

}  // namespace

InspectorPanel::InspectorPanel(Workbench* workbench, QWidget* parent) : QWidget(parent), workbench_(workbench) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto* bitBox = group("Selected bit", this);
    auto* bitLayout = new QVBoxLayout(bitBox);
    title_ = new QLabel(bitBox);
    title_->setWordWrap(true);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_ = new QLabel(bitBox);
    details_->setTextFormat(Qt::RichText);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_->setWordWrap(true);
    flip_ = new QPushButton("Flip bit", bitBox);
    flip_->setToolTip("Flip the selected bit in the model and re-run the samples (double-click a bit, or Enter)");
    reset_ = new QPushButton("Reset all flips", bitBox);
    reset_->setToolTip("Restore every weight as loaded");
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(flip_);
    buttons->addWidget(reset_);
    bitLayout->addWidget(title_);
    bitLayout->addWidget(details_);
    bitLayout->addLayout(buttons);
    flips_ = new QListWidget(bitBox);
    flips_->setMaximumHeight(fontMetrics().lineSpacing() * 3 + 8);
    flips_->setToolTip("Flipped bits: click one to select it");
    bitLayout->addWidget(flips_);

    auto* outcomeBox = group("Effect on the samples", this);
    auto* outcome = new QVBoxLayout(outcomeBox);
    metricName_ = new QLabel(outcomeBox);
    metric_ = new QLabel(outcomeBox);
    metric_->setTextFormat(Qt::RichText);
    QFont big = metric_->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    metric_->setFont(big);
    status_ = new QLabel(outcomeBox);
    status_->setForegroundRole(QPalette::PlaceholderText);
    status_->setWordWrap(true);
    auto* sampleRow = new QHBoxLayout;
    sample_ = new QSpinBox(outcomeBox);
    sample_->setRange(0, 0);
    sample_->setToolTip("Which sample to draw");
    sampleMetric_ = new QLabel(outcomeBox);
    sampleMetric_->setTextFormat(Qt::RichText);
    sampleRow->addWidget(new QLabel("Sample", outcomeBox));
    sampleRow->addWidget(sample_);
    sampleRow->addWidget(sampleMetric_, 1);
    sampleView_ = new SampleView(outcomeBox);
    outcome->addWidget(metricName_);
    outcome->addWidget(metric_);
    outcome->addWidget(status_);
    outcome->addLayout(sampleRow);
    outcome->addWidget(sampleView_, 1);

    layout->addWidget(bitBox);
    layout->addWidget(outcomeBox, 1);

    connect(flip_, &QPushButton::clicked, this, [this] {
        if (selected_) emit flipRequested(*selected_);
    });
    connect(reset_, &QPushButton::clicked, this, &InspectorPanel::resetRequested);
    connect(flips_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const auto v = item->data(Qt::UserRole).toList();
        if (v.size() == 3) emit bitChosen(BitRef{v[0].toInt(), v[1].toLongLong(), v[2].toInt()});
    });
    connect(sample_, &QSpinBox::valueChanged, this, &InspectorPanel::refreshOutcome);
    connect(workbench_, &Workbench::modelChanged, this, [this] {
        selected_.reset();
        refreshBit();
        refreshFlips();
        refreshOutcome();
    });
    connect(workbench_, &Workbench::flipsChanged, this, [this] {
        refreshBit();
        refreshFlips();
    });
    connect(workbench_, &Workbench::datasetChanged, this, &InspectorPanel::refreshOutcome);
    connect(workbench_, &Workbench::evaluationStarted, this, &InspectorPanel::refreshOutcome);
    connect(workbench_, &Workbench::evaluationFinished, this, &InspectorPanel::refreshOutcome);
    connect(workbench_, &Workbench::evaluationFailed, this, [this](const QString& message) {
        status_->setText("The samples could not be run: " + message);
    });
    refreshBit();
    refreshFlips();
    refreshOutcome();
}

void InspectorPanel::setSelectedBit(std::optional<BitRef> bit) {
    selected_ = bit;
    refreshBit();
}

QString InspectorPanel::bitDetailsText() const { return title_->text() + "\n" + details_->text(); }

void InspectorPanel::refreshBit() {
    const BitAccess* bits = workbench_->bits();
    const bool valid = selected_ && bits && bits->contains(*selected_);
    flip_->setEnabled(valid);
    if (!valid) {
        title_->setText(workbench_->hasModel() ? "Click a bit in the grid to inspect it." : "No model open.");
        details_->clear();
        flip_->setText("Flip bit");
        return;
    }
    const BitRef ref = *selected_;
    const auto& t = bits->tensors()[ref.tensor];
    const BitState s = bits->state(ref);
    const bool flipped = workbench_->isFlipped(ref);
    title_->setText(QString("<b>%1</b> · %2").arg(QString::fromStdString(t.layerPath).toHtmlEscaped(),
                                                  QString::fromStdString(t.tensor)));
    QString html = "<table cellspacing=0 cellpadding=2>";
    auto row = [&](const QString& k, const QString& v) { html += QString("<tr><td style='color:#5a6470'>%1&nbsp;</td><td>%2</td></tr>").arg(k, v); };
    row("index", indexText(t, ref.index));
    row("bit", bitName(t, ref.bit) + QString(" of %1").arg(t.bits));
    row("quantizer", QString::fromStdString(t.quantizer));
    row("weight", QString("<b>%1</b>").arg(formatValue(s.value)));
    row("code", QString("%1 &nbsp;<tt>%2</tt>").arg(s.code).arg(markedWord(s.word, s.bits, ref.bit)));
    row(flipped ? "flip back to" : "if flipped",
        QString("<b>%1</b> &nbsp;(code %2, Δ %3)").arg(formatValue(s.flippedValue)).arg(s.flippedCode).arg(formatValue(s.flippedValue - s.value)));
    for (const auto& c : workbench_->colourings())
        if (QString::fromStdString(c->name()) == colouringName_)
            row(colouringName_.toHtmlEscaped(), formatValue(c->value(ref)));
    if (flipped) row("state", "<span style='color:#c8102e'><b>flipped</b></span>");
    html += "</table>";
    details_->setText(html);
    flip_->setText(flipped ? "Flip back" : "Flip bit");
}

void InspectorPanel::refreshFlips() {
    flips_->clear();
    const BitAccess* bits = workbench_->bits();
    reset_->setEnabled(!workbench_->flips().empty());
    reset_->setText(workbench_->flips().empty() ? "Reset all flips" : QString("Reset all flips (%1)").arg(workbench_->flips().size()));
    flips_->setVisible(!workbench_->flips().empty());
    if (!bits) return;
    for (const BitRef& ref : workbench_->flips()) {
        const auto& t = bits->tensors()[ref.tensor];
        auto* item = new QListWidgetItem(QString("%1:%2[%3] %4").arg(QString::fromStdString(t.layerPath), QString::fromStdString(t.tensor))
                                             .arg(ref.index)
                                             .arg(bitName(t, ref.bit)),
                                         flips_);
        item->setData(Qt::UserRole, QVariantList{ref.tensor, static_cast<qlonglong>(ref.index), ref.bit});
    }
}

void InspectorPanel::refreshOutcome() {
    const auto info = outcomeMetricInfo(workbench_->metric());
    const Tensor* inputs = workbench_->inputs();
    const FlipComparison* c = workbench_->comparison();
    sample_->setEnabled(inputs != nullptr);
    if (inputs) sample_->setMaximum(static_cast<int>(std::max<int64_t>(0, inputs->dim(0) - 1)));
    metricName_->setText(workbench_->hasModel() ? QString::fromStdString(info.name) + (info.higherIsBetter ? " (higher is better)" : " (lower is better)")
                                                : QString());
    if (!inputs) {
        metric_->setText("—");
        status_->setText(workbench_->hasModel() ? "No samples loaded: File ▸ Open dataset… (or drop a file here)." : "");
    } else if (!c) {
        metric_->setText("…");
        status_->setText("Running the samples…");
    } else {
        metric_->setText(QString("%1 → <b>%2</b> &nbsp;%3")
                             .arg(formatValue(c->before.value), formatValue(c->after.value),
                                  signedDelta(c->after.value - c->before.value, info.higherIsBetter)));
        status_->setText(workbench_->evaluating() ? "Updating…"
                                                  : QString("%1 samples, %2 bit(s) flipped").arg(inputs->dim(0)).arg(workbench_->flips().size()));
    }
    const int64_t s = sample_->value();
    if (c && s < static_cast<int64_t>(c->before.perSample.size()))
        sampleMetric_->setText(QString("%1: %2 → %3").arg(QString::fromStdString(info.shortName), formatValue(c->before.perSample[s]),
                                                         formatValue(c->after.perSample[s])));
    else
        sampleMetric_->clear();
    std::optional<int64_t> label;
    if (const auto* labels = workbench_->labels(); labels && s < static_cast<int64_t>(labels->size())) label = (*labels)[s];
    sampleView_->show(inputs, c, s, label);
}

}  // namespace flipscope::ui
