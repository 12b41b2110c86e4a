#include "ui/widgets/value_bars_widget.h"

#include "ui/bitgrid/colour_scale.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace flipscope::ui {

ValueBarsWidget::ValueBarsWidget(QWidget* parent) : QWidget(parent) {}

void ValueBarsWidget::setValues(const QString& title, std::vector<float> before, std::vector<float> after,
                                std::optional<int> highlight) {
    title_ = title;
    before_ = std::move(before);
    after_ = std::move(after);
    highlight_ = highlight;
    update();
}

void ValueBarsWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QFontMetrics fm = fontMetrics();
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, width(), fm.height() + 2), Qt::AlignLeft | Qt::AlignVCenter, title_);
    const size_t n = std::max(before_.size(), after_.size());
    if (n == 0) return;
    double lo = 0, hi = 0;
    for (float v : before_) lo = std::min<double>(lo, v), hi = std::max<double>(hi, v);
    for (float v : after_) lo = std::min<double>(lo, v), hi = std::max<double>(hi, v);
    if (hi - lo <= 0) hi = lo + 1;
    const QRectF area(4, fm.height() + 6, width() - 8, height() - 2 * fm.height() - 10);
    const double slot = area.width() / n;
    const double zeroY = area.bottom() - (0 - lo) / (hi - lo) * area.height();
    auto argmax = [](const std::vector<float>& v) { return v.empty() ? -1 : static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin()); };
    const int maxBefore = argmax(before_), maxAfter = argmax(after_);
    const bool labels = slot >= fm.horizontalAdvance("00") + 2;
    for (size_t i = 0; i < n; ++i) {
        const double x = area.left() + i * slot;
        if (highlight_ && *highlight_ == static_cast<int>(i))
            p.fillRect(QRectF(x, area.top(), slot, area.height()), QColor(255, 236, 179));
        auto bar = [&](const std::vector<float>& v, double offset, const QColor& colour) {
            if (i >= v.size()) return;
            const double y = area.bottom() - (v[i] - lo) / (hi - lo) * area.height();
            p.fillRect(QRectF(x + offset, std::min(y, zeroY), slot * 0.38, std::fabs(zeroY - y)), colour);
        };
        bar(before_, slot * 0.1, QColor(160, 166, 174));
        bar(after_, slot * 0.52, QColor(230, 25, 75));
        if (labels) {
            QFont f = font();
            f.setBold(static_cast<int>(i) == maxBefore || static_cast<int>(i) == maxAfter);
            p.setFont(f);
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(QRectF(x, area.bottom() + 2, slot, fm.height()), Qt::AlignCenter, QString::number(i));
            p.setFont(font());
        }
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(QPointF(area.left(), zeroY), QPointF(area.right(), zeroY));
    // Legend.
    const int lx = width() - fm.horizontalAdvance("■ before  ■ after") - 6;
    p.setPen(QColor(160, 166, 174));
    p.drawText(lx, fm.ascent() + 1, "■ before");
    p.setPen(QColor(230, 25, 75));
    p.drawText(lx + fm.horizontalAdvance("■ before  "), fm.ascent() + 1, "■ after");
}

}  // namespace flipscope::ui
