#include "core/faults/bit_space.h"

#include "core/common/error.h"

#include <algorithm>

namespace flipscope {

BitSpace::BitSpace(const Model& model, const BitSpaceFilter& filter) {
    std::set<std::string> layerPaths;
    for (const std::string& name : filter.layers) layerPaths.insert(joinLayerPath(model.resolveLayerPath(name)));
    model.visit([&](const std::string& path, Layer& layer) {
        // A selected nested model selects everything inside it.
        const bool selected =
            layerPaths.empty() || std::any_of(layerPaths.begin(), layerPaths.end(), [&](const std::string& p) {
                return path == p || path.rfind(p + "/", 0) == 0;
            });
        if (!selected) return;
        for (const auto& p : layer.parameters()) {
            if (!p.isFlippable()) continue;
            if (!filter.tensors.empty() && !filter.tensors.count(p.name)) continue;
            BitSpaceTensor t;
            t.layerPath = path;
            t.tensor = p.name;
            t.params = p.effective.size();
            t.bitWidth = p.quantizer->bits;
            if (!p.effective.shape().empty() && p.effective.shape().back() > 0 &&
                t.params % p.effective.shape().back() == 0)
                t.units = p.effective.shape().back();
            for (int b = t.bitWidth - 1; b >= 0; --b)
                if (filter.bitPositions.empty() || filter.bitPositions.count(b)) t.bits.push_back(b);
            if (t.bits.empty() || t.params == 0) continue;
            t.offset = size_;
            size_ += t.size();
            tensors_.push_back(std::move(t));
        }
    });
    if (tensors_.empty())
        throw InputError("no flippable bits selected: the model has no fixed-point quantized tensor matching the "
                         "layer, tensor and bit filters");
}

BitSpace::BitSpace(std::vector<BitSpaceTensor> tensors) : tensors_(std::move(tensors)) {
    for (BitSpaceTensor& t : tensors_) {
        if (t.bits.empty() || t.params <= 0)
            throw InputError("bit space tensor " + t.layerPath + " " + t.tensor + " has no bits");
        if (t.units <= 0 || t.params % t.units != 0)
            throw InputError("bit space tensor " + t.layerPath + " " + t.tensor + ": " + std::to_string(t.params) +
                             " parameters do not split into units of " + std::to_string(t.units));
        t.offset = size_;
        size_ += t.size();
    }
}

int64_t BitSpace::globalIndex(const BitAddress& a) const {
    const BitSpaceTensor& t = tensors_.at(a.tensor);
    const auto pos = std::find(t.bits.begin(), t.bits.end(), a.bit);
    if (pos == t.bits.end() || a.index < 0 || a.index >= t.params)
        throw InputError("bit " + describe(a) + " is not in the selected bit space");
    return t.offset + a.index * static_cast<int64_t>(t.bits.size()) + (pos - t.bits.begin());
}

BitAddress BitSpace::address(int64_t global) const {
    if (global < 0 || global >= size_) throw InputError("global bit index " + std::to_string(global) + " is out of range");
    auto it = std::upper_bound(tensors_.begin(), tensors_.end(), global,
                               [](int64_t g, const BitSpaceTensor& t) { return g < t.offset; });
    const int tensor = static_cast<int>(it - tensors_.begin()) - 1;
    const BitSpaceTensor& t = tensors_[tensor];
    const int64_t local = global - t.offset;
    const int64_t width = static_cast<int64_t>(t.bits.size());
    return {tensor, local / width, t.bits[local % width]};
}

int BitSpace::findTensor(const std::string& layerPath, const std::string& tensor) const {
    for (size_t i = 0; i < tensors_.size(); ++i)
        if (tensors_[i].layerPath == layerPath && tensors_[i].tensor == tensor) return static_cast<int>(i);
    return -1;
}

std::string BitSpace::describe(const BitAddress& a) const {
    if (a.tensor < 0 || a.tensor >= static_cast<int>(tensors_.size())) return "tensor #" + std::to_string(a.tensor);
    const BitSpaceTensor& t = tensors_[a.tensor];
    return t.layerPath + " " + t.tensor + "[" + std::to_string(a.index) + "] bit " + std::to_string(a.bit);
}

std::vector<BoundTensor> bindBitSpace(const BitSpace& space, Model& model) {
    std::vector<BoundTensor> bound;
    for (const BitSpaceTensor& t : space.tensors()) {
        Layer& layer = model.layerAt(splitLayerPath(t.layerPath));
        LayerParameter* p = layer.parameter(t.tensor);
        if (!p || p->effective.size() != t.params || !p->isFlippable())
            throw InputError("the model does not match the bit space at " + t.layerPath + " " + t.tensor);
        bound.push_back({&layer, p});
    }
    return bound;
}

}  // namespace flipscope
