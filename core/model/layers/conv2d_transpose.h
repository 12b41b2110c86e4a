#pragma once
// Conv2DTranspose / QConv2DTranspose: kernel [kh, kw, filters(out), in]; input pixel i with tap d
// lands at output i*stride + d - padBefore (reference 4.6). No kernel flip.
#include "core/model/activation.h"
#include "core/model/layer.h"
#include "core/model/layers/padding.h"

#include <array>

namespace flipscope {

class Conv2DTransposeLayer : public LayerImpl<Conv2DTransposeLayer> {
public:
    Conv2DTransposeLayer(const std::string& className, const nlohmann::json& config);
    Shape build(const std::vector<Shape>& inputs) override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;
    std::string describe() const override { return activation_.isLinear() ? "" : activation_.describe(); }

    const Activation& activation() const { return activation_; }
    // Transposed convolution plus bias (no activation) of `rows` samples; per output value the
    // products are summed in double and rounded to float32 once.
    void affine(const float* x, int64_t rows, float* out) const;

    int64_t filters() const { return filters_; }
    std::array<int64_t, 2> kernelSize() const { return kernel_; }
    std::array<int64_t, 2> strides() const { return strides_; }
    Window1D rowWindow() const { return rows_; }
    Window1D colWindow() const { return cols_; }

private:
    int64_t filters_ = 0;
    std::array<int64_t, 2> kernel_{}, strides_{1, 1}, outputPadding_{-1, -1};
    std::string padding_ = "valid";
    bool useBias_ = true;
    Activation activation_;
    int64_t inH_ = 0, inW_ = 0, inC_ = 0;
    Window1D rows_, cols_;
};

}  // namespace flipscope
