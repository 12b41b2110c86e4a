#include "core/model/layer.h"

#include "core/common/error.h"

namespace flipscope {

Layer::Layer(std::string className, const nlohmann::json& config)
    : className_(std::move(className)), config_(config) {
    name_ = config_.value("name", std::string());
    if (name_.empty()) throw InputError(className_ + " layer without a name in its config");
}

void Layer::fail(const std::string& message) const {
    throw InputError("layer '" + name_ + "' (" + className_ + "): " + message);
}

LayerParameter* Layer::parameter(const std::string& name) {
    for (auto& p : parameters_)
        if (p.name == name) return &p;
    return nullptr;
}

const LayerParameter* Layer::parameter(const std::string& name) const {
    return const_cast<Layer*>(this)->parameter(name);
}

LayerParameter& Layer::declareParameter(const std::string& name, Shape shape,
                                        std::optional<QuantizerSpec> quantizer) {
    if (LayerParameter* existing = parameter(name)) {  // rebuilt: keep loaded values if shapes agree
        if (existing->shape != shape && existing->loaded)
            fail("weight '" + name + "' has shape " + shapeToString(existing->shape) + " but the layer needs " +
                 shapeToString(shape));
        existing->shape = std::move(shape);
        existing->quantizer = std::move(quantizer);
        return *existing;
    }
    LayerParameter p;
    p.name = name;
    p.shape = std::move(shape);
    p.quantizer = std::move(quantizer);
    parameters_.push_back(std::move(p));
    return parameters_.back();
}

void Layer::quantizeEffective(LayerParameter& p) const {
    if (!p.quantizer) return;
    std::vector<float> scales;
    quantize(*p.quantizer, p.effective.values(), p.effective.shape(), &scales);
    if (p.quantizer->isFixedPoint()) p.codec = BitCodec(*p.quantizer, std::move(scales));
}

void Layer::prepare() {
    for (auto& p : parameters_) {
        if (!p.loaded) fail("weight '" + p.name + "' was not loaded");
        p.effective = p.stored;
        quantizeEffective(p);
    }
}

void Layer::setShapes(const std::vector<Shape>& inputs, Shape output) {
    inputShapes_ = inputs;
    outputShape_ = std::move(output);
}

const nlohmann::json& Layer::configValue(const std::string& key) const {
    auto it = config_.find(key);
    if (it == config_.end()) fail("config has no '" + key + "'");
    return *it;
}

}  // namespace flipscope
