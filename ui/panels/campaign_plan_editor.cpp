#include "ui/panels/campaign_plan_editor.h"

#include "core/common/error.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStackedWidget>

#include <algorithm>

namespace flipscope::ui {

namespace {

// Combo order; the stacked details pages follow the same index.
const std::pair<QString, PlanKind> kKinds[] = {{"Exhaustive (every bit)", PlanKind::Exhaustive},
                                               {"Statistical sample", PlanKind::Sample},
                                               {"Stratified sample (per tensor and bit)", PlanKind::Stratified},
                                               {"Ranked order (a ranking, early stop)", PlanKind::Ranked},
                                               {"Bit-error-rate sweep", PlanKind::Ber}};
enum Page { NoDetails, SampleDetails, RankedDetails, BerDetails };

Page pageOf(PlanKind kind) {
    switch (kind) {
        case PlanKind::Sample:
        case PlanKind::Stratified: return SampleDetails;
        case PlanKind::Ranked: return RankedDetails;
        case PlanKind::Ber: return BerDetails;
        default: return NoDetails;
    }
}

QFormLayout* page(QStackedWidget* stack) {
    auto* w = new QWidget(stack);
    auto* form = new QFormLayout(w);
    form->setContentsMargins(0, 0, 0, 0);
    stack->addWidget(w);
    return form;
}

}  // namespace

CampaignPlanEditor::CampaignPlanEditor(QWidget* parent) : QWidget(parent) {
    kind_ = new QComboBox(this);
    kind_->setObjectName("campaignPlan");
    for (const auto& [label, kind] : kKinds) kind_->addItem(label);
    details_ = new QStackedWidget(this);

    page(details_);  // exhaustive: nothing to set
    QFormLayout* sample = page(details_);
    margin_ = new QDoubleSpinBox(this);
    margin_->setRange(0.1, 20.0);
    margin_->setDecimals(1);
    margin_->setSingleStep(0.5);
    margin_->setSuffix(" %");
    margin_->setValue(1.0);
    margin_->setToolTip("Error margin e of the estimated fraction of harmful bits (Leveugle et al.)");
    confidence_ = new QDoubleSpinBox(this);
    confidence_->setRange(50.0, 99.9);
    confidence_->setDecimals(1);
    confidence_->setSuffix(" %");
    confidence_->setValue(95.0);
    confidence_->setToolTip("Confidence level of that margin");
    sample->addRow("Error margin", margin_);
    sample->addRow("Confidence", confidence_);

    QFormLayout* ranked = page(details_);
    ranking_ = new QComboBox(this);
    ranking_->setPlaceholderText("compute a ranking first");
    limit_ = new QSpinBox(this);
    limit_->setRange(0, 100000000);
    limit_->setSpecialValueText("all bits");
    limit_->setToolTip("Stop after this many bits of the ranking (early stop); 0 = all");
    ranked->addRow("Ranking", ranking_);
    ranked->addRow("Stop after", limit_);

    QFormLayout* ber = page(details_);
    rates_ = new QLineEdit("1e-4, 1e-3, 1e-2", this);
    rates_->setToolTip("Bit-error rates: every bit flips independently with this probability");
    trials_ = new QSpinBox(this);
    trials_->setRange(1, 100000);
    trials_->setValue(10);
    ber->addRow("Bit-error rates", rates_);
    ber->addRow("Trials per rate", trials_);

    seed_ = new QSpinBox(this);
    seed_->setRange(0, 2147483647);
    seed_->setValue(1);
    seed_->setToolTip("The same seed gives the same faults");

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow("Plan", kind_);
    form->addRow(details_);
    form->addRow("Seed", seed_);

    // Only the shown page takes room (a stacked widget is as tall as its tallest page otherwise).
    auto showPage = [this](int page) {
        for (int p = 0; p < details_->count(); ++p)
            details_->widget(p)->setSizePolicy(QSizePolicy::Preferred, p == page ? QSizePolicy::Preferred : QSizePolicy::Ignored);
        details_->setCurrentIndex(page);
        details_->adjustSize();
    };
    showPage(NoDetails);
    connect(kind_, &QComboBox::currentIndexChanged, this, [this, showPage](int i) {
        showPage(pageOf(kKinds[i].second));
        emit changed();
    });
    for (QDoubleSpinBox* b : {margin_, confidence_}) connect(b, &QDoubleSpinBox::valueChanged, this, &CampaignPlanEditor::changed);
    for (QSpinBox* b : {limit_, trials_, seed_}) connect(b, &QSpinBox::valueChanged, this, &CampaignPlanEditor::changed);
    connect(ranking_, &QComboBox::currentIndexChanged, this, &CampaignPlanEditor::changed);
    connect(rates_, &QLineEdit::textChanged, this, &CampaignPlanEditor::changed);
}

CampaignPlan CampaignPlanEditor::plan() const {
    CampaignPlan plan;
    plan.kind = kKinds[std::max(0, kind_->currentIndex())].second;
    plan.margin = margin_->value() / 100.0;
    plan.confidence = confidence_->value() / 100.0;
    plan.limit = limit_->value();
    plan.trials = trials_->value();
    plan.seed = static_cast<uint64_t>(seed_->value());
    if (plan.kind == PlanKind::Ber) {
        for (const QString& part : rates_->text().split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts)) {
            bool ok = false;
            const double p = part.toDouble(&ok);
            if (!ok || !(p > 0.0 && p <= 1.0))
                throw InputError("Bit-error rates: '" + part.toStdString() + "' is not a probability in (0, 1]");
            plan.bitErrorRates.push_back(p);
        }
        if (plan.bitErrorRates.empty()) throw InputError("Bit-error rates: give at least one rate, e.g. 1e-3");
    }
    return plan;
}

void CampaignPlanEditor::setPlan(const CampaignPlan& plan) {
    for (int i = 0; i < static_cast<int>(std::size(kKinds)); ++i)
        if (kKinds[i].second == plan.kind) kind_->setCurrentIndex(i);
    margin_->setValue(plan.margin * 100.0);
    confidence_->setValue(plan.confidence * 100.0);
    limit_->setValue(static_cast<int>(plan.limit));
    trials_->setValue(plan.trials);
    seed_->setValue(static_cast<int>(plan.seed));
    QStringList rates;
    for (double p : plan.bitErrorRates) rates << QString::number(p, 'g', 6);
    if (!rates.isEmpty()) rates_->setText(rates.join(", "));
}

void CampaignPlanEditor::setRankingNames(const QStringList& names) {
    const QString keep = ranking_->currentText();
    QSignalBlocker block(ranking_);
    ranking_->clear();
    ranking_->addItems(names);
    ranking_->setCurrentIndex(std::max(0, static_cast<int>(names.indexOf(keep))));
    if (names.isEmpty()) ranking_->setCurrentIndex(-1);
    emit changed();
}

QString CampaignPlanEditor::rankingName() const { return ranking_->currentText(); }

int64_t plannedFaultCount(const CampaignPlan& plan, int64_t population, int64_t rankedLength) {
    switch (plan.kind) {
        case PlanKind::Exhaustive: return population;
        case PlanKind::Sample:
        case PlanKind::Stratified: return leveugleSampleSize(population, plan.margin, plan.confidence);
        case PlanKind::Ranked: return plan.limit > 0 ? std::min(plan.limit, rankedLength) : rankedLength;
        case PlanKind::Ber: return static_cast<int64_t>(plan.bitErrorRates.size()) * plan.trials;
    }
    return 0;
}

}  // namespace flipscope::ui
