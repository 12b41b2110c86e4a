#pragma once
// A training recipe (JSON, sample_models/recipes/*.json): which architecture, which data, which
// loss and optimizer settings. `flipscope-cli train` runs one.
//
//   {
//     "architecture": "econt-medium",          // a name from architectures.h, or an inline Keras
//                                               // model config {"class_name", "config"}
//     "init_seed": 1,                           // initial weights (Keras defaults, seeded)
//     "train": DATA, "test": DATA,              // "test" is optional: scored after training
//     "loss": "telescope",                      // losses.h names
//     "epochs": 30, "batch_size": 128, "learning_rate": 0.001, "seed": 1,
//     "validation_split": 0.2, "patience": 5
//   }
//   DATA = {"inputs": "file.h5:/x", "labels": "file.h5:/y", "classes": 10,  // classifiers
//           "targets": "file.h5:/t",             // regression targets (default: the inputs)
//           "normalize": "none"|"255"|"sum"|"max", "limit": N}
//        or {"synth_hgcal": {"samples": N, "seed": S}}  // synthetic ECON-T modules, in memory
// Relative file names are taken from the recipe's folder; environment variables are not expanded.
#include "core/io/dataset.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flipscope {

struct RecipeData {
    std::string inputs, labels, targets;
    int64_t classes = 0;
    DatasetOptions options;
    std::optional<int64_t> synthSamples;  // set: synthetic ECON-T modules instead of files
    uint64_t synthSeed = 0;
};

struct TrainingRecipe {
    std::string architectureName;   // the built-in name, or the inline config's model name
    nlohmann::json architecture;    // Keras model config
    uint64_t initSeed = 1;
    RecipeData train;
    std::optional<RecipeData> test;
    std::string loss = "mse";
    TrainOptions options;
};

// `source` names the recipe in errors; `baseDir` resolves relative data paths.
TrainingRecipe parseRecipe(const nlohmann::json& recipe, const std::string& source, const std::string& baseDir);
TrainingRecipe loadRecipe(const std::string& path);

struct TrainingData {
    Tensor inputs;                 // fitted to the model input shape
    Tensor targets;                // shaped like the model output
    std::vector<int64_t> labels;   // classifiers only
};
TrainingData loadRecipeData(const RecipeData& data, const Model& model);

}  // namespace flipscope
