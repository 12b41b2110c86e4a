// Where a model's bits to protect are: per tensor (left) and per bit position (right), each bar
// stacked as "to protect" under "not to protect" so its height is what was evaluated. With
// normalized axes the bars show fractions of the evaluated bits instead of counts.
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

struct BarGroup {
    QString name;  // tick label
    ProtectCount count;
};

// One axis rect of stacked bars; returns the highest bar. Only one pair is listed in the legend.
double drawStackedBars(QCPAxisRect& rect, const std::vector<BarGroup>& groups, bool fractions, bool inLegend,
                       const FigureStyle& style) {
    QCPAxis* x = rect.axis(QCPAxis::atBottom);
    QCPAxis* y = rect.axis(QCPAxis::atLeft);
    auto* protect = new QCPBars(x, y);
    auto* rest = new QCPBars(x, y);
    rest->moveAbove(protect);
    protect->setName(QObject::tr("to protect"));
    rest->setName(QObject::tr("not to protect"));
    protect->setBrush(seriesColour(1));
    rest->setBrush(neutralColour());
    for (QCPBars* bars : {protect, rest}) {
        bars->setPen(QPen(Qt::white, std::max(0.5, 0.5 * style.lineWidth)));
        bars->setWidth(0.7);
        if (!inLegend) bars->removeFromLegend();
    }
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    double top = 0.0;
    for (size_t i = 0; i < groups.size(); ++i) {
        const ProtectCount& c = groups[i].count;
        const double scale = fractions ? (c.total ? 1.0 / double(c.total) : 0.0) : 1.0;
        protect->addData(double(i), double(c.protect) * scale);
        rest->addData(double(i), double(c.total - c.protect) * scale);
        top = std::max(top, double(c.total) * scale);
        ticker->addTick(double(i), groups[i].name);
    }
    x->setTicker(ticker);
    x->setRange(-0.6, double(groups.size()) - 0.4);
    // Long layer names turn so they do not run into each other.
    const int longest = std::max_element(groups.begin(), groups.end(), [](const BarGroup& a, const BarGroup& b) {
                            return a.name.size() < b.name.size();
                        })->name.size();
    if (groups.size() > 1 && longest * int(groups.size()) > 24) x->setTickLabelRotation(-30);
    return top;
}

}  // namespace

FigureTable drawDistribution(QCustomPlot& plot, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle& style) {
    const CampaignResults& results = requireCampaign(inputs, FigureKind::Distribution).results;
    if (!results.info.plan.singleBit())
        throw InputError("the distribution figure needs a single-bit campaign; " + results.info.modelPath +
                         " was a bit-error-rate sweep (" + results.info.plan.toString() + ")");
    const CampaignSummary summary = summarizeCampaign(results);
    FigureTable table;
    table.columns = {"group", "name", "bits_to_protect", "evaluated", "fraction"};

    std::vector<BarGroup> tensors, positions;
    for (size_t i = 0; i < summary.perTensor.size() && i < results.info.bitSpace.size(); ++i) {
        const auto& t = results.info.bitSpace[i];
        tensors.push_back({shortTensorName(t.value("layer", ""), t.value("tensor", "")), summary.perTensor[i].second});
        table.rows.push_back({"tensor", QString::fromStdString(summary.perTensor[i].first),
                              tableNumber(tensors.back().count.protect), tableNumber(tensors.back().count.total),
                              tableNumber(tensors.back().count.fraction())});
    }
    // MSB on the left, as bits are written.
    for (auto it = summary.perBitPosition.rbegin(); it != summary.perBitPosition.rend(); ++it) {
        positions.push_back({QString::number(it->first), it->second});
        table.rows.push_back({"bit", QString::number(it->first), tableNumber(it->second.protect),
                              tableNumber(it->second.total), tableNumber(it->second.fraction())});
    }
    if (positions.empty()) positions.push_back({"-", {}});

    const bool fractions = inputs.normalizedAxes;
    QCPAxisRect* right = addAxisRect(plot, 1, style);
    const double tensorTop = drawStackedBars(rect, tensors, fractions, true, style);
    const double positionTop = drawStackedBars(*right, positions, fractions, false, style);
    // Fractions share one scale; counts differ by orders of magnitude between the two sides. Room
    // above the bars for the legend.
    rect.axis(QCPAxis::atLeft)->setRange(0.0, (fractions ? 1.0 : std::max(tensorTop, 1.0)) * 1.35);
    right->axis(QCPAxis::atLeft)->setRange(0.0, (fractions ? 1.0 : std::max(positionTop, 1.0)) * 1.35);
    for (QCPAxisRect* r : {&rect, right}) r->axis(QCPAxis::atLeft)->setNumberPrecision(7);
    // Both plot areas share their top and bottom edges, whatever the tick labels below them.
    auto* edges = new QCPMarginGroup(&plot);
    rect.setMarginGroup(QCP::msTop | QCP::msBottom, edges);
    right->setMarginGroup(QCP::msTop | QCP::msBottom, edges);
    // Widths by the number of bars; layer names are longer than bit numbers, so their bars get more.
    plot.plotLayout()->setColumnStretchFactors({2.5 * double(std::max<size_t>(tensors.size(), 2)),
                                                double(std::max<size_t>(positions.size(), 3))});
    rect.axis(QCPAxis::atLeft)->setLabel(fractions ? QObject::tr("fraction of evaluated bits") : QObject::tr("bits"));
    rect.axis(QCPAxis::atBottom)->setLabel(QObject::tr("layer"));
    right->axis(QCPAxis::atBottom)->setLabel(QObject::tr("bit position (0 = LSB)"));
    // The legend goes on the bit-position side: its bars are of equal height, so the room above
    // them is free. Only the first pair of bars is listed.
    placeLegend(plot, *right, Qt::AlignTop | Qt::AlignRight, style);
    return table;
}

}  // namespace flipscope::ui::figure
