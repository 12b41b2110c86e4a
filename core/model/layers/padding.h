#pragma once
// TensorFlow's output sizes and padding for convolutions and pooling
// (reference "qkeras-and-keras-h5.md" 4.6).
#include <cstdint>
#include <string>

namespace flipscope {

struct Window1D {
    int64_t out = 0;        // output length
    int64_t padBefore = 0;  // zeros (or ignored cells) before the first input
};

// Forward convolution/pooling: `padding` is "valid" or "same".
Window1D convWindow(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, const std::string& padding);

// Conv2DTranspose: output length and where input pixel i's tap 0 lands (i*stride - padBefore).
Window1D transposedWindow(int64_t in, int64_t kernel, int64_t stride, const std::string& padding,
                          int64_t outputPadding /* -1 = none */);

}  // namespace flipscope
