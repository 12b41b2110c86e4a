#pragma once
// A Keras model as a graph of layer calls (Sequential models are chains). A Model is itself a
// Layer, so a Functional model nested inside another (an autoencoder's encoder) is a node too.
#include "core/model/layer.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace flipscope {

// Layer paths through nested models: "encoder/conv2d_0_m" <-> {"encoder", "conv2d_0_m"}.
std::vector<std::string> splitLayerPath(const std::string& path);
std::string joinLayerPath(const std::vector<std::string>& parts);

class Model : public LayerImpl<Model> {
public:
    // One call of a layer; `inputs` are ids of earlier nodes (each node has one output).
    struct Node {
        int layer = -1;
        std::vector<int> inputs;
    };

    Model(const std::string& className, const nlohmann::json& config);
    Model(const Model& other);

    // --- construction (used by the Keras loader) ---
    int addLayer(std::unique_ptr<Layer> layer);
    int addNode(int layer, std::vector<int> inputs);  // nodes must be added in dependency order
    void setInputNodes(std::vector<int> nodes) { inputNodes_ = std::move(nodes); }
    void setOutputNodes(std::vector<int> nodes) { outputNodes_ = std::move(nodes); }

    Shape build(const std::vector<Shape>& inputShapes) override;
    // For a top-level model: builds from its InputLayers' declared shapes.
    void buildFromInputLayers();
    void prepare() override;
    Tensor forward(const std::vector<const Tensor*>& inputs) const override;
    bool mixesSamples() const override;

    // --- structure ---
    const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }
    const std::vector<Node>& nodes() const { return nodes_; }
    const std::vector<int>& inputNodes() const { return inputNodes_; }
    const std::vector<int>& outputNodes() const { return outputNodes_; }
    std::vector<Shape> modelInputShapes() const;
    Layer* findLayer(const std::string& name) const;  // a direct child
    // Every layer below this model, depth first in model order, with its path
    // ("encoder/conv2d_0_m"); nested models are visited before their children.
    void visit(const std::function<void(const std::string& path, Layer& layer)>& visitor,
               const std::string& prefix = "") const;
    // A layer named by a path through nested models, or by a bare name when it is unique.
    // Throws InputError listing candidates when missing or ambiguous.
    std::vector<std::string> resolveLayerPath(const std::string& nameOrPath) const;
    Layer& layerAt(const std::vector<std::string>& path) const;

    // --- running ---
    // Runs a batch (first axis = samples) on up to `threads` threads (0 = all cores). Stops at
    // the layer `stopAt` (a resolved path) if given. Same numbers for any thread count.
    Tensor predict(const Tensor& input, int threads = 0, const std::vector<std::string>& stopAt = {}) const;
    // Forward on one batch up to the layer named by path[depth..] (all of the model if empty).
    Tensor forwardUntil(const std::vector<const Tensor*>& inputs, const std::vector<std::string>& path,
                        size_t depth = 0) const;

private:
    std::vector<std::unique_ptr<Layer>> layers_;
    std::vector<Node> nodes_;
    std::vector<int> inputNodes_, outputNodes_;
};

}  // namespace flipscope
