#pragma once
// BatchNormalization and QBatchNormalization at inference:
// inv = rsqrt(var + eps) * gamma; y = x * inv + (beta - mean * inv), per channel (last axis).
#include "core/model/layer.h"
#include "core/model/layers/batchnorm_fold.h"

namespace flipscope {

class BatchNormLayer : public LayerImpl<BatchNormLayer> {
public:
    BatchNormLayer(const std::string& className, const nlohmann::json& config);
    Shape build(const std::vector<Shape>& inputs) override;
    void prepare() override;
    void onEffectiveChanged() override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;
    const BatchNormConfig& batchNorm() const { return bn_; }

private:
    BatchNormConfig bn_;
    std::vector<float> multiplier_, offset_;
};

}  // namespace flipscope
