#pragma once
// Per-bit values that the GUI colours the bit grid by. Each provider answers, for every bit of the
// model's flippable tensors (flippable_tensors.h), one double, plus the range of its values and whether they are signed (a diverging
// colour map centred on zero) or not. The basic providers (bit value, bit position, |weight|,
// weight change on a flip) are in basic_colourings.h; rankings and campaign results plug in
// through the same interface.
#include "core/faults/flippable_tensors.h"

#include <span>
#include <string>

namespace flipscope {

struct BitValueRange {
    double min = 0.0;
    double max = 1.0;
};

class BitColouring {
public:
    virtual ~BitColouring() = default;

    virtual std::string name() const = 0;         // short, for a menu: "|weight|"
    virtual std::string description() const = 0;  // one sentence: what a value means, its unit
    // Values straddle zero and their sign matters (show them with a diverging map).
    virtual bool isSigned() const { return false; }
    // Only a few distinct values (e.g. 0 and 1): show them as flat classes, not as a gradient.
    virtual bool isDiscrete() const { return false; }
    virtual BitValueRange range() const = 0;
    // The value of one bit (bit 0 = LSB). NaN means "no value" (drawn neutral).
    virtual double value(const BitRef& bit) const = 0;
    // The values of all bits of one parameter, out[b] for bit b (out.size() == the tensor's bits).
    // Override when a parameter's bits share work.
    virtual void parameterValues(int tensor, int64_t index, std::span<double> out) const {
        for (size_t b = 0; b < out.size(); ++b) out[b] = value({tensor, index, static_cast<int>(b)});
    }
    // Called after the model's weights changed (a flip, a reset): refresh ranges and caches.
    virtual void weightsChanged() {}
};

}  // namespace flipscope
