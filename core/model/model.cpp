#include "core/model/model.h"

#include "core/common/error.h"
#include "core/common/parallel_chunks.h"
#include "core/model/layers/simple_layers.h"

#include <algorithm>

namespace flipscope {

std::vector<std::string> splitLayerPath(const std::string& path) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t slash; (slash = path.find('/', start)) != std::string::npos; start = slash + 1)
        parts.push_back(path.substr(start, slash - start));
    parts.push_back(path.substr(start));
    return parts;
}

std::string joinLayerPath(const std::vector<std::string>& parts) {
    std::string path;
    for (const auto& part : parts) path += (path.empty() ? "" : "/") + part;
    return path;
}

Model::Model(const std::string& className, const nlohmann::json& config) : LayerImpl(className, config) {}

Model::Model(const Model& other)
    : LayerImpl(other), nodes_(other.nodes_), inputNodes_(other.inputNodes_), outputNodes_(other.outputNodes_) {
    for (const auto& layer : other.layers_) layers_.push_back(layer->clone());
}

int Model::addLayer(std::unique_ptr<Layer> layer) {
    if (findLayer(layer->name())) fail("two layers are named '" + layer->name() + "'");
    layers_.push_back(std::move(layer));
    return static_cast<int>(layers_.size()) - 1;
}

int Model::addNode(int layer, std::vector<int> inputs) {
    for (int in : inputs)
        if (in < 0 || in >= static_cast<int>(nodes_.size())) fail("node inputs must come before the node");
    nodes_.push_back({layer, std::move(inputs)});
    return static_cast<int>(nodes_.size()) - 1;
}

Layer* Model::findLayer(const std::string& name) const {
    for (const auto& l : layers_)
        if (l->name() == name) return l.get();
    return nullptr;
}

std::vector<Shape> Model::modelInputShapes() const {
    std::vector<Shape> shapes;
    for (int node : inputNodes_) shapes.push_back(layers_[nodes_[node].layer]->outputShape());
    return shapes;
}

Shape Model::build(const std::vector<Shape>& inputShapes) {
    if (inputShapes.size() != inputNodes_.size())
        fail("expects " + std::to_string(inputNodes_.size()) + " inputs, given " + std::to_string(inputShapes.size()));
    if (outputNodes_.size() != 1) fail("models with " + std::to_string(outputNodes_.size()) + " outputs are not supported");
    std::vector<Shape> shapes(nodes_.size());
    for (size_t n = 0; n < nodes_.size(); ++n) {
        Layer& layer = *layers_[nodes_[n].layer];
        const auto input = std::find(inputNodes_.begin(), inputNodes_.end(), static_cast<int>(n));
        if (input != inputNodes_.end()) {
            shapes[n] = layer.build({inputShapes[input - inputNodes_.begin()]});
            continue;
        }
        std::vector<Shape> in;
        for (int i : nodes_[n].inputs) in.push_back(shapes[i]);
        shapes[n] = layer.build(in);
    }
    setShapes(inputShapes, shapes[outputNodes_[0]]);
    return outputShape_;
}

void Model::buildFromInputLayers() {
    std::vector<Shape> shapes;
    for (int node : inputNodes_) {
        auto* input = dynamic_cast<InputLayer*>(layers_[nodes_[node].layer].get());
        if (!input || input->declaredShape().empty()) fail("has no declared input shape");
        shapes.push_back(input->declaredShape());
    }
    build(shapes);
}

void Model::prepare() {
    for (auto& layer : layers_) layer->prepare();
}

bool Model::mixesSamples() const {
    return std::any_of(layers_.begin(), layers_.end(), [](const auto& l) { return l->mixesSamples(); });
}

Tensor Model::forward(const std::vector<const Tensor*>& inputs) const { return forwardUntil(inputs, {}, 0); }

Tensor Model::forwardUntil(const std::vector<const Tensor*>& inputs, const std::vector<std::string>& path,
                           size_t depth) const {
    if (inputs.size() != inputNodes_.size())
        fail("expects " + std::to_string(inputNodes_.size()) + " inputs, given " + std::to_string(inputs.size()));
    // The last node that reads each node's output, so intermediate tensors are freed early.
    std::vector<size_t> lastUse(nodes_.size(), 0);
    for (size_t n = 0; n < nodes_.size(); ++n)
        for (int i : nodes_[n].inputs) lastUse[i] = n;
    for (int o : outputNodes_) lastUse[o] = nodes_.size();

    std::vector<Tensor> values(nodes_.size());
    const std::string* target = depth < path.size() ? &path[depth] : nullptr;
    for (size_t n = 0; n < nodes_.size(); ++n) {
        const Layer& layer = *layers_[nodes_[n].layer];
        const auto input = std::find(inputNodes_.begin(), inputNodes_.end(), static_cast<int>(n));
        std::vector<const Tensor*> in;
        if (input != inputNodes_.end()) {
            in.push_back(inputs[input - inputNodes_.begin()]);
        } else {
            for (int i : nodes_[n].inputs) in.push_back(&values[i]);
        }
        if (target && layer.name() == *target) {
            if (depth + 1 == path.size()) return layer.forward(in);
            const auto* nested = dynamic_cast<const Model*>(&layer);
            if (!nested) fail("'" + layer.name() + "' is not a nested model, so it has no layer '" + path[depth + 1] + "'");
            return nested->forwardUntil(in, path, depth + 1);
        }
        values[n] = layer.forward(in);
        for (int i : nodes_[n].inputs)
            if (lastUse[i] == n) values[i] = Tensor();
    }
    if (target) fail("has no layer '" + *target + "'");
    return std::move(values[outputNodes_[0]]);
}

void Model::visit(const std::function<void(const std::string&, Layer&)>& visitor, const std::string& prefix) const {
    for (const auto& layer : layers_) {
        const std::string path = prefix.empty() ? layer->name() : prefix + "/" + layer->name();
        visitor(path, *layer);
        if (const auto* nested = dynamic_cast<const Model*>(layer.get())) nested->visit(visitor, path);
    }
}

std::vector<std::string> Model::resolveLayerPath(const std::string& nameOrPath) const {
    std::vector<std::string> matches;
    std::vector<std::string> all;
    visit([&](const std::string& path, Layer& layer) {
        all.push_back(path);
        if (path == nameOrPath || layer.name() == nameOrPath) matches.push_back(path);
    });
    if (std::find(matches.begin(), matches.end(), nameOrPath) != matches.end()) matches = {nameOrPath};
    auto join = [](const std::vector<std::string>& items) {
        std::string out;
        for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
        return out;
    };
    if (matches.empty()) throw InputError("model has no layer '" + nameOrPath + "' (layers: " + join(all) + ")");
    if (matches.size() > 1)
        throw InputError("layer name '" + nameOrPath + "' is ambiguous; use a path: " + join(matches));
    return splitLayerPath(matches[0]);
}

Layer& Model::layerAt(const std::vector<std::string>& path) const {
    const Model* model = this;
    Layer* layer = nullptr;
    for (size_t i = 0; i < path.size(); ++i) {
        if (!model) fail("'" + path[i - 1] + "' is not a nested model");
        layer = model->findLayer(path[i]);
        if (!layer) fail("has no layer '" + path[i] + "'");
        model = dynamic_cast<const Model*>(layer);
    }
    if (!layer) fail("empty layer path");
    return *layer;
}

Tensor Model::predict(const Tensor& input, int threads, const std::vector<std::string>& stopAt) const {
    const int64_t n = input.rank() ? input.dim(0) : 0;
    const Shape expected = modelInputShapes().at(0);
    Shape given(input.shape().begin() + (input.rank() ? 1 : 0), input.shape().end());
    if (given != expected)
        throw InputError("model '" + name_ + "' expects inputs of shape " + shapeToString(expected) + ", the data has " +
                         shapeToString(given));
    Shape outShape = stopAt.empty() ? outputShape_ : layerAt(stopAt).outputShape();
    outShape.insert(outShape.begin(), n);
    Tensor out(outShape);
    if (n == 0) return out;

    // Fixed chunks, so the split (and so every number) does not depend on the thread count.
    const int64_t chunk = mixesSamples() ? n : 64;
    const int64_t chunks = (n + chunk - 1) / chunk;
    parallelChunks(chunks, threads, [&](int64_t c) {
        const int64_t begin = c * chunk, end = std::min(n, begin + chunk);
        const Tensor part = input.slice(begin, end);
        const Tensor result = forwardUntil({&part}, stopAt, 0);
        std::copy_n(result.data(), result.size(), out.data() + begin * out.rowSize());
    });
    return out;
}

}  // namespace flipscope
