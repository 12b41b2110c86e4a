#include "ui/widgets/colour_bar.h"

#include <QPainter>

namespace flipscope::ui {

ColourBar::ColourBar(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ColourBar::setScale(const ColourScale& scale, const QString& title) {
    scale_ = scale;
    title_ = title;
    update();
}

QSize ColourBar::sizeHint() const { return {360, fontMetrics().height() * 2 + 8}; }
QSize ColourBar::minimumSizeHint() const { return {110, sizeHint().height()}; }

void ColourBar::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    const QFontMetrics fm = fontMetrics();
    const int titleWidth = 0;  // the colouring's name is in the combo box beside the bar
    const int labelRoom = fm.horizontalAdvance("-0.0000") / 2 + 2;
    const QRect bar(titleWidth + labelRoom, 3, std::max(20, width() - titleWidth - 2 * labelRoom), height() / 2 - 4);
    if (scale_.isDiscrete()) {
        const auto ticks = scale_.ticks();
        const int n = std::max<int>(1, static_cast<int>(ticks.size()));
        for (int i = 0; i < n && i < static_cast<int>(ticks.size()); ++i) {
            const QRect cell(bar.left() + i * bar.width() / n, bar.top(), bar.width() / n, bar.height());
            p.fillRect(cell, QColor::fromRgb(scale_.rgb(ticks[i].value)));
            p.drawText(QRect(cell.left(), bar.bottom() + 2, cell.width(), fm.height()), Qt::AlignCenter,
                       formatValue(ticks[i].value));
        }
        p.setPen(palette().color(QPalette::Mid));
        p.drawRect(bar.adjusted(0, 0, -1, -1));
        return;
    }
    for (int x = 0; x < bar.width(); ++x) {
        p.setPen(QColor::fromRgb(scale_.map().rgb(x / std::max(1.0, bar.width() - 1.0))));
        p.drawLine(bar.left() + x, bar.top(), bar.left() + x, bar.bottom());
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    p.setPen(palette().color(QPalette::WindowText));
    int lastRight = -1000;
    for (const auto& tick : scale_.ticks()) {
        const int x = bar.left() + static_cast<int>(tick.position * (bar.width() - 1));
        p.drawLine(x, bar.bottom(), x, bar.bottom() + 3);
        const QString label = formatValue(tick.value);
        const int w = fm.horizontalAdvance(label);
        const QRect box(x - w / 2, bar.bottom() + 3, w, fm.height());
        if (box.left() <= lastRight + 6) continue;
        p.drawText(box, Qt::AlignCenter, label);
        lastRight = box.right();
    }
}

}  // namespace flipscope::ui
