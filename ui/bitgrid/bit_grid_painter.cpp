#include "ui/bitgrid/bit_grid_painter.h"

#include "ui/bitgrid/colour_scale.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace flipscope::ui {

namespace {

const QColor kFlipColour(230, 25, 75);     // flipped bits: a red that stands out on viridis
const QColor kHeaderBackground(236, 239, 243);
const QColor kGutterText(96, 104, 112);

// Row-label step: 1, 2, 5, 10, 20, 50, ... rows so that labels do not overlap.
int64_t labelStep(double cellHeight, double textHeight) {
    const double needed = textHeight * 1.15;
    for (int64_t scale = 1;; scale *= 10)
        for (int64_t m : {1, 2, 5})
            if (m * scale * cellHeight >= needed) return m * scale;
}

QString bitLabel(const FlippableTensor& t, int column) {
    if (column == 0 && t.isSigned) return "S";
    return QString::number(t.bits - 1 - column);
}

void paintHeader(QPainter& p, const BitGridView& v, int tensor) {
    const auto& L = *v.layout;
    const auto& t = L.tensors()[tensor];
    const QRectF r = L.headerRect(tensor);
    p.fillRect(r, kHeaderBackground);
    p.setPen(QColor(200, 205, 212));
    p.drawLine(r.bottomLeft(), r.bottomRight());
    QFontMetricsF fm(v.font);
    const double line = fm.lineSpacing();
    const double x = r.left() + 6;
    QFont bold = v.font;
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(QColor(20, 24, 28));
    const double textWidth = r.width() - 12;
    const QString title = QString::fromStdString(t.layerPath) + "  ·  " + QString::fromStdString(t.tensor) + " " +
                          QString::fromStdString(shapeToString(t.shape));
    p.drawText(QRectF(x, r.top() + 3, textWidth, line), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(bold).elidedText(title, Qt::ElideMiddle, textWidth));
    p.setFont(v.font);
    p.setPen(QColor(70, 76, 84));
    const QString detail = QString::fromStdString(t.quantizer) + "  ·  " + QString::number(t.params) + " × " +
                           QString::number(t.bits) + " bits";
    p.drawText(QRectF(x, r.top() + 3 + line, textWidth, line), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(detail, Qt::ElideRight, textWidth));
    // Column labels above the cells: S (sign) / bit numbers, MSB left.
    const double cw = L.metrics().cellWidth;
    const double labelTop = r.bottom() - line - 2;
    p.setPen(kGutterText);
    if (cw >= fm.horizontalAdvance("00")) {
        for (int c = 0; c < t.bits; ++c)
            p.drawText(QRectF(L.cellsLeft() + c * cw, labelTop, cw, line), Qt::AlignCenter, bitLabel(t, c));
    } else {
        p.drawText(QRectF(L.cellsLeft(), labelTop, t.bits * cw + 200, line), Qt::AlignLeft | Qt::AlignVCenter,
                   "MSB → LSB");
    }
    p.drawText(QRectF(r.left() + 2, labelTop, L.metrics().gutterWidth - 8, line), Qt::AlignRight | Qt::AlignVCenter,
               "index");
    if (L.metrics().valueWidth > 0)
        p.drawText(QRectF(L.cellsLeft() + t.bits * cw + 6, labelTop, L.metrics().valueWidth - 6, line),
                   Qt::AlignLeft | Qt::AlignVCenter, "weight");
}

void paintRows(QPainter& p, const BitGridView& v, int tensor, int64_t first, int64_t last) {
    const auto& L = *v.layout;
    const auto& t = L.tensors()[tensor];
    const double cw = L.metrics().cellWidth, ch = L.metrics().cellHeight;
    const double top = L.rowsTop(tensor);
    const double left = L.cellsLeft();
    // The colours: one scaled blit of the visible image rows.
    const QRectF target(left, top + first * ch, t.bits * cw, (last - first) * ch);
    const QRectF source(0, first, t.bits, last - first);
    p.drawImage(target, v.images->image(tensor), source);

    QFontMetricsF fm(v.font);
    const double textHeight = fm.height();
    // Cell borders when cells are large enough to read as cells.
    if (ch >= 6 && cw >= 6) {
        p.setPen(QPen(QColor(255, 255, 255, 150), 1));
        for (int c = 1; c < t.bits; ++c) p.drawLine(QPointF(left + c * cw, target.top()), QPointF(left + c * cw, target.bottom()));
        for (int64_t r = first; r <= last; ++r) p.drawLine(QPointF(left, top + r * ch), QPointF(left + t.bits * cw, top + r * ch));
    }
    // Row indices in the gutter.
    p.setFont(v.font);
    p.setPen(kGutterText);
    const int64_t step = labelStep(ch, textHeight);
    const double gutterRight = left - 6;
    for (int64_t r = (first + step - 1) / step * step; r < last; r += step) {
        const double y = top + r * ch;
        const double h = std::max(ch, textHeight);
        const QRectF box(L.metrics().margin, ch >= textHeight ? y : y - textHeight / 2, gutterRight - L.metrics().margin, h);
        p.drawText(box, Qt::AlignRight | Qt::AlignVCenter, QString::number(r));
        if (ch < textHeight) p.drawLine(QPointF(gutterRight + 1, y), QPointF(left - 1, y));
    }
    // Digits in the cells and the weight values beside them, when text fits.
    const bool text = ch >= textHeight * 0.95;
    const double valueLeft = left + t.bits * cw + 6;
    const double valueWidth = L.metrics().valueWidth - 8;
    if (text && v.describe) {
        const bool digits = cw >= fm.horizontalAdvance("0") + 4;
        for (int64_t r = first; r < last; ++r) {
            const auto state = v.describe({tensor, r, 0});
            if (!state) continue;
            const double y = top + r * ch;
            if (digits)
                for (int c = 0; c < t.bits; ++c) {
                    const QRgb bg = v.images->image(tensor).pixel(c, static_cast<int>(r));
                    p.setPen(contrastingText(bg));
                    p.drawText(QRectF(left + c * cw, y, cw, ch), Qt::AlignCenter, QString(QChar(state->word[c])));
                }
            if (valueWidth > 0) {
                p.setPen(state->value < 0 ? QColor(40, 80, 170) : QColor(30, 34, 38));
                p.drawText(QRectF(valueLeft, y, valueWidth, ch), Qt::AlignRight | Qt::AlignVCenter,
                           formatValue(state->value));
            }
        }
    } else if (v.weight && ch >= 2 && valueWidth > 0) {
        // Signed bars around a centre line: the weights at a glance when zoomed out.
        const double mid = valueLeft + valueWidth / 2;
        p.setPen(Qt::NoPen);
        for (int64_t r = first; r < last; ++r) {
            const auto w = v.weight(tensor, r);
            if (!w) continue;
            const double len = std::clamp(static_cast<double>(*w) / v.weightMax, -1.0, 1.0) * valueWidth / 2;
            p.setBrush(*w < 0 ? QColor(70, 110, 200) : QColor(90, 96, 104));
            p.drawRect(QRectF(len < 0 ? mid + len : mid, top + r * ch + ch * 0.15, std::fabs(len), ch * 0.7));
        }
        p.setPen(QColor(180, 184, 190));
        p.drawLine(QPointF(mid, top + first * ch), QPointF(mid, top + last * ch));
    }
}

// A cell outline that stays visible however small the cell is.
QRectF markRect(const BitGridLayout& L, const BitRef& ref) {
    QRectF r = L.cellRect(ref);
    if (r.height() < 5) r.adjust(0, -(5 - r.height()) / 2, 0, (5 - r.height()) / 2);
    return r;
}

void paintMarks(QPainter& p, const BitGridView& v, double y0, double y1) {
    const auto& L = *v.layout;
    p.setBrush(Qt::NoBrush);
    if (v.flipped)
        for (const BitRef& ref : *v.flipped) {
            if (!ref.valid() || ref.tensor >= L.tensorCount()) continue;
            QRectF r = markRect(L, ref);
            if (r.bottom() < y0 || r.top() > y1) continue;
            p.setPen(QPen(kFlipColour, 2.5));
            p.drawRect(r.adjusted(1.25, 1.25, -1.25, -1.25));
            if (r.height() >= 10 && r.width() >= 10) {  // a cross: "this bit was flipped"
                p.setPen(QPen(kFlipColour, 1.5));
                const QRectF c = r.adjusted(r.width() * 0.3, r.height() * 0.3, -r.width() * 0.3, -r.height() * 0.3);
                p.drawLine(c.topLeft(), c.bottomRight());
                p.drawLine(c.topRight(), c.bottomLeft());
            }
            // A tab in the gutter, so a flip is found even when zoomed far out.
            p.fillRect(QRectF(L.cellsLeft() - 5, r.center().y() - 2.5, 4, 5), kFlipColour);
        }
    if (v.hovered && (!v.selected || *v.hovered != *v.selected)) {
        const QRectF r = markRect(L, *v.hovered);
        p.setPen(QPen(QColor(255, 255, 255, 220), 1.5));
        p.drawRect(r.adjusted(0.75, 0.75, -0.75, -0.75));
    }
    if (v.selected && v.selected->valid() && v.selected->tensor < L.tensorCount()) {
        const QRectF r = markRect(L, *v.selected);
        p.setPen(QPen(Qt::black, 3));
        p.drawRect(r.adjusted(-1.5, -1.5, 1.5, 1.5));
        p.setPen(QPen(Qt::white, 1.5));
        p.drawRect(r.adjusted(0.75, 0.75, -0.75, -0.75));
    }
}

}  // namespace

void paintBitGrid(QPainter& p, const BitGridView& v) {
    const auto& L = *v.layout;
    const double y0 = v.scroll.y(), y1 = v.scroll.y() + v.viewport.height();
    p.save();
    p.translate(-v.scroll);
    for (int t = std::max(0, L.tensorAt(y0)); t < L.tensorCount(); ++t) {
        const QRectF header = L.headerRect(t);
        if (header.top() > y1) break;
        if (header.bottom() >= y0) paintHeader(p, v, t);
        const auto [first, last] = L.visibleRows(t, y0, y1);
        if (last > first) paintRows(p, v, t, first, last);
    }
    paintMarks(p, v, y0, y1);
    p.restore();
}

}  // namespace flipscope::ui
