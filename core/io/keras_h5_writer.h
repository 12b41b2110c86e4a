#pragma once
// Writes a Model as a Keras 2 full-model .h5 file: root `model_config` (the model's Keras config,
// with QKeras class names and quantizer configs as loaded or built), `model_weights` with
// `layer_names`, per-layer `weight_names` and float32 datasets of the stored (unquantized)
// weights. Such files round-trip through loadKerasModel bit-exactly.
#include "core/model/model.h"

#include <string>

namespace flipscope {

// Writes to `path` via a temporary file renamed into place, so an existing file is never left
// half-written (a full disk leaves the old file intact).
void writeKerasModel(const Model& model, const std::string& path);

}  // namespace flipscope
