#pragma once
// Colours bits by their place in a sensitivity ranking (a bit order, most sensitive first):
// 1 for the first bit, 0 for the last, linearly by rank. Bits the ranking does not cover have
// no value (drawn neutral grey).
#include "core/faults/bit_colouring.h"
#include "core/faults/bit_space_mapping.h"
#include "core/faults/bit_value_table.h"

#include <vector>

namespace flipscope {

class RankColouring : public BitColouring {
public:
    // `order`: global indices of `mapping`'s bit space, most sensitive first.
    RankColouring(std::string method, const std::vector<int64_t>& order, const BitSpaceMapping& mapping,
                  const std::vector<FlippableTensor>& tensors);

    std::string name() const override { return "Ranking: " + method_; }
    std::string description() const override;
    BitValueRange range() const override { return {0.0, 1.0}; }
    double value(const BitRef& bit) const override;

private:
    std::string method_;
    BitValueTable values_;
};

}  // namespace flipscope
