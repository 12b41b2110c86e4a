// Reverse mode of the pooling layers (see core/model/layer_backward.h). Max pooling sends the
// gradient to the first maximum of each window in scan order (the one forward() picks); average
// pooling spreads it over the window's real cells.
#include "core/model/layer_backward.h"
#include "core/model/layers/pooling.h"

#include <limits>

namespace flipscope::backward_detail {

std::vector<Tensor> pooling2dBackward(const Pooling2DLayer& layer, const Tensor& x, const Tensor& dY) {
    const Shape& in = layer.inputShapes().at(0);
    const int64_t n = x.dim(0), inH = in[0], inW = in[1], channels = in[2];
    const auto [ph, pw] = layer.poolSize();
    const auto [sh, sw] = layer.strides();
    const Window1D rows = layer.rowWindow(), cols = layer.colWindow();
    Tensor dX(x.shape());
    std::vector<int64_t> cells;
    for (int64_t s = 0; s < n; ++s)
        for (int64_t oh = 0; oh < rows.out; ++oh)
            for (int64_t ow = 0; ow < cols.out; ++ow)
                for (int64_t c = 0; c < channels; ++c) {
                    cells.clear();
                    for (int64_t di = 0; di < ph; ++di) {
                        const int64_t ih = oh * sh + di - rows.padBefore;
                        if (ih < 0 || ih >= inH) continue;
                        for (int64_t dj = 0; dj < pw; ++dj) {
                            const int64_t iw = ow * sw + dj - cols.padBefore;
                            if (iw >= 0 && iw < inW) cells.push_back(((s * inH + ih) * inW + iw) * channels + c);
                        }
                    }
                    const float g = dY[((s * rows.out + oh) * cols.out + ow) * channels + c];
                    if (layer.isMax()) {
                        int64_t best = cells.front();
                        for (int64_t i : cells)
                            if (x[i] > x[best]) best = i;
                        dX[best] += g;
                    } else {
                        for (int64_t i : cells) dX[i] += g / static_cast<float>(cells.size());
                    }
                }
    return {std::move(dX)};
}

std::vector<Tensor> globalPooling2dBackward(const GlobalPooling2DLayer& layer, const Tensor& x, const Tensor& dY) {
    const Shape& in = layer.inputShapes().at(0);
    const int64_t n = x.dim(0), cells = in[0] * in[1], channels = in[2];
    Tensor dX(x.shape());
    for (int64_t s = 0; s < n; ++s)
        for (int64_t c = 0; c < channels; ++c) {
            const float g = dY[s * channels + c];
            const float* xs = x.data() + s * cells * channels + c;
            if (layer.isMax()) {
                int64_t best = 0;
                for (int64_t p = 1; p < cells; ++p)
                    if (xs[p * channels] > xs[best * channels]) best = p;
                dX[(s * cells + best) * channels + c] += g;
            } else {
                for (int64_t p = 0; p < cells; ++p) dX[(s * cells + p) * channels + c] += g / static_cast<float>(cells);
            }
        }
    return {std::move(dX)};
}

}  // namespace flipscope::backward_detail
