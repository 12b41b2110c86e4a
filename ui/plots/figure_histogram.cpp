// Histogram of the campaign's metric deltas (metric with the fault - baseline). Most single-bit
// faults do almost nothing and a few do a lot, so a log count axis is offered.
#include "core/faults/campaign_analysis.h"
#include "ui/plots/figure_builders.h"
#include "ui/plots/figure_campaign.h"
#include "ui/plots/figure_canvas.h"
#include "ui/plots/figure_csv.h"
#include "ui/plots/figure_palette.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace flipscope::ui::figure {

FigureTable drawHistogram(QCustomPlot&, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle&) {
    const CampaignResults& results = requireCampaign(inputs, FigureKind::Histogram).results;
    const Histogram histogram = deltaHistogram(results, std::max(inputs.histogramBins, 1));
    const double span = histogram.hi - histogram.lo;
    // All deltas equal (or none): one bar of a visible width around the value.
    const double width = span > 0 ? span / double(histogram.counts.size())
                                  : std::max(std::fabs(histogram.lo) * 0.1, 1e-6);

    FigureTable table;
    table.columns = {"bin_lo", "bin_hi", "count"};
    QCPAxis* x = rect.axis(QCPAxis::atBottom);
    QCPAxis* y = rect.axis(QCPAxis::atLeft);
    auto* bars = new QCPBars(x, y);
    bars->setWidth(width);
    bars->setBrush(seriesColour(0));
    bars->setPen(Qt::NoPen);
    int64_t highest = 0;
    for (size_t i = 0; i < histogram.counts.size(); ++i) {
        const double lo = histogram.lo + double(i) * width;
        const int64_t count = histogram.counts[i];
        table.rows.push_back({tableNumber(lo), tableNumber(lo + width), tableNumber(count)});
        highest = std::max(highest, count);
        // A log axis cannot show zero: empty bins are left out of the drawing (not of the table).
        if (count > 0 || !inputs.logCounts) bars->addData(lo + width / 2, double(count));
    }

    const QString metric = metricName(results.info);
    x->setLabel(QObject::tr("%1 with the fault − baseline").arg(metric));
    y->setLabel(QObject::tr("faults"));
    x->setRange(histogram.lo - width, histogram.lo + width * double(histogram.counts.size() + 1));
    if (inputs.logCounts) {
        y->setScaleType(QCPAxis::stLogarithmic);
        auto ticker = QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog);
        ticker->setSubTickCount(8);
        y->setTicker(ticker);
        y->setNumberFormat("eb");
        y->setNumberPrecision(0);
        // A bar spans base..base + count: a tiny base keeps its top at the count (within 0.1%) and
        // its foot below the axis, where the axis rect clips it.
        bars->setBaseValue(1e-3);
        y->setRange(0.5, std::max<double>(highest, 1) * 2.0);
    } else {
        y->setRange(0.0, std::max<double>(highest, 1) * 1.05);
        useIntegerTicks(*y);
    }
    return table;
}

}  // namespace flipscope::ui::figure
