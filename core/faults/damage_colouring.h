#pragma once
// Colours bits by what a campaign measured: the change of the dataset metric when the bit was
// flipped, signed so that positive always means "worse" (whatever the metric's direction).
// Results are added incrementally while a campaign runs; bits not measured (yet) have no value
// (NaN, drawn neutral grey). Only single-bit results colour bits; BER trials flip many at once.
#include "core/faults/bit_colouring.h"
#include "core/faults/bit_space_mapping.h"
#include "core/faults/bit_value_table.h"
#include "core/faults/campaign_result.h"

#include <vector>

namespace flipscope {

class DamageColouring : public BitColouring {
public:
    explicit DamageColouring(const std::vector<FlippableTensor>& tensors);

    // Forgets every value and starts a campaign over `mapping`'s bit space.
    void reset(BitSpaceMapping mapping, bool lowerIsBetter, const std::string& metric);
    void add(const std::vector<FaultResult>& results);
    int64_t measuredCount() const { return measured_; }

    std::string name() const override { return "Measured damage (campaign)"; }
    std::string description() const override;
    bool isSigned() const override { return true; }
    BitValueRange range() const override;
    double value(const BitRef& bit) const override;

private:
    BitValueTable values_;
    BitSpaceMapping mapping_;
    bool lowerIsBetter_ = true;
    std::string metric_;
    double maxAbs_ = 0.0;
    int64_t measured_ = 0;
};

}  // namespace flipscope
