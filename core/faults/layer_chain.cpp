#include "core/faults/layer_chain.h"

#include "core/model/layers/simple_layers.h"

namespace flipscope {
namespace {

bool appendChain(const Model& model, std::vector<Layer*>& chain) {
    if (model.inputNodes().size() != 1 || model.outputNodes().size() != 1) return false;
    int previous = model.inputNodes()[0];
    const auto& nodes = model.nodes();
    for (int n = 0; n < static_cast<int>(nodes.size()); ++n) {
        if (n == model.inputNodes()[0]) continue;
        if (nodes[n].inputs.size() != 1 || nodes[n].inputs[0] != previous) return false;
        Layer* layer = model.layers()[nodes[n].layer].get();
        if (layer->mixesSamples()) return false;
        if (auto* nested = dynamic_cast<Model*>(layer)) {
            if (!appendChain(*nested, chain)) return false;
        } else if (!dynamic_cast<InputLayer*>(layer)) {
            chain.push_back(layer);
        }
        previous = n;
    }
    return previous == model.outputNodes()[0];
}

}  // namespace

std::optional<std::vector<Layer*>> flattenChain(const Model& model) {
    std::vector<Layer*> chain;
    if (!appendChain(model, chain)) return std::nullopt;
    return chain;
}

}  // namespace flipscope
