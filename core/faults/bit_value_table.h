#pragma once
// One double per bit of a model's flippable tensors, NaN ("no value") until set: the storage
// behind colourings whose values come from outside the model (campaign results, rankings).
#include "core/faults/flippable_tensors.h"

#include <limits>
#include <optional>
#include <vector>

namespace flipscope {

class BitValueTable {
public:
    static constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

    BitValueTable() = default;
    explicit BitValueTable(const std::vector<FlippableTensor>& tensors);

    void clear();  // every bit back to "no value"
    // The value of a bit; NaN for bits without one or outside the tensors.
    double get(const BitRef& ref) const;
    // The slot of a bit, or null outside the tensors.
    double* slot(const BitRef& ref);

private:
    std::optional<size_t> position(const BitRef& ref) const;  // into values_[ref.tensor]

    std::vector<int> bits_;                    // per tensor: code width
    std::vector<std::vector<double>> values_;  // per tensor: params x bits, bit b at [index * bits + b]
};

}  // namespace flipscope
