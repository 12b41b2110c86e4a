#pragma once
// A model whose layers (nested models flattened) run strictly one after another, each feeding
// only the next: the ECON-T autoencoders, most classifiers. The fast campaign engine works on
// such chains; any other graph runs on the reference engine.
#include "core/model/activation.h"
#include "core/model/model.h"

#include <optional>
#include <vector>

namespace flipscope {

// The leaf layers in execution order (InputLayers left out), or nullopt if the model is not a
// chain or some layer mixes samples of a batch.
std::optional<std::vector<Layer*>> flattenChain(const Model& model);

// The activations a Dense or Conv2D unit goes through right after chain layer `position`: the
// layer's own activation, then those of the following activation layers that act on each value
// alone. Empty (and `last` untouched) when the layer's own activation mixes values (softmax,
// auto-scaled quantizers). `last` becomes the chain position whose clean output the unit's
// values are compared with.
std::vector<const Activation*> unitActivations(const std::vector<Layer*>& chain, size_t position, size_t& last);

}  // namespace flipscope
