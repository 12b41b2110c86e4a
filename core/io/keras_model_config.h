#pragma once
// Builds a Model from a Keras model config (`model_config` / `model.to_json()`): Sequential,
// Functional ("Model" in older Keras), nested models, Keras 2 and Keras 3 node forms.
#include "core/model/model.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace flipscope {

// `source` names the file the config came from, for error messages. The model is built (shapes
// known, weights declared) but holds no weights yet.
std::unique_ptr<Model> buildModelFromConfig(const nlohmann::json& modelConfig, const std::string& source);

}  // namespace flipscope
