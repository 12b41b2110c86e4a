#include "core/faults/rank_colouring.h"

namespace flipscope {

RankColouring::RankColouring(std::string method, const std::vector<int64_t>& order, const BitSpaceMapping& mapping,
                             const std::vector<FlippableTensor>& tensors)
    : method_(std::move(method)), values_(tensors) {
    const double last = order.size() > 1 ? static_cast<double>(order.size() - 1) : 1.0;
    for (size_t rank = 0; rank < order.size(); ++rank)
        if (const auto ref = mapping.toBitRef(order[rank]))
            if (double* slot = values_.slot(*ref)) *slot = 1.0 - static_cast<double>(rank) / last;
}

std::string RankColouring::description() const {
    return "place in the " + method_ + " ranking: 1 = most sensitive bit, 0 = least; grey = not ranked";
}

double RankColouring::value(const BitRef& bit) const { return values_.get(bit); }

}  // namespace flipscope
