#include "ui/bitgrid/bit_grid_widget.h"

#include "ui/bitgrid/bit_grid_painter.h"
#include "ui/bitgrid/bit_tooltip.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace flipscope::ui {

BitGridWidget::BitGridWidget(QWidget* parent) : QAbstractScrollArea(parent) {
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    relayout(kDefaultCellHeight);
}

BitGridMetrics BitGridWidget::metricsFor(double cellHeight, const std::vector<FlippableTensor>& tensors) const {
    QFontMetricsF fm(font());
    BitGridMetrics m;
    m.cellHeight = std::clamp(cellHeight, kMinCellHeight, kMaxCellHeight);
    m.headerHeight = std::ceil(fm.lineSpacing() * 3 + 10);
    int64_t maxParams = 1;
    int maxBits = 1;
    for (const auto& t : tensors) maxParams = std::max(maxParams, t.params), maxBits = std::max(maxBits, t.bits);
    m.gutterWidth = std::ceil(std::max(fm.horizontalAdvance(QString::number(maxParams)), fm.horizontalAdvance("index")) + 16);
    m.valueWidth = std::ceil(fm.horizontalAdvance("-0.0000000") + 16);
    m.margin = 8;
    // Cells share the width the viewport leaves (within limits), whatever the zoom: few bits per
    // parameter should not leave the grid a thin strip.
    const double available = viewport()->width() - 2 * m.margin - m.gutterWidth - m.valueWidth - 4;
    m.cellWidth = std::clamp(std::floor(available / maxBits), 14.0, 64.0);
    return m;
}

void BitGridWidget::relayout(double cellHeight) {
    std::vector<FlippableTensor> tensors = layout_.tensors();
    const BitGridMetrics metrics = metricsFor(cellHeight, tensors);
    layout_ = BitGridLayout(std::move(tensors), metrics);
    updateScrollBars();
    viewport()->update();
}

void BitGridWidget::setTensors(std::vector<FlippableTensor> tensors) {
    layout_ = BitGridLayout(std::move(tensors), BitGridMetrics{});
    selected_.reset();
    hovered_.reset();
    flipped_.clear();
    relayout(kDefaultCellHeight);
    rebuildImages();
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
}

void BitGridWidget::setColouring(const BitColouring* colouring) {
    colouring_ = colouring;
    rebuildImages();
}

void BitGridWidget::setLogScale(bool log) {
    log_ = log;
    rebuildImages();
}

void BitGridWidget::refreshColours() { rebuildImages(); }

void BitGridWidget::rebuildImages() {
    scale_ = colouring_ ? ColourScale::forColouring(*colouring_, log_) : ColourScale();
    images_.rebuild(layout_.tensors(), colouring_, scale_);
    viewport()->update();
}

void BitGridWidget::setWeightReader(WeightReader read, double fullScale) {
    weight_ = std::move(read);
    weightMax_ = fullScale > 0 ? fullScale : 1.0;
    viewport()->update();
}

void BitGridWidget::setFlipped(std::set<BitRef> flipped) {
    flipped_ = std::move(flipped);
    viewport()->update();
}

void BitGridWidget::selectBit(const BitRef& ref, bool visible) {
    if (ref.tensor < 0 || ref.tensor >= layout_.tensorCount()) return;
    const auto& t = layout_.tensors()[ref.tensor];
    if (ref.index < 0 || ref.index >= t.params || ref.bit < 0 || ref.bit >= t.bits) return;
    const bool changed = selected_ != ref;
    selected_ = ref;
    if (visible) ensureVisible(ref);
    viewport()->update();
    if (changed) emit bitSelected(ref);
}

QPointF BitGridWidget::scrollOffset() const {
    return {static_cast<double>(horizontalScrollBar()->value()), static_cast<double>(verticalScrollBar()->value())};
}

void BitGridWidget::updateScrollBars() {
    const QSize vp = viewport()->size();
    auto* v = verticalScrollBar();
    v->setRange(0, std::max(0, static_cast<int>(std::ceil(layout_.contentHeight())) - vp.height()));
    v->setPageStep(std::max(1, vp.height()));
    v->setSingleStep(std::max(20, static_cast<int>(cellHeight())));
    auto* h = horizontalScrollBar();
    h->setRange(0, std::max(0, static_cast<int>(std::ceil(layout_.contentWidth())) - vp.width()));
    h->setPageStep(std::max(1, vp.width()));
    h->setSingleStep(20);
}

void BitGridWidget::setCellHeight(double height, std::optional<QPointF> anchor) {
    height = std::clamp(height, kMinCellHeight, kMaxCellHeight);
    if (height == cellHeight()) return;
    const QPointF a = anchor.value_or(QPointF(0, viewport()->height() / 2.0));
    const double contentY = scrollOffset().y() + a.y();
    // Keep what is under the anchor in place: the same tensor row (or header point).
    const int t = layout_.tensorAt(contentY);
    double newY = contentY;
    double rowFraction = -1, headerOffset = 0;
    if (t >= 0) {
        if (contentY >= layout_.rowsTop(t)) rowFraction = (contentY - layout_.rowsTop(t)) / cellHeight();
        else headerOffset = contentY - layout_.headerRect(t).top();
    }
    relayout(height);
    if (t >= 0) newY = rowFraction >= 0 ? layout_.rowsTop(t) + rowFraction * cellHeight() : layout_.headerRect(t).top() + headerOffset;
    verticalScrollBar()->setValue(static_cast<int>(std::lround(newY - a.y())));
    emit zoomChanged(cellHeight());
}

void BitGridWidget::zoomIn() { setCellHeight(cellHeight() * 1.25); }
void BitGridWidget::zoomOut() { setCellHeight(cellHeight() / 1.25); }
void BitGridWidget::zoomToCells() { setCellHeight(kDefaultCellHeight); }

void BitGridWidget::zoomToFit() {
    int64_t rows = 0;
    for (const auto& t : layout_.tensors()) rows += t.params;
    const BitGridMetrics m = metricsFor(1.0, layout_.tensors());
    const double fixed = layout_.tensorCount() * (m.headerHeight + 2 * m.margin) + m.margin;
    const double available = viewport()->height() - fixed;
    if (rows > 0 && available > 0) setCellHeight(available / rows);
    verticalScrollBar()->setValue(0);
}

void BitGridWidget::scrollToTensor(int tensor) {
    if (tensor < 0 || tensor >= layout_.tensorCount()) return;
    verticalScrollBar()->setValue(static_cast<int>(layout_.headerRect(tensor).top() - layout_.metrics().margin));
}

void BitGridWidget::ensureVisible(const BitRef& ref) {
    const QRectF r = layout_.cellRect(ref);
    const QPointF s = scrollOffset();
    const QSize vp = viewport()->size();
    const double pad = std::max(cellHeight(), 24.0);
    if (r.top() < s.y() + (ref.index == 0 ? layout_.metrics().headerHeight : 0))
        verticalScrollBar()->setValue(static_cast<int>(r.top() - pad - (ref.index == 0 ? layout_.metrics().headerHeight : 0)));
    else if (r.bottom() > s.y() + vp.height())
        verticalScrollBar()->setValue(static_cast<int>(std::ceil(r.bottom() + pad - vp.height())));
    if (r.left() < s.x()) horizontalScrollBar()->setValue(static_cast<int>(r.left() - 8));
    else if (r.right() > s.x() + vp.width()) horizontalScrollBar()->setValue(static_cast<int>(r.right() + 8 - vp.width()));
}

std::optional<BitRef> BitGridWidget::bitAt(const QPoint& pos) const {
    const QPointF c = QPointF(pos) + scrollOffset();
    return layout_.bitAt(c.x(), c.y());
}

QRect BitGridWidget::cellRect(const BitRef& ref) const {
    return layout_.cellRect(ref).translated(-scrollOffset()).toAlignedRect();
}

QString BitGridWidget::toolTipFor(const BitRef& ref) const {
    if (ref.tensor < 0 || ref.tensor >= layout_.tensorCount()) return {};
    std::optional<BitState> state;
    if (describe_) state = describe_(ref);
    return bitToolTip(layout_.tensors()[ref.tensor], ref, state, colouring_);
}

void BitGridWidget::paintEvent(QPaintEvent*) {
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().base());
    if (layout_.tensorCount() == 0) return;
    BitGridView view;
    view.layout = &layout_;
    view.images = &images_;
    view.scroll = scrollOffset();
    view.viewport = viewport()->size();
    view.font = font();
    view.flipped = &flipped_;
    view.selected = selected_;
    view.hovered = hovered_;
    view.describe = describe_;
    view.weight = weight_;
    view.weightMax = weightMax_;
    paintBitGrid(p, view);
}

void BitGridWidget::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    if (metricsFor(cellHeight(), layout_.tensors()).cellWidth != cellWidth()) relayout(cellHeight());
    else updateScrollBars();
}

void BitGridWidget::scrollContentsBy(int, int) { viewport()->update(); }

bool BitGridWidget::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        if (const auto bit = bitAt(help->pos())) QToolTip::showText(help->globalPos(), toolTipFor(*bit), viewport(), cellRect(*bit));
        else QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void BitGridWidget::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ShiftModifier) {
        verticalScrollBar()->setValue(verticalScrollBar()->value() - event->angleDelta().y() - event->angleDelta().x());
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0) setCellHeight(cellHeight() * std::pow(1.25, steps), event->position());
    event->accept();
}

void BitGridWidget::mousePressEvent(QMouseEvent* event) {
    pressPos_ = event->pos();
    panStart_ = QPoint(horizontalScrollBar()->value(), verticalScrollBar()->value());
    panning_ = false;
    if (event->button() == Qt::MiddleButton) {
        panning_ = true;
        viewport()->setCursor(Qt::ClosedHandCursor);
    }
}

void BitGridWidget::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & (Qt::LeftButton | Qt::MiddleButton)) {
        if (!panning_ && (event->pos() - pressPos_).manhattanLength() > 4) {
            panning_ = true;
            viewport()->setCursor(Qt::ClosedHandCursor);
        }
        if (panning_) {
            const QPoint d = event->pos() - pressPos_;
            horizontalScrollBar()->setValue(panStart_.x() - d.x());
            verticalScrollBar()->setValue(panStart_.y() - d.y());
            return;
        }
    }
    const auto bit = bitAt(event->pos());
    if (bit != hovered_) {
        hovered_ = bit;
        viewport()->update();
        if (bit) emit bitHovered(*bit);
    }
}

void BitGridWidget::mouseReleaseEvent(QMouseEvent* event) {
    viewport()->unsetCursor();
    if (!panning_ && event->button() == Qt::LeftButton)
        if (const auto bit = bitAt(event->pos())) selectBit(*bit, false);
    panning_ = false;
}

void BitGridWidget::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    if (const auto bit = bitAt(event->pos())) {
        selectBit(*bit, false);
        emit bitActivated(*bit);
    }
}

void BitGridWidget::leaveEvent(QEvent* event) {
    hovered_.reset();
    viewport()->update();
    QAbstractScrollArea::leaveEvent(event);
}

void BitGridWidget::moveSelection(int dColumn, int64_t dRow) {
    if (layout_.tensorCount() == 0) return;
    BitRef ref = selected_.value_or(BitRef{0, 0, layout_.tensors()[0].bits - 1});
    const auto& t = layout_.tensors()[ref.tensor];
    const int column = std::clamp(layout_.column(ref.tensor, ref.bit) + dColumn, 0, t.bits - 1);
    int64_t row = ref.index + dRow;
    if (row < 0 && ref.tensor > 0) {
        ref.tensor -= 1;
        row = layout_.tensors()[ref.tensor].params - 1;
    } else if (row >= t.params && ref.tensor + 1 < layout_.tensorCount()) {
        ref.tensor += 1;
        row = 0;
    }
    const auto& nt = layout_.tensors()[ref.tensor];
    ref.index = std::clamp<int64_t>(row, 0, nt.params - 1);
    ref.bit = nt.bits - 1 - std::min(column, nt.bits - 1);
    selectBit(ref);
}

void BitGridWidget::keyPressEvent(QKeyEvent* event) {
    const int64_t page = std::max<int64_t>(1, static_cast<int64_t>(viewport()->height() / std::max(1.0, cellHeight())));
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomIn(); break;
    case Qt::Key_Minus: zoomOut(); break;
    case Qt::Key_0: zoomToFit(); break;
    case Qt::Key_1: zoomToCells(); break;
    case Qt::Key_Left: moveSelection(-1, 0); break;
    case Qt::Key_Right: moveSelection(1, 0); break;
    case Qt::Key_Up: moveSelection(0, -1); break;
    case Qt::Key_Down: moveSelection(0, 1); break;
    case Qt::Key_PageUp: moveSelection(0, -page); break;
    case Qt::Key_PageDown: moveSelection(0, page); break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (selected_) emit bitActivated(*selected_);
        break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    event->accept();
}

}  // namespace flipscope::ui
