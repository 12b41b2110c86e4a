#include "core/faults/bit_value_table.h"

#include <algorithm>

namespace flipscope {

BitValueTable::BitValueTable(const std::vector<FlippableTensor>& tensors) {
    for (const FlippableTensor& t : tensors) {
        bits_.push_back(t.bits);
        values_.emplace_back(static_cast<size_t>(t.params * t.bits), kNoValue);
    }
}

void BitValueTable::clear() {
    for (auto& v : values_) std::fill(v.begin(), v.end(), kNoValue);
}

std::optional<size_t> BitValueTable::position(const BitRef& ref) const {
    if (ref.tensor < 0 || ref.tensor >= static_cast<int>(values_.size())) return std::nullopt;
    const int bits = bits_[ref.tensor];
    if (ref.bit < 0 || ref.bit >= bits || ref.index < 0) return std::nullopt;
    const size_t i = static_cast<size_t>(ref.index * bits + ref.bit);
    if (i >= values_[ref.tensor].size()) return std::nullopt;
    return i;
}

double BitValueTable::get(const BitRef& ref) const {
    const auto i = position(ref);
    return i ? values_[ref.tensor][*i] : kNoValue;
}

double* BitValueTable::slot(const BitRef& ref) {
    const auto i = position(ref);
    return i ? &values_[ref.tensor][*i] : nullptr;
}

}  // namespace flipscope
