#include "ui/bitgrid/bit_grid_images.h"

namespace flipscope::ui {

namespace {

void paintRow(QImage& image, const FlippableTensor& t, int tensor, int64_t index, const BitColouring* colouring,
              const ColourScale& scale, std::vector<double>& values) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(static_cast<int>(index)));
    if (!colouring) {
        for (int c = 0; c < t.bits; ++c) line[c] = ColourMap::noValue();
        return;
    }
    values.resize(static_cast<size_t>(t.bits));
    colouring->parameterValues(tensor, index, values);
    for (int b = 0; b < t.bits; ++b) line[t.bits - 1 - b] = scale.rgb(values[static_cast<size_t>(b)]);
}

}  // namespace

void BitGridImages::rebuild(const std::vector<FlippableTensor>& tensors, const BitColouring* colouring,
                            const ColourScale& scale) {
    images_.clear();
    std::vector<double> values;
    for (size_t t = 0; t < tensors.size(); ++t) {
        const auto& tensor = tensors[t];
        QImage image(tensor.bits, static_cast<int>(tensor.params), QImage::Format_RGB32);
        for (int64_t i = 0; i < tensor.params; ++i)
            paintRow(image, tensor, static_cast<int>(t), i, colouring, scale, values);
        images_.push_back(std::move(image));
    }
}

void BitGridImages::updateParameter(const std::vector<FlippableTensor>& tensors, int tensor, int64_t index,
                                    const BitColouring* colouring, const ColourScale& scale) {
    if (tensor < 0 || tensor >= static_cast<int>(images_.size())) return;
    std::vector<double> values;
    paintRow(images_[tensor], tensors[tensor], tensor, index, colouring, scale, values);
}

}  // namespace flipscope::ui
