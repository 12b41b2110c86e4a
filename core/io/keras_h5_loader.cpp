#include "core/io/keras_h5_loader.h"

#include "core/common/error.h"
#include "core/io/hdf5_file.h"
#include "core/io/keras_model_config.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace flipscope {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot open the architecture file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

json parseJson(const std::string& text, const std::string& source) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        throw InputError(source + ": not valid JSON (" + e.what() + ")");
    }
}

bool startsWith(const std::string& path, const std::string& magic) {
    std::ifstream in(path, std::ios::binary);
    std::string head(magic.size(), '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    return in.gcount() == static_cast<std::streamsize>(magic.size()) && head == magic;
}

// "encoder/conv2d_1/kernel:0" -> {"encoder", "conv2d_1", "kernel"}
std::vector<std::string> weightNameParts(std::string name) {
    if (auto colon = name.rfind(':'); colon != std::string::npos) name = name.substr(0, colon);
    std::vector<std::string> parts;
    std::stringstream stream(name);
    for (std::string part; std::getline(stream, part, '/');)
        if (!part.empty()) parts.push_back(part);
    return parts;
}

// Finds the layer a weight belongs to inside `top` (itself, or a layer of a nested model named by
// one of the weight name's components).
Layer* ownerOf(Layer& top, const std::vector<std::string>& parts) {
    auto* nested = dynamic_cast<Model*>(&top);
    if (!nested) return &top;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        Layer* found = nullptr;
        nested->visit([&](const std::string&, Layer& layer) {
            if (!found && layer.name() == parts[i] && !dynamic_cast<Model*>(&layer)) found = &layer;
        });
        if (found) return found;
    }
    return nullptr;
}

class WeightReader {
public:
    WeightReader(const h5::File& file, std::string root, LoadedModel& result)
        : file_(file), root_(std::move(root)), result_(result) {}

    void readAll(Model& model) {
        const auto layerNames = file_.stringListAttribute(root_.empty() ? "/" : root_, "layer_names");
        for (const std::string& name : layerNames) {
            Layer* layer = model.findLayer(name);
            const std::string group = root_ + "/" + name;
            const auto weightNames = file_.stringListAttribute(group, "weight_names");
            if (!layer) {
                if (weightNames.empty()) continue;  // e.g. a weightless layer renamed; harmless
                throw InputError(file_.path() + ": the file has weights for layer '" + name +
                                 "', which the architecture does not have (does the JSON belong to this file?)");
            }
            for (const std::string& weightName : weightNames) readWeight(*layer, group, weightName);
        }
        model.visit([&](const std::string& path, Layer& layer) {
            for (const auto& p : layer.parameters())
                if (!p.loaded)
                    throw InputError(file_.path() + ": no weight '" + p.name + "' for layer '" + path + "' in the file");
        });
    }

private:
    void readWeight(Layer& top, const std::string& group, const std::string& weightName) {
        const auto parts = weightNameParts(weightName);
        if (parts.empty()) return;
        const std::string paramName = parts.back();
        if (paramName == "iteration") return;  // QConv2DBatchnorm's training step counter
        Layer* owner = ownerOf(top, parts);
        LayerParameter* param = owner ? owner->parameter(paramName) : nullptr;
        const std::string where = file_.path() + ": layer '" + (owner ? owner->name() : top.name()) + "', weight '" +
                                  weightName + "'";
        if (!param) {
            std::string expected;
            if (owner)
                for (const auto& p : owner->parameters()) expected += (expected.empty() ? "" : ", ") + p.name;
            throw InputError(where + ": not a weight this layer has (expected: " +
                             (expected.empty() ? std::string("none") : expected) + ")");
        }
        const std::string dataset = group + "/" + weightName;
        if (!file_.isDataset(dataset)) throw InputError(where + ": dataset '" + dataset + "' is missing");
        const Shape shape = file_.datasetShape(dataset);
        if (shape != param->shape)
            throw InputError(where + ": shape " + shapeToString(shape) + " in the file, but the layer needs " +
                             shapeToString(param->shape));
        param->stored = Tensor(shape, file_.readFloats(dataset));
        param->loaded = true;
        int64_t bad = 0;
        for (float v : param->stored.values())
            if (!std::isfinite(v)) ++bad;
        if (bad) {
            const std::string warning = where + ": " + std::to_string(bad) + " NaN/Inf values";
            spdlog::warn("{}", warning);
            result_.warnings.push_back(warning);
        }
    }

    const h5::File& file_;
    std::string root_;
    LoadedModel& result_;
};

}  // namespace

std::string siblingConfigPath(const std::string& weightsPath) {
    const fs::path same = fs::path(weightsPath).replace_extension(".json");
    // hls4ml's examples pair "x_weights.h5" with "x.json".
    const std::string stem = same.stem().string();
    const std::string suffix = "_weights";
    if (!fs::exists(same) && stem.size() > suffix.size() && stem.ends_with(suffix)) {
        const fs::path stripped = same.parent_path() / (stem.substr(0, stem.size() - suffix.size()) + ".json");
        if (fs::exists(stripped)) return stripped.string();
    }
    return same.string();
}

LoadedModel loadKerasModel(const std::string& path, const ModelLoadOptions& options) {
    if (!fs::exists(path)) throw InputError(path + ": no such file");
    if (startsWith(path, "PK\x03\x04"))
        throw UnsupportedError(path + ": a Keras 3 .keras archive; Flipscope reads .h5 files (save with "
                                      "model.save('model.h5'))");
    const h5::File file = h5::File::openRead(path);
    LoadedModel result;
    result.weightsPath = path;
    json config;
    std::string weightsRoot;
    if (file.hasAttribute("/", "model_config")) {
        config = parseJson(file.stringAttribute("/", "model_config"), path + " (model_config)");
        result.configPath = path;
        if (!file.isGroup("/model_weights")) throw InputError(path + ": has a model_config but no model_weights group");
        weightsRoot = "/model_weights";
        if (options.configPath) spdlog::info("{} holds its own architecture; --config is ignored", path);
    } else if (file.hasAttribute("/", "layer_names")) {
        const std::string configPath = options.configPath.value_or(siblingConfigPath(path));
        if (!fs::exists(configPath))
            throw InputError(path + ": a weights-only file (no model_config); give its architecture JSON with --config "
                                    "(looked for " + configPath + ")");
        config = parseJson(readText(configPath), configPath);
        result.configPath = configPath;
    } else if (file.isGroup("/layers") || file.isGroup("/vars")) {
        throw UnsupportedError(path + ": a Keras 3 native weights file (.weights.h5); Flipscope reads Keras 2 style "
                                      ".h5 (model.save('model.h5') or save_weights with a .h5 name in Keras 2)");
    } else {
        throw InputError(path + ": an HDF5 file but not a Keras model (no model_config or layer_names attribute)");
    }
    const std::string versionHolder = weightsRoot.empty() ? "/" : weightsRoot;
    if (file.hasAttribute(versionHolder, "keras_version"))
        result.kerasVersion = file.stringAttribute(versionHolder, "keras_version");
    else if (file.hasAttribute("/", "keras_version"))
        result.kerasVersion = file.stringAttribute("/", "keras_version");

    result.model = buildModelFromConfig(config, result.configPath);
    WeightReader(file, weightsRoot, result).readAll(*result.model);
    try {
        result.model->prepare();
    } catch (const InputError& e) {
        throw InputError(path + ": " + e.what());
    }
    return result;
}

}  // namespace flipscope
