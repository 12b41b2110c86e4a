#include "core/model/layers/simple_layers.h"

#include <algorithm>

namespace flipscope {

InputLayer::InputLayer(const std::string& className, const nlohmann::json& config) : LayerImpl(className, config) {
    // Keras 2: batch_input_shape [null, ...]; Keras 3: batch_shape.
    const nlohmann::json* shape = nullptr;
    for (const char* key : {"batch_input_shape", "batch_shape"})
        if (config.contains(key) && config[key].is_array()) shape = &config[key];
    if (!shape) return;  // a nested model's input: its shape comes from the outer model
    for (size_t i = 1; i < shape->size(); ++i) {
        if (!(*shape)[i].is_number_integer())
            fail("input dimension " + std::to_string(i) + " is not fixed (" + (*shape)[i].dump() +
                 "); Flipscope needs fixed input shapes");
        shape_.push_back((*shape)[i].get<int64_t>());
    }
}

Shape InputLayer::build(const std::vector<Shape>& inputs) {
    if (!inputs.empty()) {
        if (!shape_.empty() && shape_ != inputs[0])
            fail("declares input shape " + shapeToString(shape_) + " but is given " + shapeToString(inputs[0]));
        shape_ = inputs[0];
    }
    setShapes({}, shape_);
    return shape_;
}

ReshapeLayer::ReshapeLayer(const std::string& className, const nlohmann::json& config) : LayerImpl(className, config) {
    if (className == "Reshape")
        for (const auto& d : configValue("target_shape")) target_.push_back(d.get<int64_t>());
}

Shape ReshapeLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() != 1) fail("expects one input");
    const int64_t size = shapeSize(inputs[0]);
    Shape out = target_.empty() ? Shape{size} : target_;
    const auto unknown = std::find(out.begin(), out.end(), -1);
    if (unknown != out.end()) {
        int64_t known = 1;
        for (int64_t d : out)
            if (d != -1) known *= d;
        *unknown = known ? size / known : 0;
    }
    if (shapeSize(out) != size)
        fail("cannot reshape " + shapeToString(inputs[0]) + " (" + std::to_string(size) + " values) to " +
             shapeToString(out));
    setShapes(inputs, out);
    return out;
}

Tensor ReshapeLayer::forward(const std::vector<const Tensor*>& inputs) const {
    Tensor y = *inputs[0];
    Shape shape = outputShape_;
    shape.insert(shape.begin(), y.dim(0));
    y.reshape(shape);
    return y;
}

Shape IdentityLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() != 1) fail("expects one input");
    setShapes(inputs, inputs[0]);
    return inputs[0];
}

ActivationLayer::ActivationLayer(const std::string& className, const nlohmann::json& config)
    : LayerImpl(className, config) {
    activation_ = Activation::fromConfig(configValue("activation"), name_);
}

Shape ActivationLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() != 1) fail("expects one input");
    setShapes(inputs, inputs[0]);
    return inputs[0];
}

bool ActivationLayer::mixesSamples() const {
    const auto& q = activation_.quantizer();
    return q && (q->alpha == AlphaMode::Auto || q->alpha == AlphaMode::AutoPo2);
}

Tensor ActivationLayer::forward(const std::vector<const Tensor*>& inputs) const {
    Tensor y = *inputs[0];
    activation_.apply(y);
    return y;
}

MergeLayer::MergeLayer(const std::string& className, const nlohmann::json& config) : LayerImpl(className, config) {
    concatenate_ = className == "Concatenate";
    axis_ = configOr("axis", -1);
}

Shape MergeLayer::build(const std::vector<Shape>& inputs) {
    if (inputs.size() < 2) fail("expects at least two inputs");
    Shape out = inputs[0];
    if (!concatenate_) {
        for (const Shape& s : inputs)
            if (s != out) fail("inputs have different shapes " + shapeToString(out) + " and " + shapeToString(s));
        setShapes(inputs, out);
        return out;
    }
    const int rank = static_cast<int>(out.size());
    // From the config, not axis_: axis_ holds the resolved axis once built, and a rebuild must not
    // resolve it a second time.
    const int kerasAxis = configOr("axis", -1);
    int axis = kerasAxis < 0 ? rank + kerasAxis : kerasAxis - 1;  // Keras counts the batch axis
    if (axis < 0 || axis >= rank) fail("axis " + std::to_string(kerasAxis) + " is out of range");
    out[axis] = 0;
    for (const Shape& s : inputs) {
        if (static_cast<int>(s.size()) != rank) fail("inputs have different ranks");
        for (int i = 0; i < rank; ++i)
            if (i != axis && s[i] != inputs[0][i])
                fail("inputs " + shapeToString(inputs[0]) + " and " + shapeToString(s) + " do not match");
        out[axis] += s[axis];
    }
    axis_ = axis;
    setShapes(inputs, out);
    return out;
}

Tensor MergeLayer::forward(const std::vector<const Tensor*>& inputs) const {
    const int64_t n = inputs[0]->dim(0);
    if (!concatenate_) {
        Tensor y = *inputs[0];
        for (size_t i = 1; i < inputs.size(); ++i) y.array() += inputs[i]->array();
        return y;
    }
    Shape shape = outputShape_;
    shape.insert(shape.begin(), n);
    Tensor y(shape);
    // Copy blocks: outer = everything before the axis (with batch), inner = axis and after.
    int64_t outer = n;
    for (int i = 0; i < axis_; ++i) outer *= outputShape_[i];
    int64_t offset = 0;
    const int64_t outInner = y.size() / outer;
    for (const Tensor* t : inputs) {
        const int64_t inner = t->size() / outer;
        for (int64_t o = 0; o < outer; ++o)
            std::copy_n(t->data() + o * inner, inner, y.data() + o * outInner + offset);
        offset += inner;
    }
    return y;
}

}  // namespace flipscope
