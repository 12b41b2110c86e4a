#pragma once
// A model whose layers (nested models flattened) run strictly one after another, each feeding
// only the next: the ECON-T autoencoders, most classifiers. The fast campaign engine works on
// such chains; any other graph runs on the reference engine.
#include "core/model/model.h"

#include <optional>
#include <vector>

namespace flipscope {

// The leaf layers in execution order (InputLayers left out), or nullopt if the model is not a
// chain or some layer mixes samples of a batch.
std::optional<std::vector<Layer*>> flattenChain(const Model& model);

}  // namespace flipscope
