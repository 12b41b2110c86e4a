#pragma once
// Every effective weight of a model, flattened in visit order: tests compare two of these to see
// that a flip changed exactly one weight, or that nothing changed the user's model.
#include "core/model/model.h"

#include <vector>

namespace flipscope::test {

inline std::vector<float> allWeights(const Model& model) {
    std::vector<float> out;
    model.visit([&](const std::string&, Layer& layer) {
        for (const auto& p : layer.parameters()) out.insert(out.end(), p.effective.values().begin(), p.effective.values().end());
    });
    return out;
}

}  // namespace flipscope::test
