#include "core/faults/basic_colourings.h"

#include <algorithm>
#include <cmath>

namespace flipscope {

static int maxBits(const std::vector<FlippableTensor>& tensors) {
    int bits = 1;
    for (const auto& t : tensors) bits = std::max(bits, t.bits);
    return bits;
}

ModelBitColouring::ModelBitColouring(const BitAccess& access) : access_(access) {}

double BitValueColouring::value(const BitRef& bit) const {
    const LayerParameter& p = param(bit.tensor);
    return static_cast<double>((p.codec.wordOf(p.codec.codeOf(p.effective[bit.index], bit.index)) >> bit.bit) & 1u);
}

void BitValueColouring::parameterValues(int tensor, int64_t index, std::span<double> out) const {
    const LayerParameter& p = param(tensor);
    const uint64_t word = p.codec.wordOf(p.codec.codeOf(p.effective[index], index));
    for (size_t b = 0; b < out.size(); ++b) out[b] = static_cast<double>((word >> b) & 1u);
}

BitValueRange BitPositionColouring::range() const { return {0.0, static_cast<double>(std::max(1, maxBits(tensors()) - 1))}; }

WeightMagnitudeColouring::WeightMagnitudeColouring(const BitAccess& access)
    : ModelBitColouring(access) {
    weightsChanged();
}

double WeightMagnitudeColouring::value(const BitRef& bit) const { return std::fabs(param(bit.tensor).effective[bit.index]); }

void WeightMagnitudeColouring::weightsChanged() {
    double max = 0.0;
    for (int t = 0; t < static_cast<int>(tensors().size()); ++t)
        for (float w : param(t).effective.values()) max = std::max(max, static_cast<double>(std::fabs(w)));
    range_ = {0.0, max > 0.0 ? max : 1.0};
}

FlipDeltaColouring::FlipDeltaColouring(const BitAccess& access) : ModelBitColouring(access) {
    weightsChanged();
}

double FlipDeltaColouring::value(const BitRef& bit) const {
    const LayerParameter& p = param(bit.tensor);
    const float w = p.effective[bit.index];
    return static_cast<double>(p.codec.flippedValue(w, bit.index, bit.bit)) - w;
}

void FlipDeltaColouring::parameterValues(int tensor, int64_t index, std::span<double> out) const {
    const LayerParameter& p = param(tensor);
    const float w = p.effective[index];
    const int64_t code = p.codec.codeOf(w, index);
    for (size_t b = 0; b < out.size(); ++b)
        out[b] = static_cast<double>(p.codec.valueOf(p.codec.flipCode(code, static_cast<int>(b)), index)) - w;
}

void FlipDeltaColouring::weightsChanged() {
    double max = 0.0;
    std::vector<double> row(static_cast<size_t>(maxBits(tensors())));
    for (int t = 0; t < static_cast<int>(tensors().size()); ++t) {
        const auto& tb = tensors()[t];
        std::span<double> out(row.data(), static_cast<size_t>(tb.bits));
        for (int64_t i = 0; i < tb.params; ++i) {
            parameterValues(t, i, out);
            for (double v : out) max = std::max(max, std::fabs(v));
        }
    }
    if (max <= 0.0) max = 1.0;
    range_ = {-max, max};
}

std::vector<std::unique_ptr<BitColouring>> basicColourings(const BitAccess& access) {
    std::vector<std::unique_ptr<BitColouring>> all;
    all.push_back(std::make_unique<BitValueColouring>(access));
    all.push_back(std::make_unique<BitPositionColouring>(access));
    all.push_back(std::make_unique<WeightMagnitudeColouring>(access));
    all.push_back(std::make_unique<FlipDeltaColouring>(access));
    return all;
}

}  // namespace flipscope
