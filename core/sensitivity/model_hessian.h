#pragma once
// The Hessian of a model's mean loss over a dataset as a HessianOperator on a chosen subset of
// the model's parameters (indices into modelParameters(), core/model/backward.h), vectors
// flattened in that order. Products come from core/train/gradients.h: central differences of
// exact (straight-through) gradients, moving the effective weights without re-quantizing.
//
// Step and error: the vector is scaled so that its largest component is 1, every weight moves by
// at most `step` and the product is scaled back. The truncation error is O(step^2 * third
// derivative); for piecewise-quadratic losses (float ReLU networks away from kinks) the product is
// exact up to float32 rounding. Quantized activations make the exact gradient jump whenever a
// pre-activation crosses a quantization step; a tiny step then sees a few large jumps instead of
// the curvature (on the ECON-T Medium encoder with 1e-3, H(v + w) differs from Hv + Hw by 8x the
// result's norm; with 1e-2 by 0.45x). The default 1e-2, about a sixth of a 6-bit weight's LSB,
// averages over many such steps. (FKeras's TensorFlow products differentiate the straight-through
// surrogate instead, which holds each quantization offset constant.)
#include "core/model/backward.h"
#include "core/sensitivity/hessian_spectrum.h"
#include "core/train/losses.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flipscope {

class ModelHessianOperator : public HessianOperator {
public:
    // `model`, `inputs`, `loss` and `target` must outlive the operator.
    ModelHessianOperator(const Model& model, const Tensor& inputs, const Loss& loss, const Tensor& target,
                         std::vector<int> parameters, double step = 1e-2);

    int64_t dimension() const override { return dimension_; }
    std::vector<double> apply(const std::vector<double>& x) const override;

    // Offset of the i-th chosen parameter in the flattened vector.
    int64_t offsetOf(size_t i) const { return offsets_.at(i); }
    const std::vector<int>& parameters() const { return parameters_; }

private:
    const Model& model_;
    const Tensor& inputs_;
    const Loss& loss_;
    const Tensor& target_;
    std::vector<ParameterRef> all_;
    std::vector<int> parameters_;
    std::vector<int64_t> offsets_;
    int64_t dimension_ = 0;
    double step_;
};

}  // namespace flipscope
