#pragma once
// Dense, QDense, FKeras's FQDense and QDenseBatchnorm: y = act(x . W + b) on the last axis.
#include "core/model/activation.h"
#include "core/model/layer.h"
#include "core/model/layers/batchnorm_fold.h"

namespace flipscope {

class DenseLayer : public LayerImpl<DenseLayer> {
public:
    DenseLayer(const std::string& className, const nlohmann::json& config);
    Shape build(const std::vector<Shape>& inputs) override;
    void prepare() override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;
    std::string describe() const override { return activation_.isLinear() ? "" : activation_.describe(); }

    int64_t units() const { return units_; }
    int64_t inFeatures() const { return in_; }
    bool useBias() const { return useBias_; }
    const Activation& activation() const { return activation_; }
    // x . W (+ b) before the activation, for `rows` rows of `in` features. The reference
    // arithmetic: products summed in double, in input order, rounded to float32 once.
    void affine(const float* x, int64_t rows, float* out) const;
    // One output unit of affine() for `rows` rows, with exactly its arithmetic (same products,
    // same order), so a fast engine can recompute the unit a changed weight feeds.
    void affineUnit(const float* x, int64_t rows, int64_t unit, float* out) const;
    // QDenseBatchnorm: the batch norm folded into kernel and bias (null for the other classes).
    const BatchNormConfig* foldedBatchNorm() const { return foldsBatchNorm_ ? &bn_ : nullptr; }

private:
    int64_t units_ = 0;
    int64_t in_ = 0;
    bool useBias_ = true;
    bool foldsBatchNorm_ = false;
    BatchNormConfig bn_;
    Activation activation_;
};

}  // namespace flipscope
