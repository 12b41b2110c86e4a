#pragma once
// The bit grid: every bit of the model's quantized tensors as one cell, rows = parameters (flat
// Keras row-major index), columns = bits MSB (sign) .. LSB, tensors stacked with a header each.
// Colours come from a BitColouring through a ColourScale and are cached per tensor as images
// (one pixel per bit); painting scales only the visible part.
// Mouse: wheel zooms at the cursor (Shift+wheel scrolls), drag pans, click selects, double-click
// activates (flips). Keys: arrows move the selection, +/- zoom, 0 fits everything, Enter flips.
#include "core/faults/bit_colouring.h"
#include "core/faults/bit_flip.h"
#include "ui/bitgrid/bit_grid_images.h"
#include "ui/bitgrid/bit_grid_layout.h"
#include "ui/bitgrid/colour_scale.h"

#include <QAbstractScrollArea>

#include <functional>
#include <optional>
#include <set>

namespace flipscope::ui {

class BitGridWidget : public QAbstractScrollArea {
    Q_OBJECT
public:
    using Describer = std::function<std::optional<BitState>(const BitRef&)>;
    using WeightReader = std::function<std::optional<float>(int tensor, int64_t index)>;

    explicit BitGridWidget(QWidget* parent = nullptr);

    // --- content ---
    void setTensors(std::vector<FlippableTensor> tensors);
    const BitGridLayout& gridLayout() const { return layout_; }
    // The colouring (not owned; null = grey). Rebuilds the colour cache.
    void setColouring(const BitColouring* colouring);
    const BitColouring* colouring() const { return colouring_; }
    void setLogScale(bool log);
    bool logScale() const { return log_; }
    const ColourScale& colourScale() const { return scale_; }
    // Call after weights changed: recolours (the colouring's range may have moved).
    void refreshColours();
    void setDescriber(Describer describe) { describe_ = std::move(describe); viewport()->update(); }
    void setWeightReader(WeightReader read, double fullScale);
    void setFlipped(std::set<BitRef> flipped);
    const std::set<BitRef>& flipped() const { return flipped_; }

    // --- selection ---
    std::optional<BitRef> selectedBit() const { return selected_; }
    void selectBit(const BitRef& ref, bool ensureVisible = true);
    std::optional<BitRef> hoveredBit() const { return hovered_; }

    // --- view ---
    double cellHeight() const { return layout_.metrics().cellHeight; }
    double cellWidth() const { return layout_.metrics().cellWidth; }
    void setCellHeight(double height, std::optional<QPointF> anchor = std::nullopt);
    void zoomIn();
    void zoomOut();
    void zoomToFit();     // every tensor in view (cells may become sub-pixel)
    void zoomToCells();   // the default: bits readable as cells
    void scrollToTensor(int tensor);
    void ensureVisible(const BitRef& ref);

    // --- geometry, in viewport coordinates (for tests and tooltips) ---
    std::optional<BitRef> bitAt(const QPoint& viewportPos) const;
    QRect cellRect(const BitRef& ref) const;
    QString toolTipFor(const BitRef& ref) const;

    static constexpr double kMinCellHeight = 0.002;
    static constexpr double kMaxCellHeight = 48.0;
    static constexpr double kDefaultCellHeight = 18.0;

signals:
    void bitHovered(const flipscope::BitRef& ref);
    void bitSelected(const flipscope::BitRef& ref);
    void bitActivated(const flipscope::BitRef& ref);  // double-click or Enter
    void zoomChanged(double cellHeight);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    BitGridMetrics metricsFor(double cellHeight, const std::vector<FlippableTensor>& tensors) const;
    void relayout(double cellHeight);
    void updateScrollBars();
    void rebuildImages();
    QPointF scrollOffset() const;
    void moveSelection(int dColumn, int64_t dRow);

    BitGridLayout layout_;
    BitGridImages images_;
    const BitColouring* colouring_ = nullptr;
    ColourScale scale_;
    bool log_ = false;
    Describer describe_;
    WeightReader weight_;
    double weightMax_ = 1.0;
    std::set<BitRef> flipped_;
    std::optional<BitRef> selected_;
    std::optional<BitRef> hovered_;
    QPoint pressPos_;
    QPoint panStart_;
    bool panning_ = false;
};

}  // namespace flipscope::ui
