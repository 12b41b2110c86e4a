#include "core/io/keras_h5_writer.h"

#include "core/common/error.h"
#include "core/io/hdf5_file.h"

#include <filesystem>

namespace flipscope {
namespace {

// The version of the layout we write; Keras reads the attribute to decide on legacy conversions.
constexpr const char* kKerasVersion = "2.11.0";

struct WeightEntry {
    std::string name;  // "<layer>/<param>:0"
    const LayerParameter* param;
};

// Keras orders a layer's (or nested model's) weights as trainable first, then non-trainable.
std::vector<WeightEntry> weightEntries(const Layer& top) {
    std::vector<WeightEntry> trainable, frozen;
    auto add = [&](const Layer& layer) {
        for (const auto& p : layer.parameters())
            (p.trainable ? trainable : frozen).push_back({layer.name() + "/" + p.name + ":0", &p});
    };
    if (const auto* nested = dynamic_cast<const Model*>(&top))
        nested->visit([&](const std::string&, Layer& layer) { add(layer); });
    else
        add(top);
    trainable.insert(trainable.end(), frozen.begin(), frozen.end());
    return trainable;
}

}  // namespace

void writeKerasModel(const Model& model, const std::string& path) {
    const std::string temporary = path + ".partial";
    try {
        h5::File file = h5::File::create(temporary);
        const nlohmann::json modelConfig = {{"class_name", model.className()}, {"config", model.config()}};
        file.writeStringAttribute("/", "model_config", modelConfig.dump());
        file.writeStringAttribute("/", "keras_version", kKerasVersion);
        file.writeStringAttribute("/", "backend", "tensorflow");
        file.writeStringAttribute("/", "written_by", "Flipscope");
        file.createGroup("/model_weights");
        std::vector<std::string> layerNames;
        for (const auto& layer : model.layers()) layerNames.push_back(layer->name());
        file.writeStringListAttribute("/model_weights", "layer_names", layerNames);
        file.writeStringAttribute("/model_weights", "keras_version", kKerasVersion);
        file.writeStringAttribute("/model_weights", "backend", "tensorflow");
        for (const auto& layer : model.layers()) {
            const std::string group = "/model_weights/" + layer->name();
            file.createGroup(group);
            std::vector<std::string> names;
            for (const WeightEntry& entry : weightEntries(*layer)) {
                names.push_back(entry.name);
                file.writeFloats(group + "/" + entry.name, entry.param->stored.shape(), entry.param->stored.values());
            }
            file.writeStringListAttribute(group, "weight_names", names);
        }
        file.flush();
    } catch (const std::exception& e) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw Error(path + ": cannot be written: " + e.what());
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) throw Error(path + ": cannot be written: " + error.message());
}

}  // namespace flipscope
