#include "ui/bitgrid/bit_grid_layout.h"

#include <algorithm>
#include <cmath>

namespace flipscope::ui {

BitGridLayout::BitGridLayout(std::vector<FlippableTensor> tensors, BitGridMetrics metrics)
    : tensors_(std::move(tensors)), metrics_(metrics) {
    double y = metrics_.margin;
    for (const auto& t : tensors_) {
        tops_.push_back(y);
        y += metrics_.headerHeight + t.params * metrics_.cellHeight + metrics_.margin * 2;
        maxBits_ = std::max(maxBits_, t.bits);
    }
    height_ = y;
}

double BitGridLayout::contentWidth() const {
    return cellsLeft() + maxBits_ * metrics_.cellWidth + metrics_.valueWidth + metrics_.margin;
}

QRectF BitGridLayout::headerRect(int tensor) const {
    return {metrics_.margin, tops_[tensor], contentWidth() - 2 * metrics_.margin, metrics_.headerHeight};
}

double BitGridLayout::rowsBottom(int tensor) const {
    return rowsTop(tensor) + tensors_[tensor].params * metrics_.cellHeight;
}

QRectF BitGridLayout::cellRect(const BitRef& ref) const {
    return {cellsLeft() + column(ref.tensor, ref.bit) * metrics_.cellWidth,
            rowsTop(ref.tensor) + ref.index * metrics_.cellHeight, metrics_.cellWidth, metrics_.cellHeight};
}

QRectF BitGridLayout::rowRect(int tensor, int64_t index) const {
    return {metrics_.margin, rowsTop(tensor) + index * metrics_.cellHeight,
            metrics_.gutterWidth + tensors_[tensor].bits * metrics_.cellWidth + metrics_.valueWidth,
            metrics_.cellHeight};
}

int BitGridLayout::tensorAt(double y) const {
    if (tops_.empty() || y < tops_.front()) return -1;
    return static_cast<int>(std::upper_bound(tops_.begin(), tops_.end(), y) - tops_.begin()) - 1;
}

std::optional<BitRef> BitGridLayout::bitAt(double x, double y) const {
    const int t = tensorAt(y);
    if (t < 0 || y < rowsTop(t) || y >= rowsBottom(t)) return std::nullopt;
    const double cx = x - cellsLeft();
    const auto& tensor = tensors_[t];
    if (cx < 0 || cx >= tensor.bits * metrics_.cellWidth) return std::nullopt;
    const int col = std::min(tensor.bits - 1, static_cast<int>(cx / metrics_.cellWidth));
    const int64_t row = std::min<int64_t>(tensor.params - 1, static_cast<int64_t>((y - rowsTop(t)) / metrics_.cellHeight));
    return BitRef{t, row, tensor.bits - 1 - col};
}

std::pair<int64_t, int64_t> BitGridLayout::visibleRows(int tensor, double y0, double y1) const {
    const double top = rowsTop(tensor), h = metrics_.cellHeight;
    const int64_t n = tensors_[tensor].params;
    const int64_t first = std::clamp<int64_t>(static_cast<int64_t>(std::floor((y0 - top) / h)), 0, n);
    const int64_t last = std::clamp<int64_t>(static_cast<int64_t>(std::ceil((y1 - top) / h)), 0, n);
    return {first, std::max(first, last)};
}

}  // namespace flipscope::ui
