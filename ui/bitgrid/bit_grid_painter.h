#pragma once
// Paints the visible part of the bit grid: tensor headers, row indices, the cached bit colours
// (scaled from BitGridImages), bit digits and weight values when they fit, flipped bits, the
// selection and the hovered bit. Everything outside the viewport is skipped.
#include "core/faults/bit_flip.h"
#include "ui/bitgrid/bit_grid_images.h"
#include "ui/bitgrid/bit_grid_layout.h"

#include <QFont>
#include <QPointF>
#include <QSizeF>

#include <functional>
#include <optional>
#include <set>

class QPainter;

namespace flipscope::ui {

struct BitGridView {
    const BitGridLayout* layout = nullptr;
    const BitGridImages* images = nullptr;
    QPointF scroll;  // content point at the viewport's top-left
    QSizeF viewport;
    QFont font;
    const std::set<BitRef>* flipped = nullptr;
    std::optional<BitRef> selected;
    std::optional<BitRef> hovered;
    // Optional: the state of a bit, for digits and weight values (null: colours only).
    std::function<std::optional<BitState>(const BitRef&)> describe;
    // Optional: the weight of a parameter, for the value bars when text does not fit.
    std::function<std::optional<float>(int tensor, int64_t index)> weight;
    double weightMax = 1.0;  // the bars' full scale
};

void paintBitGrid(QPainter& painter, const BitGridView& view);

}  // namespace flipscope::ui
