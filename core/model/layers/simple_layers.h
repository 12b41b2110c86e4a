#pragma once
// Layers without weights that only move, copy or combine values: InputLayer, Flatten, Reshape,
// Dropout (identity at inference), Activation/QActivation, Add, Concatenate.
#include "core/model/activation.h"
#include "core/model/layer.h"

namespace flipscope {

class InputLayer : public LayerImpl<InputLayer> {
public:
    InputLayer(const std::string& className, const nlohmann::json& config);
    Shape build(const std::vector<Shape>& inputs) override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override { return *inputs[0]; }
    const Shape& declaredShape() const { return shape_; }

private:
    Shape shape_;  // without the batch axis
};

class ReshapeLayer : public LayerImpl<ReshapeLayer> {
public:
    ReshapeLayer(const std::string& className, const nlohmann::json& config);  // Reshape or Flatten
    Shape build(const std::vector<Shape>& inputs) override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;

private:
    Shape target_;  // empty for Flatten
};

class IdentityLayer : public LayerImpl<IdentityLayer> {
public:
    using LayerImpl::LayerImpl;  // Dropout and friends
    Shape build(const std::vector<Shape>& inputs) override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override { return *inputs[0]; }
};

class ActivationLayer : public LayerImpl<ActivationLayer> {
public:
    ActivationLayer(const std::string& className, const nlohmann::json& config);
    Shape build(const std::vector<Shape>& inputs) override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;
    std::string describe() const override { return activation_.describe(); }
    bool mixesSamples() const override;
    const Activation& activation() const { return activation_; }

private:
    Activation activation_;
};

class MergeLayer : public LayerImpl<MergeLayer> {
public:
    MergeLayer(const std::string& className, const nlohmann::json& config);  // Add or Concatenate
    Shape build(const std::vector<Shape>& inputs) override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;

    bool isConcatenate() const { return concatenate_; }
    int axis() const { return axis_; }  // Concatenate's axis without the batch axis (after build)

private:
    bool concatenate_ = false;
    int axis_ = -1;  // Concatenate axis without the batch axis, resolved in build()
};

}  // namespace flipscope
