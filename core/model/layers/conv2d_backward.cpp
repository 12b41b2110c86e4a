// Reverse mode of Conv2D / QConv2D / FQConv2D / QConv2DBatchnorm (see core/model/layer_backward.h),
// as matrix products over the unfolded input patches (im2col).
#include "core/model/layer_backward.h"
#include "core/model/layers/conv2d.h"

#include <Eigen/Core>

namespace flipscope::backward_detail {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace {

// Visits every (patch row, patch column, input offset) of the unfolded input, skipping padding.
template <class F>
void forEachPatchEntry(const Conv2DLayer& layer, int64_t samples, F&& visit) {
    const Shape& in = layer.inputShapes().at(0);
    const int64_t inH = in[0], inW = in[1], inC = in[2];
    const auto [kh, kw] = layer.kernelSize();
    const auto [sh, sw] = layer.strides();
    const auto [dh, dw] = layer.dilation();
    const Window1D rows = layer.rowWindow(), cols = layer.colWindow();
    for (int64_t s = 0; s < samples; ++s)
        for (int64_t oh = 0; oh < rows.out; ++oh)
            for (int64_t ow = 0; ow < cols.out; ++ow) {
                const int64_t patch = (s * rows.out + oh) * cols.out + ow;
                for (int64_t di = 0; di < kh; ++di) {
                    const int64_t ih = oh * sh + di * dh - rows.padBefore;
                    if (ih < 0 || ih >= inH) continue;
                    for (int64_t dj = 0; dj < kw; ++dj) {
                        const int64_t iw = ow * sw + dj * dw - cols.padBefore;
                        if (iw < 0 || iw >= inW) continue;
                        visit(patch, (di * kw + dj) * inC, ((s * inH + ih) * inW + iw) * inC, inC);
                    }
                }
            }
}

}  // namespace

std::vector<Tensor> conv2dBackward(const Conv2DLayer& layer, const Tensor& x, const Tensor& pre, const Tensor& y,
                                   Tensor dY, ParamGrads grads) {
    activationBackward(layer.activation(), pre, y, dY);
    const int64_t n = x.dim(0), filters = layer.filters();
    const Tensor& kernel = layer.parameter("kernel")->effective;
    const int64_t patchSize = kernel.size() / filters;  // kh * kw * inC
    const int64_t patches = dY.size() / filters;        // n * outH * outW

    RowMatrix P = RowMatrix::Zero(patches, patchSize);
    forEachPatchEntry(layer, n, [&](int64_t patch, int64_t col, int64_t at, int64_t count) {
        std::copy_n(x.data() + at, count, P.data() + patch * patchSize + col);
    });
    Eigen::Map<const RowMatrix> dZ(dY.data(), patches, filters);
    Eigen::Map<const RowMatrix> K(kernel.data(), patchSize, filters);
    const RowMatrix dK = P.transpose() * dZ;
    const RowMatrix dP = dZ * K.transpose();

    Tensor dX(x.shape());
    forEachPatchEntry(layer, n, [&](int64_t patch, int64_t col, int64_t at, int64_t count) {
        const float* src = dP.data() + patch * patchSize + col;
        float* dst = dX.data() + at;
        for (int64_t i = 0; i < count; ++i) dst[i] += src[i];
    });
    std::vector<double> dKernel(dK.data(), dK.data() + dK.size());
    std::vector<double> dBias(filters, 0.0);
    for (int64_t p = 0; p < patches; ++p)
        for (int64_t f = 0; f < filters; ++f) dBias[f] += dZ(p, f);
    kernelBiasBackward(layer, layer.foldedBatchNorm(), filters, dKernel, dBias, grads);
    return {std::move(dX)};
}

}  // namespace flipscope::backward_detail
