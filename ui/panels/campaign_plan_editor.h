#pragma once
// How a campaign picks its faults: the plan (exhaustive, statistical sample with error margin and
// confidence, stratified, a ranking's order with an optional early stop, bit-error-rate sweep with
// rates and trials) and the seed. Produces core's CampaignPlan (the ranked order itself is filled
// in by the caller from the chosen ranking).
#include "core/faults/campaign_plan.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QStackedWidget;

namespace flipscope::ui {

class CampaignPlanEditor : public QWidget {
    Q_OBJECT
public:
    explicit CampaignPlanEditor(QWidget* parent = nullptr);

    // Throws InputError naming the field (e.g. a bit-error rate that is not a number).
    CampaignPlan plan() const;
    void setPlan(const CampaignPlan& plan);
    // Rankings offered for the ranked plan, by name; keeps the chosen one when still offered.
    void setRankingNames(const QStringList& names);
    QString rankingName() const;

    QComboBox* kindBox() const { return kind_; }
    QDoubleSpinBox* marginBox() const { return margin_; }
    QDoubleSpinBox* confidenceBox() const { return confidence_; }
    QComboBox* rankingBox() const { return ranking_; }
    QSpinBox* limitBox() const { return limit_; }
    QLineEdit* ratesEdit() const { return rates_; }
    QSpinBox* trialsBox() const { return trials_; }
    QSpinBox* seedBox() const { return seed_; }

signals:
    void changed();

private:
    QComboBox* kind_ = nullptr;
    QStackedWidget* details_ = nullptr;
    QDoubleSpinBox* margin_ = nullptr;
    QDoubleSpinBox* confidence_ = nullptr;
    QComboBox* ranking_ = nullptr;
    QSpinBox* limit_ = nullptr;
    QLineEdit* rates_ = nullptr;
    QSpinBox* trials_ = nullptr;
    QSpinBox* seed_ = nullptr;
};

// Faults a plan evaluates over a bit space of `population` bits (`rankedLength`: the ranked order's length).
int64_t plannedFaultCount(const CampaignPlan& plan, int64_t population, int64_t rankedLength);

}  // namespace flipscope::ui
