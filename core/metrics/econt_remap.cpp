#include "core/metrics/econt_remap.h"

#include "core/common/error.h"

#include <string>

namespace flipscope {

namespace {

// remap_8x8 from fastml-science sensor-data-compression/telescope.py: pixel of CALQ cell c.
constexpr std::array<int, kEcontCells> kCellPixels = {
    4,  12, 20, 28, 5,  13, 21, 29, 6,  14, 22, 30, 7,  15, 23, 31,  // cells 0-15: upper-right quadrant
    24, 25, 26, 27, 16, 17, 18, 19, 8,  9,  10, 11, 0,  1,  2,  3,   // cells 16-31: upper-left
    59, 51, 43, 35, 58, 50, 42, 34, 57, 49, 41, 33, 56, 48, 40, 32,  // cells 32-47: lower-left
};

// The inverse; pixels no cell maps to are the masked quadrant.
constexpr std::array<int, kEcontPixels> invert(const std::array<int, kEcontCells>& cellPixels) {
    std::array<int, kEcontPixels> pixelCells{};
    for (int& cell : pixelCells) cell = -1;
    for (int c = 0; c < kEcontCells; ++c) pixelCells[cellPixels[c]] = c;
    return pixelCells;
}

constexpr std::array<int, kEcontPixels> kPixelCells = invert(kCellPixels);

void checkSize(size_t got, size_t expected, const char* what) {
    if (got != expected)
        throw InputError(std::string("ECON-T remap: ") + what + " needs " + std::to_string(expected) +
                         " values, got " + std::to_string(got));
}

}  // namespace

const std::array<int, kEcontCells>& econtCellPixels() { return kCellPixels; }
const std::array<int, kEcontPixels>& econtPixelCells() { return kPixelCells; }

void cellsToImage(std::span<const double> cells, std::span<float> image) {
    checkSize(cells.size(), kEcontCells, "the cell map");
    checkSize(image.size(), kEcontPixels, "the image");
    for (int p = 0; p < kEcontPixels; ++p) image[p] = kPixelCells[p] < 0 ? 0.0f : static_cast<float>(cells[kPixelCells[p]]);
}

void imageToCells(std::span<const float> image, std::span<double> cells) {
    checkSize(image.size(), kEcontPixels, "the image");
    checkSize(cells.size(), kEcontCells, "the cell map");
    for (int c = 0; c < kEcontCells; ++c) cells[c] = image[kCellPixels[c]];
}

std::vector<double> imagesToCells(const float* images, int64_t count) {
    if (count < 0) throw InputError("ECON-T remap: negative image count");
    std::vector<double> cells(static_cast<size_t>(count) * kEcontCells);
    for (int64_t n = 0; n < count; ++n)
        imageToCells(std::span<const float>(images + n * kEcontPixels, kEcontPixels),
                     std::span<double>(cells.data() + n * kEcontCells, kEcontCells));
    return cells;
}

std::vector<double> imagesToCells(const Tensor& images) {
    const Shape& shape = images.shape();
    const bool flat = shape.size() == 2 && shape[1] == kEcontPixels;
    const bool square = (shape.size() == 3 || (shape.size() == 4 && shape[3] == 1)) && shape[1] == 8 && shape[2] == 8;
    if (!flat && !square)
        throw InputError("ECON-T remap: expected images of shape (N, 64), (N, 8, 8) or (N, 8, 8, 1), got " +
                         shapeToString(shape));
    return imagesToCells(images.data(), shape[0]);
}

Tensor cellsToImages(std::span<const double> cells) {
    if (cells.size() % kEcontCells != 0)
        throw InputError("ECON-T remap: " + std::to_string(cells.size()) + " values are not whole 48-cell maps");
    const int64_t count = static_cast<int64_t>(cells.size() / kEcontCells);
    Tensor images({count, 8, 8, 1});
    for (int64_t n = 0; n < count; ++n)
        cellsToImage(cells.subspan(n * kEcontCells, kEcontCells),
                     std::span<float>(images.data() + n * kEcontPixels, kEcontPixels));
    return images;
}

}  // namespace flipscope
