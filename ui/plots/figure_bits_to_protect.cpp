// Normalized bits to protect vs the campaign's baseline metric: one labelled point per campaign
// (the study's trade-off figure: smaller or lower-precision models need fewer bits protected?).
#include "core/common/error.h"
#include "core/faults/campaign_analysis.h"
#include "ui/plots/figure_builders.h"
#include "ui/plots/figure_campaign.h"
#include "ui/plots/figure_canvas.h"
#include "ui/plots/figure_csv.h"
#include "ui/plots/figure_palette.h"

#include <qcustomplot.h>

#include <algorithm>

namespace flipscope::ui::figure {

namespace {

// Exhaustive and ranked campaigns count their bits to protect over the bit space (a running one
// grows towards the final value); a sampled campaign estimates the fraction from its sample.
double plottedFraction(const CampaignInfo& info, const CampaignSummary& summary) {
    const bool sampled = info.plan.kind == PlanKind::Sample || info.plan.kind == PlanKind::Stratified;
    return sampled ? summary.overall.fraction() : summary.normalizedBitsToProtect;
}

// Labels stay inside the axis rect: left-aligned in the left third, right-aligned in the right
// third, centred between; always above their point.
Qt::Alignment labelAlignment(double x, const QCPRange& range) {
    const double at = range.size() > 0 ? (x - range.lower) / range.size() : 0.5;
    const Qt::Alignment horizontal = at < 1.0 / 3 ? Qt::AlignLeft : at > 2.0 / 3 ? Qt::AlignRight : Qt::AlignHCenter;
    return horizontal | Qt::AlignBottom;
}

}  // namespace

FigureTable drawBitsToProtect(QCustomPlot& plot, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle& style) {
    requireCampaign(inputs, FigureKind::BitsToProtect);
    FigureTable table;
    table.columns = {"label", "metric", "baseline", "bits_to_protect", "evaluated", "bit_space_bits",
                     "normalized_bits_to_protect"};
    QVector<double> xs, ys;
    QStringList labels;
    for (const FigureCampaign& campaign : inputs.campaigns) {
        const CampaignInfo& info = campaign.results.info;
        if (!info.plan.singleBit())
            throw InputError("the bits-to-protect figure needs single-bit campaigns; " + info.modelPath +
                             " was a bit-error-rate sweep (" + info.plan.toString() + ")");
        const CampaignSummary summary = summarizeCampaign(campaign.results);
        const double y = plottedFraction(info, summary);
        xs << summary.baseline;
        ys << y;
        labels << campaignLabel(campaign);
        table.rows.push_back({labels.back(), QString::fromStdString(info.metric), tableNumber(summary.baseline),
                              tableNumber(summary.overall.protect), tableNumber(summary.evaluated),
                              tableNumber(summary.bitSpaceSize), tableNumber(y)});
    }

    const QString metric = metricName(inputs.campaigns.front().results.info);
    QCPAxis* x = rect.axis(QCPAxis::atBottom);
    QCPAxis* y = rect.axis(QCPAxis::atLeft);
    x->setLabel(QObject::tr("baseline %1 (no fault)").arg(metric));
    y->setLabel(QObject::tr("normalized bits to protect"));
    setPaddedRange(*x, *std::min_element(xs.begin(), xs.end()), *std::max_element(xs.begin(), xs.end()), 0.2);
    // From zero, with room above the highest point for its label.
    y->setRange(0.0, std::max(*std::max_element(ys.begin(), ys.end()) * 1.3, 1e-3));

    const double markerSize = style.fontPt * 0.9;
    for (int i = 0; i < xs.size(); ++i) {
        auto* point = new QCPGraph(x, y);
        point->setData({xs[i]}, {ys[i]});
        point->setLineStyle(QCPGraph::lsNone);
        point->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColour(i), seriesColour(i), markerSize));
        point->setName(labels[i]);

        auto* label = new QCPItemText(&plot);
        label->setClipAxisRect(&rect);
        label->position->setAxes(x, y);
        label->position->setCoords(xs[i], ys[i]);
        label->setPositionAlignment(labelAlignment(xs[i], x->range()));
        label->setPadding(QMargins(0, 0, 0, static_cast<int>(markerSize)));
        label->setFont(styleFont(style));
        label->setColor(referenceColour());
        label->setText(labels[i]);
    }
    return table;
}

}  // namespace flipscope::ui::figure
