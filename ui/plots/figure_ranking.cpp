// Metric vs perfect ranking (reference 3.6): for every bit ranking, the bits to protect found
// among the first k bits it ranks, against k, with the oracle (bits ordered by measured damage) as
// the best possible curve. Normalized axes show k/N and found/total. The legend carries each
// ranking's score (area under its curve / the oracle's). Curves with more than kMaxCurvePoints
// points are drawn at evenly spaced k (always including the first and last); the table holds the
// drawn points.
#include "core/common/error.h"
#include "core/sensitivity/ranking_curves.h"
#include "ui/plots/figure_builders.h"
#include "ui/plots/figure_campaign.h"
#include "ui/plots/figure_canvas.h"
#include "ui/plots/figure_csv.h"
#include "ui/plots/figure_palette.h"

#include <qcustomplot.h>

#include <cmath>

namespace flipscope::ui::figure {

namespace {

// k = 0..n, or kMaxCurvePoints evenly spaced values of it (a step curve of 60k points is drawn at
// the same resolution with 2k; the steps are below a pixel).
std::vector<int64_t> drawnPositions(int64_t n) {
    std::vector<int64_t> ks;
    if (n + 1 <= kMaxCurvePoints) {
        for (int64_t k = 0; k <= n; ++k) ks.push_back(k);
        return ks;
    }
    for (int i = 0; i < kMaxCurvePoints; ++i) {
        const int64_t k = static_cast<int64_t>(std::llround(double(n) * i / (kMaxCurvePoints - 1)));
        if (ks.empty() || k != ks.back()) ks.push_back(k);
    }
    return ks;
}

}  // namespace

FigureTable drawRanking(QCustomPlot&, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle& style) {
    const CampaignResults& results = requireCampaign(inputs, FigureKind::Ranking).results;
    if (!results.info.plan.singleBit())
        throw InputError("the ranking figure needs single-bit results to measure rankings against; " +
                         results.info.modelPath + " was a bit-error-rate sweep (" + results.info.plan.toString() + ")");
    const Oracle oracle = makeOracle(results);

    struct Series {
        QString name;
        RankingCurve curve;
        QColor colour;
        Qt::PenStyle dash;
    };
    std::vector<Series> series;
    series.push_back({QObject::tr("oracle (measured)"), oracleCurve(oracle), referenceColour(), Qt::DashLine});
    for (size_t i = 0; i < inputs.rankings.size(); ++i) {
        const BitRanking& ranking = inputs.rankings[i];
        RankingCurve curve = rankingCurve(ranking.method, ranking.order, oracle);
        const RankingScore score = scoreRanking(curve, oracle);
        series.push_back({QObject::tr("%1 (score %2)").arg(QString::fromStdString(ranking.method))
                              .arg(score.foundScore, 0, 'f', 3),
                          std::move(curve), seriesColour(int(i)), Qt::SolidLine});
    }

    const bool normalized = inputs.normalizedAxes;
    const double xScale = normalized && oracle.evaluatedCount ? 1.0 / double(oracle.evaluatedCount) : 1.0;
    const double yScale = normalized && oracle.sensitiveCount ? 1.0 / double(oracle.sensitiveCount) : 1.0;
    const std::vector<int64_t> ks = drawnPositions(oracle.evaluatedCount);

    FigureTable table;
    table.columns = {"k", normalized ? "fraction_of_bits" : "bits"};
    for (const Series& s : series) table.columns << s.name;
    QVector<double> xs;
    for (int64_t k : ks) xs << double(k) * xScale;
    for (size_t i = 0; i < ks.size(); ++i) table.rows.push_back({tableNumber(ks[i]), tableNumber(xs[int(i)])});

    QCPAxis* x = rect.axis(QCPAxis::atBottom);
    QCPAxis* y = rect.axis(QCPAxis::atLeft);
    // Rankings first, the oracle last, so the reference is drawn on top of everything; the legend
    // then lists them in series order, the oracle first.
    std::vector<QCPGraph*> graphs(series.size());
    for (size_t si = series.size(); si-- > 0;) {
        const Series& s = series[si];
        QVector<double> ys;
        for (int64_t k : ks) ys << double(s.curve.found.at(static_cast<size_t>(k))) * yScale;
        graphs[si] = new QCPGraph(x, y);
        graphs[si]->setData(xs, ys, true);
        QPen pen = seriesPen(s.colour, style, s.dash);
        if (s.dash != Qt::SolidLine) pen.setWidthF(1.5 * pen.widthF());  // a thin dashed line fades
        graphs[si]->setPen(pen);
        graphs[si]->setName(s.name);
    }
    rect.parentPlot()->legend->clearItems();
    for (QCPGraph* graph : graphs) graph->addToLegend();
    for (size_t i = 0; i < ks.size(); ++i)
        for (const QCPGraph* graph : graphs) table.rows[i] << tableNumber(graph->data()->at(int(i))->value);

    x->setLabel(normalized ? QObject::tr("fraction of bits protected (k / %1)").arg(oracle.evaluatedCount)
                           : QObject::tr("bits protected, in ranking order (k)"));
    y->setLabel(normalized ? QObject::tr("fraction of bits to protect found") : QObject::tr("bits to protect found"));
    x->setRange(0.0, double(oracle.evaluatedCount) * xScale);
    y->setRange(0.0, std::max(1.0, double(oracle.sensitiveCount) * yScale) * 1.05);
    if (!normalized) {
        x->setNumberPrecision(7);
        y->setNumberPrecision(7);
    }
    placeLegend(*rect.parentPlot(), rect, Qt::AlignBottom | Qt::AlignRight, style);
    return table;
}

}  // namespace flipscope::ui::figure
