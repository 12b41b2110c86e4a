#include "core/model/layers/padding.h"

#include "core/common/error.h"

#include <algorithm>

namespace flipscope {

Window1D convWindow(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, const std::string& padding) {
    const int64_t dk = (kernel - 1) * dilation + 1;
    Window1D w;
    if (padding == "valid") {
        w.out = in >= dk ? (in - dk) / stride + 1 : 0;
    } else if (padding == "same") {
        w.out = (in + stride - 1) / stride;
        const int64_t total = std::max<int64_t>((w.out - 1) * stride + dk - in, 0);
        w.padBefore = total / 2;  // TF puts the odd extra pad at the end
    } else {
        throw UnsupportedError("padding '" + padding + "' (supported: valid, same)");
    }
    return w;
}

Window1D transposedWindow(int64_t in, int64_t kernel, int64_t stride, const std::string& padding,
                          int64_t outputPadding) {
    Window1D w;
    if (outputPadding < 0) {
        if (padding == "valid") w.out = in * stride + std::max<int64_t>(kernel - stride, 0);
        else if (padding == "same") w.out = in * stride;
        else throw UnsupportedError("padding '" + padding + "' (supported: valid, same)");
    } else {
        const int64_t pad = padding == "same" ? kernel / 2 : 0;
        w.out = (in - 1) * stride + kernel - 2 * pad + outputPadding;
    }
    // TF computes the transpose as the gradient of a forward conv from `out` back to `in`.
    w.padBefore = std::max<int64_t>((in - 1) * stride + kernel - w.out, 0) / 2;
    return w;
}

}  // namespace flipscope
