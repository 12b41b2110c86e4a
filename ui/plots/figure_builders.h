#pragma once
// One function per figure kind, called by buildFigure (figure_kinds.cpp) on a canvas it has just
// reset (figure_canvas.h). Each draws into the plot's main axis rect and returns the data drawn.
#include "ui/plots/figure.h"

class QCPAxisRect;

namespace flipscope::ui::figure {

FigureTable drawBitsToProtect(QCustomPlot& plot, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle& style);
FigureTable drawDistribution(QCustomPlot& plot, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle& style);
FigureTable drawRanking(QCustomPlot& plot, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle& style);
FigureTable drawHistogram(QCustomPlot& plot, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle& style);
FigureTable drawBer(QCustomPlot& plot, QCPAxisRect& rect, const FigureInputs& inputs, const FigureStyle& style);

}  // namespace flipscope::ui::figure
