#pragma once
// The parts every figure shares: a clean, styled canvas (axes, fonts, grid, white background), a
// second axis rect, pens, the legend's place, axis ranges with room for labels, and messages.
#include "ui/plots/figure.h"

#include <QFont>
#include <QPen>

class QCPAxis;
class QCPAxisRect;

namespace flipscope::ui::figure {

// Removes everything a previous figure drew (plottables, items, extra axis rects, log scales,
// text tickers) and returns the plot's main axis rect, styled, with only the bottom and left axes.
QCPAxisRect* resetCanvas(QCustomPlot& plot, const FigureStyle& style);
// A further styled axis rect in the plot layout's given column of row 0 (beside the main one).
QCPAxisRect* addAxisRect(QCustomPlot& plot, int column, const FigureStyle& style);

QFont styleFont(const FigureStyle& style);
QPen seriesPen(const QColor& colour, const FigureStyle& style, Qt::PenStyle dash = Qt::SolidLine);

// Shows the plot's legend inside `rect` at `corner`, moving it there from the main axis rect if
// needed (resetCanvas moves it back, so removing extra axis rects never deletes it).
void placeLegend(QCustomPlot& plot, QCPAxisRect& rect, Qt::Alignment corner, const FigureStyle& style);

// Sets [lo, hi] widened by `padFraction` of its span on each side; an empty span gets a sensible
// width around the value, so a single point is still in the middle of a visible range.
void setPaddedRange(QCPAxis& axis, double lo, double hi, double padFraction);

// Integer-only ticks (counts, bit positions).
void useIntegerTicks(QCPAxis& axis);

}  // namespace flipscope::ui::figure
