#pragma once
// Conv2D, QConv2D, FKeras's FQConv2D and QConv2DBatchnorm (NHWC, cross-correlation, TF padding).
#include "core/model/activation.h"
#include "core/model/layer.h"
#include "core/model/layers/batchnorm_fold.h"
#include "core/model/layers/padding.h"

#include <array>

namespace flipscope {

class Conv2DLayer : public LayerImpl<Conv2DLayer> {
public:
    Conv2DLayer(const std::string& className, const nlohmann::json& config);
    Shape build(const std::vector<Shape>& inputs) override;
    void prepare() override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;
    std::string describe() const override { return activation_.isLinear() ? "" : activation_.describe(); }

    const Activation& activation() const { return activation_; }
    // Convolution plus bias (no activation) of `rows` samples, reference arithmetic: products
    // summed in double over (kernel row, kernel col, input channel), rounded to float32 once.
    void affine(const float* x, int64_t rows, float* out) const;
    // One output channel of affine() (rows x output positions), with exactly its arithmetic.
    void affineChannel(const float* x, int64_t rows, int64_t channel, float* out) const;

    int64_t filters() const { return filters_; }
    std::array<int64_t, 2> kernelSize() const { return kernel_; }
    std::array<int64_t, 2> strides() const { return strides_; }
    Window1D rowWindow() const { return rows_; }
    Window1D colWindow() const { return cols_; }
    std::array<int64_t, 2> dilation() const { return dilation_; }
    // QConv2DBatchnorm: the batch norm folded into kernel and bias (null for the other classes).
    const BatchNormConfig* foldedBatchNorm() const { return foldsBatchNorm_ ? &bn_ : nullptr; }

private:
    int64_t filters_ = 0;
    std::array<int64_t, 2> kernel_{}, strides_{1, 1}, dilation_{1, 1};
    std::string padding_ = "valid";
    bool useBias_ = true;
    bool foldsBatchNorm_ = false;
    BatchNormConfig bn_;
    Activation activation_;
    int64_t inH_ = 0, inW_ = 0, inC_ = 0;
    Window1D rows_, cols_;
};

}  // namespace flipscope
