#pragma once
// Where everything of the bit grid sits, in content pixels (before scrolling): tensors stacked
// top to bottom, each a header band then one row per parameter; columns are the bits, MSB
// (column 0, the sign bit of signed codes) to LSB. Left of the cells a gutter for row indices,
// right of them a column for the weight value. Cell sizes may be fractional (zoomed out).
#include "core/faults/flippable_tensors.h"

#include <QRectF>

#include <optional>
#include <vector>

namespace flipscope::ui {

struct BitGridMetrics {
    double cellWidth = 28.0;
    double cellHeight = 16.0;
    double headerHeight = 56.0;
    double gutterWidth = 56.0;  // row index labels
    double valueWidth = 84.0;   // weight values, right of the cells
    double margin = 8.0;        // around everything and between tensors
};

class BitGridLayout {
public:
    BitGridLayout() = default;
    BitGridLayout(std::vector<FlippableTensor> tensors, BitGridMetrics metrics);

    const std::vector<FlippableTensor>& tensors() const { return tensors_; }
    const BitGridMetrics& metrics() const { return metrics_; }
    int tensorCount() const { return static_cast<int>(tensors_.size()); }

    double contentHeight() const { return height_; }
    double contentWidth() const;
    double cellsLeft() const { return metrics_.margin + metrics_.gutterWidth; }

    // The header band of a tensor, and the top of its first row.
    QRectF headerRect(int tensor) const;
    double rowsTop(int tensor) const { return tops_[tensor] + metrics_.headerHeight; }
    double rowsBottom(int tensor) const;
    // A tensor's grid column of bit `bit` (0 = LSB): column 0 is the MSB.
    int column(int tensor, int bit) const { return tensors_[tensor].bits - 1 - bit; }
    QRectF cellRect(const BitRef& ref) const;
    QRectF rowRect(int tensor, int64_t index) const;  // gutter to value column

    // The bit under a content point, if any (headers, gutters and gaps have none).
    std::optional<BitRef> bitAt(double x, double y) const;
    // The tensor whose header or rows span y (or the nearest one before y); -1 when none.
    int tensorAt(double y) const;
    // Rows of `tensor` intersecting [y0, y1): first and one past the last.
    std::pair<int64_t, int64_t> visibleRows(int tensor, double y0, double y1) const;

private:
    std::vector<FlippableTensor> tensors_;
    BitGridMetrics metrics_;
    std::vector<double> tops_;  // header top per tensor
    double height_ = 0.0;
    int maxBits_ = 0;
};

}  // namespace flipscope::ui
