#pragma once
// The ECON-T 8x8 image <-> 48 trigger-cell (CALQ order) maps (reference econt-and-metrics.md 1.1):
// the models see a module as an 8x8x1 image whose lower-right 4x4 quadrant is always 0; EMD and
// the telescope loss work on the 48 cells.
#include "core/model/tensor.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace flipscope {

inline constexpr int kEcontCells = 48;
inline constexpr int kEcontPixels = 64;  // 8 x 8, pixel p = 8 * row + col

// Pixel of each CALQ cell (remap_8x8 in fastml-science telescope.py, mapToCalQ's inverse map).
const std::array<int, kEcontCells>& econtCellPixels();
// CALQ cell shown at each pixel, or -1 for the masked lower-right quadrant (`arrange` with arrMask).
const std::array<int, kEcontPixels>& econtPixelCells();

// One sample. cellsToImage zeroes the masked pixels; imageToCells ignores them.
void cellsToImage(std::span<const double> cells, std::span<float> image);
void imageToCells(std::span<const float> image, std::span<double> cells);

// A batch: N x 64 floats (row-major) -> N x 48 doubles.
std::vector<double> imagesToCells(const float* images, int64_t count);
// A tensor of shape (N, 64), (N, 8, 8) or (N, 8, 8, 1) -> N x 48 doubles; other shapes throw
// InputError.
std::vector<double> imagesToCells(const Tensor& images);
// N x 48 doubles -> a (N, 8, 8, 1) tensor, ready for the model's input.
Tensor cellsToImages(std::span<const double> cells);

}  // namespace flipscope
