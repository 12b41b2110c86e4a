#include "core/train/recipe.h"

#include "core/common/error.h"
#include "core/model/input_fit.h"
#include "core/train/architectures.h"
#include "core/train/losses.h"
#include "core/train/synth_hgcal.h"

#include <filesystem>
#include <fstream>
#include <set>

namespace flipscope {
namespace {

using json = nlohmann::json;

void rejectUnknownKeys(const json& object, const std::set<std::string>& known, const std::string& where) {
    for (const auto& [key, value] : object.items())
        if (!known.count(key)) {
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            throw InputError(where + ": unknown key '" + key + "' (known: " + list + ")");
        }
}

std::string resolve(const std::string& spec, const std::string& baseDir) {
    if (spec.empty() || baseDir.empty() || std::filesystem::path(spec).is_absolute()) return spec;
    return (std::filesystem::path(baseDir) / spec).string();
}

Normalization normalizationByName(const std::string& name, const std::string& where) {
    if (name == "none") return Normalization::None;
    if (name == "255") return Normalization::Scale255;
    if (name == "sum") return Normalization::PerSampleSum;
    if (name == "max") return Normalization::PerSampleMax;
    throw InputError(where + ": normalize takes none, 255, sum or max, not '" + name + "'");
}

RecipeData parseData(const json& d, const std::string& where, const std::string& baseDir) {
    if (!d.is_object()) throw InputError(where + " must be an object");
    rejectUnknownKeys(d, {"inputs", "labels", "classes", "targets", "normalize", "limit", "synth_hgcal"}, where);
    RecipeData data;
    if (d.contains("synth_hgcal")) {
        const json& s = d["synth_hgcal"];
        data.synthSamples = s.at("samples").get<int64_t>();
        data.synthSeed = s.value("seed", uint64_t{1});
        return data;
    }
    if (!d.contains("inputs")) throw InputError(where + " has no 'inputs' (or 'synth_hgcal')");
    data.inputs = resolve(d["inputs"].get<std::string>(), baseDir);
    data.labels = resolve(d.value("labels", std::string()), baseDir);
    data.targets = resolve(d.value("targets", std::string()), baseDir);
    data.classes = d.value("classes", int64_t{0});
    if (!data.labels.empty() && data.classes <= 0) throw InputError(where + ": 'labels' needs 'classes'");
    data.options.normalization = normalizationByName(d.value("normalize", std::string("none")), where);
    if (d.contains("limit")) data.options.limit = d["limit"].get<int64_t>();
    return data;
}

}  // namespace

TrainingRecipe parseRecipe(const json& r, const std::string& source, const std::string& baseDir) {
    try {
        if (!r.is_object()) throw InputError(source + ": a recipe is a JSON object");
        rejectUnknownKeys(r, {"architecture", "init_seed", "train", "test", "loss", "epochs", "batch_size",
                              "learning_rate", "seed", "validation_split", "patience", "comment"},
                          source);
        TrainingRecipe recipe;
        const json& arch = r.at("architecture");
        if (arch.is_string()) {
            recipe.architectureName = arch.get<std::string>();
            recipe.architecture = architectureConfig(recipe.architectureName);
        } else {
            recipe.architecture = arch;
            recipe.architectureName = arch.at("config").value("name", std::string("model"));
        }
        recipe.initSeed = r.value("init_seed", uint64_t{1});
        recipe.train = parseData(r.at("train"), source + ": train", baseDir);
        if (r.contains("test")) recipe.test = parseData(r["test"], source + ": test", baseDir);
        recipe.loss = r.value("loss", std::string("mse"));
        makeLoss(recipe.loss);  // validates the name
        TrainOptions& o = recipe.options;
        o.epochs = r.value("epochs", o.epochs);
        o.batchSize = r.value("batch_size", o.batchSize);
        o.adam.learningRate = r.value("learning_rate", o.adam.learningRate);
        o.seed = r.value("seed", o.seed);
        o.validationSplit = r.value("validation_split", o.validationSplit);
        o.patience = r.value("patience", o.patience);
        return recipe;
    } catch (const json::exception& e) {
        throw InputError(source + ": malformed recipe: " + e.what());
    }
}

TrainingRecipe loadRecipe(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw InputError(path + ": cannot be read");
    json r;
    try {
        r = json::parse(file);
    } catch (const json::exception& e) {
        throw InputError(path + ": not valid JSON: " + e.what());
    }
    return parseRecipe(r, path, std::filesystem::path(path).parent_path().string());
}

TrainingData loadRecipeData(const RecipeData& data, const Model& model) {
    TrainingData out;
    if (data.synthSamples) {
        SyntheticModules modules = synthesizeHgcalModules(*data.synthSamples, data.synthSeed);
        out.inputs = std::move(modules.images);
    } else {
        out.inputs = loadDataset(data.inputs, data.options);
    }
    out.inputs = fitToModelInput(std::move(out.inputs), model.modelInputShapes().at(0), data.inputs);
    if (!data.labels.empty()) {
        out.labels = loadLabels(data.labels, data.options.limit);
        if (static_cast<int64_t>(out.labels.size()) != out.inputs.dim(0))
            throw InputError(data.labels + ": " + std::to_string(out.labels.size()) + " labels for " +
                             std::to_string(out.inputs.dim(0)) + " samples");
        out.targets = oneHot(out.labels, data.classes);
    } else if (!data.targets.empty()) {
        out.targets = loadDataset(data.targets, {.limit = data.options.limit});
    } else {
        out.targets = out.inputs;  // an autoencoder reconstructs its input
    }
    Shape expected = model.outputShape();
    expected.insert(expected.begin(), out.inputs.dim(0));
    if (shapeSize(expected) != out.targets.size())
        throw InputError("targets of shape " + shapeToString(out.targets.shape()) + " do not fit the model output " +
                         shapeToString(expected));
    out.targets.reshape(expected);
    return out;
}

}  // namespace flipscope
