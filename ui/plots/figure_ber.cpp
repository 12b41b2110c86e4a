// A bit-error-rate sweep: the metric against the rate at which every bit flips, the mean over the
// trials as a line and their min..max as a band, with the fault-free baseline for reference.
#include "core/common/error.h"
#include "ui/plots/figure_builders.h"
#include "ui/plots/figure_campaign.h"
#include "ui/plots/figure_canvas.h"
#include "ui/plots/figure_csv.h"
#include "ui/plots/figure_palette.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace flipscope::ui::figure {

namespace {

struct TrialSpread {
    int64_t trials = 0;
    double sum = 0.0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double mean() const { return trials ? sum / double(trials) : 0.0; }
};

std::map<double, TrialSpread> spreadPerRate(const CampaignResults& results) {
    std::map<double, TrialSpread> spread;
    for (const FaultResult& r : results.faults) {
        if (!std::isfinite(r.metric)) continue;  // a broken-down network has no place on the axis
        TrialSpread& s = spread[r.bitErrorRate];
        s.trials++;
        s.sum += r.metric;
        s.min = std::min(s.min, r.metric);
        s.max = std::max(s.max, r.metric);
    }
    return spread;
}

}  // namespace

FigureTable drawBer(QCustomPlot&, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle& style) {
    const CampaignResults& results = requireCampaign(inputs, FigureKind::Ber).results;
    if (results.info.plan.kind != PlanKind::Ber)
        throw InputError("the ber figure needs a bit-error-rate campaign (plan ber:...); " + results.info.modelPath +
                         " has a single-bit plan (" + results.info.plan.toString() + ")");
    const std::map<double, TrialSpread> spread = spreadPerRate(results);

    FigureTable table;
    table.columns = {"bit_error_rate", "trials", "mean", "min", "max"};
    QVector<double> rates, means, mins, maxs;
    for (const auto& [rate, s] : spread) {
        rates << rate;
        means << s.mean();
        mins << s.min;
        maxs << s.max;
        table.rows.push_back({tableNumber(rate), tableNumber(s.trials), tableNumber(s.mean()), tableNumber(s.min),
                              tableNumber(s.max)});
    }

    QCPAxis* x = rect.axis(QCPAxis::atBottom);
    QCPAxis* y = rect.axis(QCPAxis::atLeft);
    const QColor colour = seriesColour(0);
    auto* upper = new QCPGraph(x, y);
    auto* lower = new QCPGraph(x, y);
    auto* mean = new QCPGraph(x, y);
    auto* baseline = new QCPGraph(x, y);
    upper->setData(rates, maxs, true);
    lower->setData(rates, mins, true);
    mean->setData(rates, means, true);
    QColor band = colour;
    band.setAlpha(60);
    upper->setPen(Qt::NoPen);
    upper->setBrush(band);
    upper->setChannelFillGraph(lower);
    upper->setName(QObject::tr("min–max over trials"));
    lower->setPen(Qt::NoPen);
    lower->removeFromLegend();
    mean->setPen(seriesPen(colour, style));
    mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, style.fontPt * 0.6));
    mean->setName(QObject::tr("mean"));
    baseline->setPen(seriesPen(referenceColour(), style, Qt::DashLine));
    baseline->setName(QObject::tr("no fault (baseline)"));

    const bool logRates = !rates.isEmpty() && rates.front() > 0;
    if (logRates) {
        x->setScaleType(QCPAxis::stLogarithmic);
        x->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog));
        x->setNumberFormat("eb");
        x->setNumberPrecision(0);
        x->setRange(rates.front() / 2, rates.back() * 2);
    } else if (!rates.isEmpty()) {
        setPaddedRange(*x, rates.front(), rates.back(), 0.05);
    }
    baseline->setData({x->range().lower, x->range().upper}, {results.info.baseline, results.info.baseline}, true);

    double lo = results.info.baseline, hi = results.info.baseline;
    for (int i = 0; i < rates.size(); ++i) lo = std::min(lo, mins[i]), hi = std::max(hi, maxs[i]);
    // Room above for the legend.
    y->setRange(lo - 0.05 * (hi - lo), hi + 0.35 * (hi - lo) + (hi == lo ? 1.0 : 0.0));
    x->setLabel(QObject::tr("bit-error rate"));
    y->setLabel(metricName(results.info));
    placeLegend(*rect.parentPlot(), rect, Qt::AlignTop | Qt::AlignLeft, style);
    return table;
}

}  // namespace flipscope::ui::figure
