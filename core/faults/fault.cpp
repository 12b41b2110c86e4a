#include "core/faults/fault.h"

#include <algorithm>
#include <set>

namespace flipscope {

float faultyValue(const BoundTensor& tensor, int64_t index, float value, const std::vector<BitFault>& bits) {
    const BitCodec& codec = tensor.parameter->codec;
    int64_t code = codec.codeOf(value, index);
    for (const BitFault& b : bits) {
        switch (b.kind) {
        case FaultKind::Flip: code = codec.flipCode(code, b.address.bit); break;
        case FaultKind::StuckAt0: code = codec.stuckAt(code, b.address.bit, false); break;
        case FaultKind::StuckAt1: code = codec.stuckAt(code, b.address.bit, true); break;
        }
    }
    return codec.valueOf(code, index);
}

FaultUndo applyFault(const std::vector<BoundTensor>& tensors, const Fault& fault) {
    FaultUndo undo;
    // Group the bits per weight so that several bits of one weight act on one code.
    std::set<std::pair<int, int64_t>> weights;
    for (const BitFault& b : fault.bits) weights.insert({b.address.tensor, b.address.index});
    std::set<Layer*> touched;
    for (const auto& [tensor, index] : weights) {
        std::vector<BitFault> bits;
        for (const BitFault& b : fault.bits)
            if (b.address.tensor == tensor && b.address.index == index) bits.push_back(b);
        const BoundTensor& bound = tensors.at(tensor);
        float& value = bound.parameter->effective[index];
        undo.changes.push_back({tensor, index, value});
        value = faultyValue(bound, index, value, bits);
        touched.insert(bound.layer);
    }
    for (Layer* layer : touched) layer->onEffectiveChanged();
    return undo;
}

void undoFault(const std::vector<BoundTensor>& tensors, const FaultUndo& undo) {
    std::set<Layer*> touched;
    for (auto it = undo.changes.rbegin(); it != undo.changes.rend(); ++it) {
        tensors.at(it->tensor).parameter->effective[it->index] = it->original;
        touched.insert(tensors.at(it->tensor).layer);
    }
    for (Layer* layer : touched) layer->onEffectiveChanged();
}

}  // namespace flipscope
