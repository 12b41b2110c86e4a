#include "core/faults/damage_colouring.h"

#include <cmath>

namespace flipscope {

DamageColouring::DamageColouring(const std::vector<FlippableTensor>& tensors) : values_(tensors) {}

void DamageColouring::reset(BitSpaceMapping mapping, bool lowerIsBetter, const std::string& metric) {
    mapping_ = std::move(mapping);
    lowerIsBetter_ = lowerIsBetter;
    metric_ = metric;
    values_.clear();
    maxAbs_ = 0.0;
    measured_ = 0;
}

void DamageColouring::add(const std::vector<FaultResult>& results) {
    for (const FaultResult& r : results) {
        if (r.tensor < 0) continue;  // a multi-bit (BER) trial
        const auto ref = mapping_.toBitRef(r.tensor, r.param, r.bit);
        double* slot = ref ? values_.slot(*ref) : nullptr;
        if (!slot) continue;
        if (std::isnan(*slot)) ++measured_;
        *slot = lowerIsBetter_ ? r.delta : -r.delta;
        if (std::isfinite(*slot)) maxAbs_ = std::max(maxAbs_, std::fabs(*slot));
    }
}

std::string DamageColouring::description() const {
    const std::string metric = metric_.empty() ? "the metric" : metric_;
    return "change of " + metric + " when the bit flipped, as measured by the campaign (positive = worse); "
           "grey = not measured";
}

BitValueRange DamageColouring::range() const {
    const double top = maxAbs_ > 0.0 ? maxAbs_ : 1.0;
    return {-top, top};
}

double DamageColouring::value(const BitRef& bit) const { return values_.get(bit); }

}  // namespace flipscope
