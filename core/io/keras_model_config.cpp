#include "core/io/keras_model_config.h"

#include "core/common/error.h"
#include "core/model/layer_factory.h"

#include <map>

namespace flipscope {
namespace {

using json = nlohmann::json;

bool isModelClass(const std::string& className) {
    return className == "Sequential" || className == "Functional" || className == "Model";
}

// A reference to a layer call's output: [layer, node_index, tensor_index].
struct TensorRef {
    std::string layer;
    int nodeIndex = 0;
    int tensorIndex = 0;
};

// Keras 2 writes ["name", node, tensor, {kwargs}]; Keras 3 nests {"keras_history": [...]}.
void collectRefs(const json& value, std::vector<TensorRef>& out) {
    if (value.is_object()) {
        if (value.contains("keras_history")) {
            const json& h = value["keras_history"];
            out.push_back({h.at(0).get<std::string>(), h.at(1).get<int>(), h.at(2).get<int>()});
            return;
        }
        for (const auto& [key, item] : value.items()) {
            if (key == "kwargs") continue;  // keyword arguments (e.g. training flags) are not inputs
            collectRefs(item, out);  // includes "config", where Keras 3 puts keras_history
        }
        return;
    }
    if (!value.is_array()) return;
    if (value.size() >= 3 && value[0].is_string() && value[1].is_number_integer() && value[2].is_number_integer()) {
        out.push_back({value[0].get<std::string>(), value[1].get<int>(), value[2].get<int>()});
        return;
    }
    for (const auto& item : value) collectRefs(item, out);
}

// "source: message", unless the message already starts with the source.
std::string withSource(const std::string& source, const std::string& message) {
    if (source.empty() || message.rfind(source, 0) == 0) return message;
    return source + ": " + message;
}

std::vector<TensorRef> refsOf(const json& value) {
    std::vector<TensorRef> refs;
    collectRefs(value, refs);
    return refs;
}

class ConfigBuilder {
public:
    explicit ConfigBuilder(std::string source) : source_(std::move(source)) {}

    std::unique_ptr<Model> build(const json& entry, bool topLevel) {
        if (!entry.is_object() || !entry.contains("class_name"))
            throw InputError(source_ + ": model config has no 'class_name'");
        const std::string className = entry["class_name"].get<std::string>();
        if (!isModelClass(className))
            throw InputError(source_ + ": top-level class is '" + className + "', expected Sequential or Functional");
        json config = entry.value("config", json::object());
        if (config.is_array()) config = json{{"layers", config}};  // very old Keras: bare layer list
        if (!config.contains("name")) config["name"] = topLevel ? "model" : entry.value("name", "model");
        auto model = std::make_unique<Model>(className, config);
        if (!config.contains("layers") || !config["layers"].is_array())
            throw InputError(source_ + ": model '" + model->name() + "' config has no 'layers' list");
        if (className == "Sequential") buildSequential(*model, config["layers"]);
        else buildFunctional(*model, config);
        return model;
    }

private:
    std::unique_ptr<Layer> makeLayer(const json& entry) {
        if (!entry.contains("class_name")) throw InputError(source_ + ": a layer entry has no 'class_name'");
        const std::string className = entry["class_name"].get<std::string>();
        if (isModelClass(className)) return build(entry, false);
        json config = entry.value("config", json::object());
        if (!config.contains("name") && entry.contains("name")) config["name"] = entry["name"];
        return createLayer(className, config);
    }

    void buildSequential(Model& model, const json& layers) {
        int previous = -1;
        for (size_t i = 0; i < layers.size(); ++i) {
            const json& entry = layers[i];
            if (i == 0 && entry.value("class_name", "") != "InputLayer") {
                // No InputLayer entry: the first layer's batch_input_shape declares the input.
                json inputConfig = {{"name", model.name() + "_input"}};
                const json& first = entry.value("config", json::object());
                for (const char* key : {"batch_input_shape", "batch_shape"})
                    if (first.contains(key)) inputConfig[key] = first[key];
                int input = model.addLayer(createLayer("InputLayer", inputConfig));
                previous = model.addNode(input, {});
                model.setInputNodes({previous});
            }
            const int layer = model.addLayer(makeLayer(entry));
            if (previous < 0) {
                previous = model.addNode(layer, {});
                model.setInputNodes({previous});
            } else {
                previous = model.addNode(layer, {previous});
            }
        }
        if (previous < 0) throw InputError(source_ + ": Sequential model '" + model.name() + "' has no layers");
        model.setOutputNodes({previous});
    }

    void buildFunctional(Model& model, const json& config) {
        struct Pending {
            int layer;
            std::vector<TensorRef> inputs;
            int call;
        };
        std::map<std::string, int> layerIndex;
        std::map<std::string, int> callCount;
        std::vector<Pending> pending;
        for (const json& entry : config["layers"]) {
            auto layer = makeLayer(entry);
            const std::string name = layer->name();
            const bool isInput = layer->className() == "InputLayer";
            const int index = model.addLayer(std::move(layer));
            layerIndex[name] = index;
            const json nodes = entry.value("inbound_nodes", json::array());
            if (isInput || nodes.empty()) {
                pending.push_back({index, {}, 0});
                callCount[name] = 1;
                continue;
            }
            int call = 0;
            for (const json& node : nodes) pending.push_back({index, refsOf(node), call++});
            callCount[name] = call;
        }
        // Add nodes in dependency order; Keras lists them topologically, but do not rely on it.
        std::map<std::pair<std::string, int>, int> nodeOf;  // (layer name, call) -> node id
        auto resolve = [&](const TensorRef& ref) -> int {
            if (!layerIndex.count(ref.layer))
                throw InputError(source_ + ": a layer input refers to unknown layer '" + ref.layer + "'");
            if (ref.tensorIndex != 0)
                throw UnsupportedError(source_ + ": layer '" + ref.layer + "' has several outputs, not supported");
            int call = ref.nodeIndex;
            // A single call: the node index is irrelevant (a nested model's own node 0 shifts it).
            if (callCount[ref.layer] == 1) call = 0;
            else if (isModelClass(model.layers()[layerIndex[ref.layer]]->className())) call -= 1;
            auto it = nodeOf.find({ref.layer, call});
            return it == nodeOf.end() ? -1 : it->second;
        };
        std::vector<bool> done(pending.size(), false);
        for (size_t added = 0, pass = 0; added < pending.size(); ++pass) {
            if (pass > pending.size())
                throw InputError(source_ + ": model '" + model.name() + "' has a cycle or a missing input");
            for (size_t p = 0; p < pending.size(); ++p) {
                if (done[p]) continue;
                std::vector<int> inputs;
                bool ready = true;
                for (const TensorRef& ref : pending[p].inputs) {
                    const int node = resolve(ref);
                    if (node < 0) { ready = false; break; }
                    inputs.push_back(node);
                }
                if (!ready) continue;
                const int node = model.addNode(pending[p].layer, inputs);
                nodeOf[{model.layers()[pending[p].layer]->name(), pending[p].call}] = node;
                done[p] = true;
                ++added;
            }
        }
        auto endpoints = [&](const char* key) {
            std::vector<int> nodes;
            for (const TensorRef& ref : refsOf(config.value(key, json::array()))) {
                const int node = resolve(ref);
                if (node < 0) throw InputError(source_ + ": " + key + " names unknown layer '" + ref.layer + "'");
                nodes.push_back(node);
            }
            if (nodes.empty()) throw InputError(source_ + ": model '" + model.name() + "' has no " + key);
            return nodes;
        };
        model.setInputNodes(endpoints("input_layers"));
        model.setOutputNodes(endpoints("output_layers"));
    }

    std::string source_;
};

}  // namespace

std::unique_ptr<Model> buildModelFromConfig(const json& modelConfig, const std::string& source) {
    try {
        auto model = ConfigBuilder(source).build(modelConfig, true);
        model->buildFromInputLayers();
        return model;
    } catch (const json::exception& e) {
        throw InputError(source + ": malformed model config: " + e.what());
    } catch (const UnsupportedError& e) {  // layer and quantizer errors name the layer, not the file
        throw UnsupportedError(withSource(source, e.what()));
    } catch (const InputError& e) {
        throw InputError(withSource(source, e.what()));
    }
}

}  // namespace flipscope
