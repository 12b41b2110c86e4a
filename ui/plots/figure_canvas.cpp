#include "ui/plots/figure_canvas.h"

#include "ui/plots/figure_palette.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace flipscope::ui::figure {

namespace {

void styleAxis(QCPAxis& axis, const FigureStyle& style) {
    const QFont font = styleFont(style);
    const QPen axisPen(referenceColour(), std::max(0.5, 0.6 * style.lineWidth));
    axis.setVisible(true);
    axis.setTickLabels(true);
    axis.setLabelFont(font);
    axis.setTickLabelFont(font);
    axis.setBasePen(axisPen);
    axis.setTickPen(axisPen);
    axis.setSubTickPen(axisPen);
    axis.setTickLabelColor(referenceColour());
    axis.setLabelColor(referenceColour());
    axis.setTickLengthIn(0);
    axis.setTickLengthOut(static_cast<int>(std::lround(0.4 * style.fontPt)));
    axis.setSubTickLengthIn(0);
    axis.setSubTickLengthOut(static_cast<int>(std::lround(0.2 * style.fontPt)));
    axis.setLabelPadding(static_cast<int>(std::lround(0.5 * style.fontPt)));
    axis.setTickLabelRotation(0);
    axis.setLabel({});
    axis.setScaleType(QCPAxis::stLinear);
    axis.setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    axis.setNumberFormat("gb");
    axis.setNumberPrecision(6);
    axis.setRangeReversed(false);
    axis.setRange(0, 1);
    axis.grid()->setPen(QPen(gridColour(), std::max(0.5, 0.5 * style.lineWidth)));
    axis.grid()->setZeroLinePen(Qt::NoPen);
    axis.grid()->setSubGridVisible(false);
}

void styleRect(QCPAxisRect& rect, const FigureStyle& style) {
    rect.setBackground(Qt::white);
    rect.setupFullAxesBox(false);
    for (QCPAxis* axis : rect.axes()) styleAxis(*axis, style);
    // Only bottom and left axes carry ticks; the box's top and right stay off (a cleaner paper look).
    rect.axis(QCPAxis::atTop)->setVisible(false);
    rect.axis(QCPAxis::atRight)->setVisible(false);
    rect.axis(QCPAxis::atBottom)->grid()->setVisible(false);
    rect.axis(QCPAxis::atLeft)->grid()->setVisible(true);
    rect.setRangeDrag(Qt::Orientations());
    rect.setRangeZoom(Qt::Orientations());
}

}  // namespace

QFont styleFont(const FigureStyle& style) {
    QFont font(style.fontFamily);
    font.setPointSizeF(style.fontPt);
    return font;
}

QPen seriesPen(const QColor& colour, const FigureStyle& style, Qt::PenStyle dash) {
    QPen pen(colour, style.lineWidth, dash);
    pen.setCapStyle(Qt::FlatCap);
    pen.setJoinStyle(Qt::RoundJoin);
    return pen;
}

QCPAxisRect* resetCanvas(QCustomPlot& plot, const FigureStyle& style) {
    plot.clearPlottables();
    plot.clearItems();
    QCPAxisRect* main = plot.axisRect(0);
    // The legend lives in an axis rect's inset layout; bring it home before other rects go.
    if (plot.legend->layout() != main->insetLayout() && plot.legend->layout()) {
        plot.legend->layout()->take(plot.legend);
        main->insetLayout()->addElement(plot.legend, Qt::AlignTop | Qt::AlignRight);
    }
    const auto groups = main->marginGroups();
    for (QCPMarginGroup* group : QSet<QCPMarginGroup*>(groups.begin(), groups.end())) delete group;
    QCPLayoutGrid* layout = plot.plotLayout();
    for (int i = layout->elementCount() - 1; i >= 0; --i)
        if (QCPLayoutElement* element = layout->elementAt(i); element && element != main) layout->removeAt(i);
    layout->simplify();
    layout->setColumnStretchFactors({1.0});
    layout->setColumnSpacing(static_cast<int>(std::lround(style.fontPt)));
    plot.setBackground(Qt::white);
    plot.setAntialiasedElements(QCP::aeAll);
    plot.setInteractions(QCP::Interactions());
    styleRect(*main, style);
    plot.legend->setVisible(false);
    plot.legend->clearItems();
    return main;
}

QCPAxisRect* addAxisRect(QCustomPlot& plot, int column, const FigureStyle& style) {
    auto* rect = new QCPAxisRect(&plot);
    plot.plotLayout()->addElement(0, column, rect);
    styleRect(*rect, style);
    return rect;
}

void placeLegend(QCustomPlot& plot, QCPAxisRect& rect, Qt::Alignment corner, const FigureStyle& style) {
    QCPLegend* legend = plot.legend;
    legend->setVisible(true);
    legend->setFont(styleFont(style));
    legend->setBrush(QColor(255, 255, 255, 230));
    legend->setBorderPen(QPen(gridColour(), 1.0));
    const int pad = static_cast<int>(std::lround(0.5 * style.fontPt));
    legend->setMargins(QMargins(pad, pad / 2, pad, pad));
    legend->setRowSpacing(0);
    // Icons as tall as a line of text, so rows are spaced by the text. Each item clips to its own
    // rect, which ends at the font's nominal descent; scaled-up (high-DPI) glyphs reach a little
    // further, so every item gets that much room below.
    const QFontMetrics metrics(styleFont(style));
    legend->setIconSize(static_cast<int>(std::lround(2.2 * style.fontPt)), metrics.height());
    for (int i = 0; i < legend->itemCount(); ++i) legend->item(i)->setMargins(QMargins(0, 0, 0, metrics.descent() / 2 + 1));
    if (legend->layout() != rect.insetLayout()) {
        if (legend->layout()) legend->layout()->take(legend);
        rect.insetLayout()->addElement(legend, corner);
    }
    for (int i = 0; i < rect.insetLayout()->elementCount(); ++i)
        if (rect.insetLayout()->elementAt(i) == legend) rect.insetLayout()->setInsetAlignment(i, corner);
}

void setPaddedRange(QCPAxis& axis, double lo, double hi, double padFraction) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0.0, hi = 1.0;
    double span = hi - lo;
    if (span <= 0.0) span = lo != 0.0 ? std::fabs(lo) * 0.4 : 1.0;
    const double pad = span * padFraction + (hi == lo ? span / 2 : 0.0);
    axis.setRange(lo - pad, hi + pad);
}

void useIntegerTicks(QCPAxis& axis) {
    auto ticker = QSharedPointer<QCPAxisTickerFixed>(new QCPAxisTickerFixed);
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    axis.setTicker(ticker);
    axis.setNumberFormat("f");
    axis.setNumberPrecision(0);
}

}  // namespace flipscope::ui::figure
