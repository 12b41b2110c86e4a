#pragma once
// A fault = one or more bits of quantized weights changed together: flipped, or stuck at 0/1.
// Faults act on the integer code of a weight exactly as the bit codec defines, through
// LayerParameter::effective, and are undone exactly (the original values are kept).
#include "core/faults/bit_space.h"

#include <vector>

namespace flipscope {

enum class FaultKind { Flip, StuckAt0, StuckAt1 };

struct BitFault {
    BitAddress address;
    FaultKind kind = FaultKind::Flip;
};

struct Fault {
    std::vector<BitFault> bits;
    static Fault singleFlip(const BitAddress& address) { return {{{address, FaultKind::Flip}}}; }
};

// What apply() changed, to restore it.
struct FaultUndo {
    struct Change {
        int tensor;
        int64_t index;
        float original;
    };
    std::vector<Change> changes;
};

// The value a weight takes under the fault's bits that touch it.
float faultyValue(const BoundTensor& tensor, int64_t index, float value, const std::vector<BitFault>& bits);

// Applies the fault to a bound model; several bits of one weight combine on its code.
FaultUndo applyFault(const std::vector<BoundTensor>& tensors, const Fault& fault);
void undoFault(const std::vector<BoundTensor>& tensors, const FaultUndo& undo);

}  // namespace flipscope
