#pragma once
// The ECON-T telescope loss (telescopeMSE2 of fastml-science telescope.py; reference
// econt-and-metrics.md 1.6) on 48-cell maps in CALQ order, with its gradient for the backward pass.
// With f(t, p) = (t - p)^2 * max(t, p):
//   L1 = mean over the 48 cells of f(y_c, p_c)
//   L2 = mean over the 36 2x2 super-cells s of w_s * f(Y_s, P_s)   (Y_s = sum of its 4 cells)
//   L3 = mean over the 3 4x4 super-cells (cells 0-15, 16-31, 32-47) of f(Z, Q)
//   loss = 4 L1 + 2 L2 + L3
// The study evaluates it in float32 inside TensorFlow; here everything is double.
// For 8x8 images map both sides with imageToCells (core/metrics/econt_remap.h) first; the gradient
// w.r.t. the image is then cellsToImage of the cell gradient (the remap only selects pixels).
#include <cstdint>
#include <span>
#include <vector>

namespace flipscope {

// One sample: yTrue and yPred hold 48 values each.
double telescopeLoss(std::span<const double> yTrue, std::span<const double> yPred);
// d telescopeLoss / d yPred, written to gradient (48 values); returns the loss.
double telescopeGradient(std::span<const double> yTrue, std::span<const double> yPred, std::span<double> gradient);

// Rows x 48 row-major matrices: the loss of each row.
std::vector<double> telescopeLossRows(const double* yTrue, const double* yPred, int64_t rows);
// The mean loss over the rows (as Keras reduces it) and its gradient w.r.t. every yPred value
// (rows x 48, i.e. each row's gradient divided by rows).
double telescopeMeanLossAndGradient(const double* yTrue, const double* yPred, int64_t rows, double* gradient);

}  // namespace flipscope
