#include "core/model/layer_factory.h"

#include "core/common/error.h"
#include "core/model/layers/batchnorm.h"
#include "core/model/layers/conv2d.h"
#include "core/model/layers/conv2d_transpose.h"
#include "core/model/layers/dense.h"
#include "core/model/layers/pooling.h"
#include "core/model/layers/simple_layers.h"

#include <functional>
#include <map>

namespace flipscope {
namespace {

using Maker = std::function<std::unique_ptr<Layer>(const std::string&, const nlohmann::json&)>;

template <class T>
Maker make() {
    return [](const std::string& className, const nlohmann::json& config) {
        return std::make_unique<T>(className, config);
    };
}

const std::map<std::string, Maker>& registry() {
    static const std::map<std::string, Maker> makers = {
        {"InputLayer", make<InputLayer>()},
        {"Dense", make<DenseLayer>()},
        {"QDense", make<DenseLayer>()},
        {"FQDense", make<DenseLayer>()},
        {"QDenseBatchnorm", make<DenseLayer>()},
        {"Conv2D", make<Conv2DLayer>()},
        {"QConv2D", make<Conv2DLayer>()},
        {"FQConv2D", make<Conv2DLayer>()},
        {"QConv2DBatchnorm", make<Conv2DLayer>()},
        {"Conv2DTranspose", make<Conv2DTransposeLayer>()},
        {"QConv2DTranspose", make<Conv2DTransposeLayer>()},
        {"Activation", make<ActivationLayer>()},
        {"QActivation", make<ActivationLayer>()},
        {"BatchNormalization", make<BatchNormLayer>()},
        {"QBatchNormalization", make<BatchNormLayer>()},
        {"Flatten", make<ReshapeLayer>()},
        {"Reshape", make<ReshapeLayer>()},
        {"Dropout", make<IdentityLayer>()},
        {"MaxPooling2D", make<Pooling2DLayer>()},
        {"AveragePooling2D", make<Pooling2DLayer>()},
        {"GlobalAveragePooling2D", make<GlobalPooling2DLayer>()},
        {"GlobalMaxPooling2D", make<GlobalPooling2DLayer>()},
        {"Add", make<MergeLayer>()},
        {"Concatenate", make<MergeLayer>()},
    };
    return makers;
}

}  // namespace

const std::vector<std::string>& supportedLayerClasses() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& [name, maker] : registry()) out.push_back(name);
        return out;
    }();
    return names;
}

std::unique_ptr<Layer> createLayer(const std::string& className, const nlohmann::json& config) {
    const auto it = registry().find(className);
    if (it == registry().end()) {
        std::string list;
        for (const auto& name : supportedLayerClasses()) list += (list.empty() ? "" : ", ") + name;
        throw UnsupportedError("layer '" + config.value("name", std::string("?")) + "' has class '" + className +
                               "', which Flipscope does not support (supported: " + list + ")");
    }
    try {
        return it->second(className, config);
    } catch (const nlohmann::json::exception& e) {
        throw InputError("layer '" + config.value("name", std::string("?")) + "' (" + className +
                         "): malformed config: " + e.what());
    }
}

}  // namespace flipscope
