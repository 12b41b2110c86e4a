#include "ui/widgets/heat_map_widget.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace flipscope::ui {

HeatMapWidget::HeatMapWidget(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void HeatMapWidget::setMap(const QString& title, std::vector<float> values, int rows, int cols, const ColourScale& scale) {
    title_ = title;
    values_ = std::move(values);
    rows_ = rows;
    cols_ = cols;
    scale_ = scale;
    update();
}

int HeatMapWidget::heightForWidth(int width) const {
    const double aspect = cols_ > 0 ? static_cast<double>(rows_) / cols_ : 1.0;
    return static_cast<int>(width * aspect) + fontMetrics().height() + 8;
}

QRectF HeatMapWidget::mapRect() const {
    const double top = fontMetrics().height() + 4;
    const double w = width() - 2, h = height() - top - 2;
    if (rows_ <= 0 || cols_ <= 0 || w <= 0 || h <= 0) return {};
    const double cell = std::min(w / cols_, h / rows_);
    return {(width() - cell * cols_) / 2, top, cell * cols_, cell * rows_};
}

void HeatMapWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, width(), fontMetrics().height() + 2), Qt::AlignCenter,
               fontMetrics().elidedText(title_, Qt::ElideRight, width()));
    const QRectF r = mapRect();
    if (r.isEmpty() || values_.size() < static_cast<size_t>(rows_) * cols_) return;
    const double cell = r.width() / cols_;
    for (int y = 0; y < rows_; ++y)
        for (int x = 0; x < cols_; ++x)
            p.fillRect(QRectF(r.left() + x * cell, r.top() + y * cell, cell + 0.5, cell + 0.5),
                       QColor::fromRgb(scale_.rgb(values_[static_cast<size_t>(y) * cols_ + x])));
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(r);
}

bool HeatMapWidget::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const QRectF r = mapRect();
        if (r.contains(help->pos()) && cols_ > 0) {
            const double cell = r.width() / cols_;
            const int x = std::min(cols_ - 1, static_cast<int>((help->pos().x() - r.left()) / cell));
            const int y = std::min(rows_ - 1, static_cast<int>((help->pos().y() - r.top()) / cell));
            QToolTip::showText(help->globalPos(), QString("%1\nrow %2, column %3: %4")
                                                      .arg(title_)
                                                      .arg(y)
                                                      .arg(x)
                                                      .arg(formatValue(values_[static_cast<size_t>(y) * cols_ + x])),
                               this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(e);
}

}  // namespace flipscope::ui
