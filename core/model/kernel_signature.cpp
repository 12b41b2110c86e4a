#include "core/model/kernel_signature.h"

namespace flipscope {

void KernelSignature::add(int64_t params, int bitWidth) {
    if (!groups_.empty() && groups_.back().second == bitWidth) groups_.back().first += params;
    else groups_.push_back({params, bitWidth});
}

std::string KernelSignature::toString() const {
    std::string text = "[";
    for (size_t i = 0; i < groups_.size(); ++i)
        text += (i ? ", (" : "(") + std::to_string(groups_[i].first) + ", " + std::to_string(groups_[i].second) + ")";
    return text + "]";
}

}  // namespace flipscope
