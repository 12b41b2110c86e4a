#include "ui/widgets/hex_map_widget.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace flipscope::ui {

HexMapWidget::HexMapWidget(QWidget* parent) : QWidget(parent) {}

void HexMapWidget::setMap(const QString& title, std::vector<double> values, std::vector<CellPosition> cells,
                          const ColourScale& scale) {
    title_ = title;
    values_ = std::move(values);
    cells_ = std::move(cells);
    scale_ = scale;
    update();
}

std::vector<QPolygonF> HexMapWidget::hexagons() const {
    std::vector<QPolygonF> out;
    if (cells_.empty()) return out;
    // Neighbouring centres are one hexagon width apart: circumradius = spacing / sqrt(3).
    double spacing = std::numeric_limits<double>::max();
    for (size_t i = 0; i < cells_.size(); ++i)
        for (size_t j = i + 1; j < cells_.size(); ++j)
            spacing = std::min(spacing, std::hypot(cells_[i].x - cells_[j].x, cells_[i].y - cells_[j].y));
    const double radius = spacing / std::sqrt(3.0);
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    for (const auto& c : cells_) {
        x0 = std::min(x0, c.x - radius), x1 = std::max(x1, c.x + radius);
        y0 = std::min(y0, c.y - radius), y1 = std::max(y1, c.y + radius);
    }
    const double top = fontMetrics().height() + 4;
    const double w = width() - 4, h = height() - top - 2;
    const double s = std::min(w / (x1 - x0), h / (y1 - y0));
    const double ox = (width() - s * (x1 - x0)) / 2, oy = top + (h - s * (y1 - y0)) / 2;
    for (const auto& c : cells_) {
        // Flat-topped hexagons (neighbours sit straight above and below); y grows upwards.
        const QPointF centre(ox + (c.x - x0) * s, oy + (y1 - c.y) * s);
        QPolygonF hex;
        for (int k = 0; k < 6; ++k) {
            const double a = M_PI / 3 * k;
            hex << centre + QPointF(std::cos(a), std::sin(a)) * radius * s * 0.97;
        }
        out.push_back(hex);
    }
    return out;
}

void HexMapWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, width(), fontMetrics().height() + 2), Qt::AlignCenter,
               fontMetrics().elidedText(title_, Qt::ElideRight, width()));
    const auto hexes = hexagons();
    p.setPen(QPen(palette().color(QPalette::Mid), 0.6));
    for (size_t i = 0; i < hexes.size() && i < values_.size(); ++i) {
        p.setBrush(QColor::fromRgb(scale_.rgb(values_[i])));
        p.drawPolygon(hexes[i]);
    }
}

bool HexMapWidget::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const auto hexes = hexagons();
        for (size_t i = 0; i < hexes.size() && i < values_.size(); ++i)
            if (hexes[i].containsPoint(help->pos(), Qt::OddEvenFill)) {
                QToolTip::showText(help->globalPos(),
                                   QString("%1\ntrigger cell %2: %3").arg(title_).arg(i).arg(formatValue(values_[i])), this);
                return true;
            }
        QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

}  // namespace flipscope::ui
