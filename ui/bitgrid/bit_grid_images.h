#pragma once
// The bit grid's cache: one image per tensor with one pixel per bit (x = column, MSB first;
// y = parameter), coloured by the current colouring and scale. Painting scales the visible part
// of these images; they are rebuilt only when the colouring, the scale or the weights change.
#include "core/faults/bit_colouring.h"
#include "ui/bitgrid/colour_scale.h"

#include <QImage>

#include <vector>

namespace flipscope::ui {

class BitGridImages {
public:
    // Colours every bit of every tensor.
    void rebuild(const std::vector<FlippableTensor>& tensors, const BitColouring* colouring, const ColourScale& scale);
    // Recolours the bits of one parameter (after its weight changed, the range unchanged).
    void updateParameter(const std::vector<FlippableTensor>& tensors, int tensor, int64_t index,
                         const BitColouring* colouring, const ColourScale& scale);
    const QImage& image(int tensor) const { return images_[tensor]; }
    QRgb colourOf(const BitRef& bit, int bits) const { return images_[bit.tensor].pixel(bits - 1 - bit.bit, bit.index); }
    bool empty() const { return images_.empty(); }
    void clear() { images_.clear(); }

private:
    std::vector<QImage> images_;
};

}  // namespace flipscope::ui
