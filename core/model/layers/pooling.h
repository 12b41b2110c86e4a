#pragma once
// MaxPooling2D, AveragePooling2D (TF 'same': max ignores padding, average divides by the real
// cells only), GlobalAveragePooling2D and GlobalMaxPooling2D.
#include "core/model/layer.h"
#include "core/model/layers/padding.h"

#include <array>

namespace flipscope {

class Pooling2DLayer : public LayerImpl<Pooling2DLayer> {
public:
    Pooling2DLayer(const std::string& className, const nlohmann::json& config);
    Shape build(const std::vector<Shape>& inputs) override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;

    bool isMax() const { return max_; }
    std::array<int64_t, 2> poolSize() const { return pool_; }
    std::array<int64_t, 2> strides() const { return strides_; }
    Window1D rowWindow() const { return rows_; }
    Window1D colWindow() const { return cols_; }

private:
    bool max_ = true;
    std::array<int64_t, 2> pool_{2, 2}, strides_{2, 2};
    std::string padding_ = "valid";
    int64_t inH_ = 0, inW_ = 0, channels_ = 0;
    Window1D rows_, cols_;
};

class GlobalPooling2DLayer : public LayerImpl<GlobalPooling2DLayer> {
public:
    GlobalPooling2DLayer(const std::string& className, const nlohmann::json& config);
    Shape build(const std::vector<Shape>& inputs) override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;

    bool isMax() const { return max_; }

private:
    bool max_ = false;
    bool keepDims_ = false;
    int64_t cells_ = 0, channels_ = 0;
};

}  // namespace flipscope
