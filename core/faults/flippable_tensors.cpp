#include "core/faults/flippable_tensors.h"

namespace flipscope {

std::vector<FlippableTensor> flippableTensors(const Model& model) {
    std::vector<FlippableTensor> tensors;
    model.visit([&](const std::string& path, Layer& layer) {
        for (const auto& p : layer.parameters()) {
            if (!p.isFlippable()) continue;
            FlippableTensor t;
            t.layerPath = path;
            t.tensor = p.name;
            t.shape = p.shape;
            t.quantizer = p.quantizer->toString();
            t.bits = p.codec.bits();
            t.isSigned = p.codec.isSigned();
            t.params = p.effective.size();
            tensors.push_back(std::move(t));
        }
    });
    return tensors;
}

std::vector<int64_t> unflattenIndex(int64_t flat, const Shape& shape) {
    std::vector<int64_t> index(shape.size(), 0);
    for (size_t i = shape.size(); i-- > 0;) {
        if (shape[i] <= 0) continue;
        index[i] = flat % shape[i];
        flat /= shape[i];
    }
    return index;
}

}  // namespace flipscope
