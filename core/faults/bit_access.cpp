#include "core/faults/bit_access.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>

namespace flipscope {

BitAccess::BitAccess(Model& model) : tensors_(flippableTensors(model)) {
    for (const auto& t : tensors_) {
        Layer& layer = model.layerAt(model.resolveLayerPath(t.layerPath));
        params_.push_back({&layer, layer.parameter(t.tensor)});
    }
}

float BitAccess::maxAbsWeight() const {
    float max = 0.0f;
    for (const auto& b : params_)
        for (float w : b.parameter->effective.values()) max = std::max(max, std::fabs(w));
    return max;
}

bool BitAccess::contains(const BitRef& ref) const {
    if (ref.tensor < 0 || ref.tensor >= static_cast<int>(tensors_.size())) return false;
    const auto& t = tensors_[ref.tensor];
    return ref.index >= 0 && ref.index < t.params && ref.bit >= 0 && ref.bit < t.bits;
}

void BitAccess::check(const BitRef& ref) const {
    if (!contains(ref))
        throw InputError("bit (tensor " + std::to_string(ref.tensor) + ", index " + std::to_string(ref.index) +
                         ", bit " + std::to_string(ref.bit) + ") is outside the model's flippable tensors");
}

BitState BitAccess::state(const BitRef& ref) const {
    check(ref);
    return bitStateOf(*params_[ref.tensor].parameter, ref.index, ref.bit);
}

BitState BitAccess::flip(const BitRef& ref) {
    check(ref);
    return flipParameterBit(*params_[ref.tensor].layer, *params_[ref.tensor].parameter, ref.index, ref.bit);
}

WeightBit BitAccess::named(const BitRef& ref) const {
    check(ref);
    return {tensors_[ref.tensor].layerPath, tensors_[ref.tensor].tensor, ref.index, ref.bit};
}

std::optional<BitRef> BitAccess::find(const WeightBit& bit) const {
    for (size_t t = 0; t < tensors_.size(); ++t)
        if (tensors_[t].layerPath == bit.layerPath && tensors_[t].tensor == bit.tensor) {
            const BitRef ref{static_cast<int>(t), bit.index, bit.bit};
            if (contains(ref)) return ref;
        }
    return std::nullopt;
}

}  // namespace flipscope
