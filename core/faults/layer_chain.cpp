#include "core/faults/layer_chain.h"

#include "core/model/layers/conv2d.h"
#include "core/model/layers/dense.h"
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

// Elementwise activations can be applied to one unit's values alone.
bool isElementwise(const Activation& a) {
    if (a.kind() == Activation::Kind::Softmax) return false;
    const auto& q = a.quantizer();
    return !q || (q->alpha != AlphaMode::Auto && q->alpha != AlphaMode::AutoPo2);
}

const Activation* ownActivationOf(const Layer* layer) {
    if (const auto* dense = dynamic_cast<const DenseLayer*>(layer)) return &dense->activation();
    if (const auto* conv = dynamic_cast<const Conv2DLayer*>(layer)) return &conv->activation();
    return nullptr;
}

}  // namespace

std::vector<const Activation*> unitActivations(const std::vector<Layer*>& chain, size_t position, size_t& last) {
    const Activation* own = ownActivationOf(chain[position]);
    if (!own || !isElementwise(*own)) return {};
    std::vector<const Activation*> activations{own};
    last = position;
    while (last + 1 < chain.size()) {
        const auto* next = dynamic_cast<const ActivationLayer*>(chain[last + 1]);
        if (!next || !isElementwise(next->activation())) break;
        activations.push_back(&next->activation());
        ++last;
    }
    return activations;
}

std::optional<std::vector<Layer*>> flattenChain(const Model& model) {
    std::vector<Layer*> chain;
    if (!appendChain(model, chain)) return std::nullopt;
    return chain;
}

}  // namespace flipscope
