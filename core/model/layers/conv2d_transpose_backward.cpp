// Reverse mode of Conv2DTranspose / QConv2DTranspose (see core/model/layer_backward.h). Input
// pixel (ih, iw) with tap (di, dj) feeds output (ih*stride + di - pad, ...) through the tap's
// [filters, in] kernel slice, so with G gathering dLoss/dOutput per (input pixel, tap):
// dX = G K and dK = G^T X, K being the kernel seen as a (taps * filters) x in matrix.
#include "core/model/layer_backward.h"
#include "core/model/layers/conv2d_transpose.h"

#include <Eigen/Core>

namespace flipscope::backward_detail {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<Tensor> conv2dTransposeBackward(const Conv2DTransposeLayer& layer, const Tensor& x, const Tensor& pre,
                                            const Tensor& y, Tensor dY, ParamGrads grads) {
    activationBackward(layer.activation(), pre, y, dY);
    const Shape& in = layer.inputShapes().at(0);
    const int64_t n = x.dim(0), inH = in[0], inW = in[1], inC = in[2], filters = layer.filters();
    const auto [kh, kw] = layer.kernelSize();
    const auto [sh, sw] = layer.strides();
    const Window1D rows = layer.rowWindow(), cols = layer.colWindow();
    const int64_t pixels = n * inH * inW, width = kh * kw * filters;

    RowMatrix G = RowMatrix::Zero(pixels, width);
    for (int64_t s = 0; s < n; ++s)
        for (int64_t ih = 0; ih < inH; ++ih)
            for (int64_t iw = 0; iw < inW; ++iw) {
                float* g = G.data() + ((s * inH + ih) * inW + iw) * width;
                for (int64_t di = 0; di < kh; ++di) {
                    const int64_t oh = ih * sh + di - rows.padBefore;
                    if (oh < 0 || oh >= rows.out) continue;
                    for (int64_t dj = 0; dj < kw; ++dj) {
                        const int64_t ow = iw * sw + dj - cols.padBefore;
                        if (ow < 0 || ow >= cols.out) continue;
                        std::copy_n(dY.data() + ((s * rows.out + oh) * cols.out + ow) * filters, filters,
                                    g + (di * kw + dj) * filters);
                    }
                }
            }
    const Tensor& kernel = layer.parameter("kernel")->effective;
    Eigen::Map<const RowMatrix> K(kernel.data(), width, inC);
    Eigen::Map<const RowMatrix> X(x.data(), pixels, inC);
    Tensor dX(x.shape());
    Eigen::Map<RowMatrix>(dX.data(), pixels, inC).noalias() = G * K;
    const RowMatrix dK = G.transpose() * X;

    std::vector<double> dKernel(dK.data(), dK.data() + dK.size());
    std::vector<double> dBias(filters, 0.0);
    for (int64_t i = 0; i < dY.size(); ++i) dBias[i % filters] += dY[i];
    kernelBiasBackward(layer, nullptr, filters, dKernel, dBias, grads);
    return {std::move(dX)};
}

}  // namespace flipscope::backward_detail
