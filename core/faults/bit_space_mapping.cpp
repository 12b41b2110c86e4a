#include "core/faults/bit_space_mapping.h"

#include <algorithm>

namespace flipscope {

BitSpaceMapping::BitSpaceMapping(BitSpace space, const std::vector<FlippableTensor>& tensors)
    : space_(std::move(space)), flippableOf_(space_.tensors().size(), -1), spaceOf_(tensors.size(), -1) {
    const auto& selected = space_.tensors();
    for (size_t s = 0; s < selected.size(); ++s)
        for (size_t f = 0; f < tensors.size(); ++f)
            if (tensors[f].layerPath == selected[s].layerPath && tensors[f].tensor == selected[s].tensor &&
                tensors[f].params == selected[s].params) {
                flippableOf_[s] = static_cast<int>(f);
                spaceOf_[f] = static_cast<int>(s);
            }
}

std::optional<BitRef> BitSpaceMapping::toBitRef(int spaceTensor, int64_t index, int bit) const {
    if (spaceTensor < 0 || spaceTensor >= static_cast<int>(flippableOf_.size())) return std::nullopt;
    const int f = flippableOf_[spaceTensor];
    if (f < 0 || index < 0 || index >= space_.tensors()[spaceTensor].params) return std::nullopt;
    return BitRef{f, index, bit};
}

std::optional<BitRef> BitSpaceMapping::toBitRef(int64_t global) const {
    if (global < 0 || global >= space_.size()) return std::nullopt;
    const BitAddress a = space_.address(global);
    return toBitRef(a.tensor, a.index, a.bit);
}

std::optional<int64_t> BitSpaceMapping::toGlobal(const BitRef& ref) const {
    if (ref.tensor < 0 || ref.tensor >= static_cast<int>(spaceOf_.size()) || spaceOf_[ref.tensor] < 0) return std::nullopt;
    const BitSpaceTensor& t = space_.tensors()[spaceOf_[ref.tensor]];
    if (ref.index < 0 || ref.index >= t.params || std::find(t.bits.begin(), t.bits.end(), ref.bit) == t.bits.end())
        return std::nullopt;
    return space_.globalIndex({spaceOf_[ref.tensor], ref.index, ref.bit});
}

std::vector<int64_t> translateGlobalIndices(const std::vector<int64_t>& order, const BitSpaceMapping& from,
                                            const BitSpaceMapping& to) {
    std::vector<int64_t> out;
    out.reserve(order.size());
    for (int64_t g : order)
        if (const auto ref = from.toBitRef(g))
            if (const auto target = to.toGlobal(*ref)) out.push_back(*target);
    return out;
}

}  // namespace flipscope
