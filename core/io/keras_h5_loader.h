#pragma once
// Loads a Keras/QKeras model from HDF5: full-model files (root `model_config` + `model_weights`,
// Keras 2 / tf.keras / Keras 3 legacy .h5) and weights-only files (`layer_names` at the root)
// with a JSON architecture beside them. The file's content decides, never its extension.
#include "core/model/model.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace flipscope {

struct ModelLoadOptions {
    // Architecture JSON (model.to_json()) for a weights-only file. Without it, a .json with the
    // same stem beside the weights file is used if present.
    std::optional<std::string> configPath;
};

struct LoadedModel {
    std::unique_ptr<Model> model;
    std::string weightsPath;
    std::string configPath;   // where the architecture came from (the .h5 itself for full models)
    std::string kerasVersion;
    std::vector<std::string> warnings;  // e.g. NaN weights; also logged
};

LoadedModel loadKerasModel(const std::string& path, const ModelLoadOptions& options = {});

// The JSON architecture looked for beside a weights-only file: same stem, or the stem without
// a "_weights" suffix.
std::string siblingConfigPath(const std::string& weightsPath);

}  // namespace flipscope
