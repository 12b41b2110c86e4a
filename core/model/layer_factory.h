#pragma once
// Creates a layer from its Keras class name and config. Nested models are built by the loader.
#include "core/model/layer.h"

#include <memory>
#include <string>
#include <vector>

namespace flipscope {

std::unique_ptr<Layer> createLayer(const std::string& className, const nlohmann::json& config);
// The class names createLayer understands (for "unknown layer class" messages and docs).
const std::vector<std::string>& supportedLayerClasses();

}  // namespace flipscope
