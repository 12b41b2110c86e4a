// The figure kinds by name and title, and buildFigure: reset the canvas, draw the kind.
#include "ui/plots/figure.h"

#include "ui/plots/figure_builders.h"
#include "ui/plots/figure_canvas.h"

#include <qcustomplot.h>

namespace flipscope::ui {

const QStringList& figureKindNames() {
    static const QStringList names{"bits-to-protect", "distribution", "ranking", "histogram", "ber"};
    return names;
}

std::optional<FigureKind> figureKindFromName(const QString& name) {
    const int index = figureKindNames().indexOf(name);
    if (index < 0) return std::nullopt;
    return static_cast<FigureKind>(index);
}

QString figureTitle(FigureKind kind) {
    switch (kind) {
    case FigureKind::BitsToProtect: return QObject::tr("Bits to protect");
    case FigureKind::Distribution: return QObject::tr("Distribution");
    case FigureKind::Ranking: return QObject::tr("Rankings vs oracle");
    case FigureKind::Histogram: return QObject::tr("Metric deltas");
    case FigureKind::Ber: return QObject::tr("Bit-error rate");
    }
    return {};
}

FigureTable buildFigure(QCustomPlot& plot, FigureKind kind, const FigureInputs& inputs, const FigureStyle& style) {
    QCPAxisRect* rect = figure::resetCanvas(plot, style);
    FigureTable table;
    switch (kind) {
    case FigureKind::BitsToProtect: table = figure::drawBitsToProtect(plot, *rect, inputs, style); break;
    case FigureKind::Distribution: table = figure::drawDistribution(plot, *rect, inputs, style); break;
    case FigureKind::Ranking: table = figure::drawRanking(plot, *rect, inputs, style); break;
    case FigureKind::Histogram: table = figure::drawHistogram(plot, *rect, inputs, style); break;
    case FigureKind::Ber: table = figure::drawBer(plot, *rect, inputs, style); break;
    }
    plot.replot();
    return table;
}

void drawFigureMessage(QCustomPlot& plot, const QString& message, const FigureStyle& style) {
    QCPAxisRect* rect = figure::resetCanvas(plot, style);
    for (QCPAxis* axis : rect->axes()) {
        axis->setVisible(false);
        axis->grid()->setVisible(false);
    }
    auto* text = new QCPItemText(&plot);
    text->setClipToAxisRect(false);
    text->position->setType(QCPItemPosition::ptAxisRectRatio);
    text->position->setAxisRect(rect);
    text->position->setCoords(0.5, 0.5);
    text->setPositionAlignment(Qt::AlignCenter);
    text->setTextAlignment(Qt::AlignCenter);
    QFont font = figure::styleFont(style);
    font.setPointSizeF(style.fontPt * 1.2);
    text->setFont(font);
    text->setColor(QColor(0x55, 0x55, 0x55));
    text->setText(message);
    plot.replot();
}

}  // namespace flipscope::ui
