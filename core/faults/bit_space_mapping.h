#pragma once
// The one translation between the two ways bits are addressed: a campaign's or a ranking's bit
// space (bit_space.h: selected tensors, dense global index, as stored in results and ranking
// files; bit_space_json.h reads a results file's) and the GUI's flippable tensors
// (flippable_tensors.h: BitRef). Tensors are matched by layer path, tensor name and size, so a
// results file written by the CLI maps onto the model the GUI opened. Bits outside the other side
// (another selection, another model) map to nothing.
#include "core/faults/bit_space.h"
#include "core/faults/flippable_tensors.h"

#include <optional>
#include <vector>

namespace flipscope {

class BitSpaceMapping {
public:
    BitSpaceMapping() = default;
    BitSpaceMapping(BitSpace space, const std::vector<FlippableTensor>& tensors);

    // A bit of the bit space (tensor index into the space, flat index, bit with 0 = LSB).
    std::optional<BitRef> toBitRef(int spaceTensor, int64_t index, int bit) const;
    std::optional<BitRef> toBitRef(int64_t globalIndex) const;
    // The bit space's global index of a GUI bit, when it is in the bit space.
    std::optional<int64_t> toGlobal(const BitRef& ref) const;

private:
    BitSpace space_;
    std::vector<int> flippableOf_;  // per space tensor: index into the flippable tensors, or -1
    std::vector<int> spaceOf_;      // per flippable tensor: index into the space, or -1
};

// Global indices of one bit space (`from`) re-expressed in another (`to`) through the GUI's bits,
// in the same order; bits missing from `to` are dropped. Rankings computed over one selection are
// used as a campaign order or compared with the results of another this way.
std::vector<int64_t> translateGlobalIndices(const std::vector<int64_t>& order, const BitSpaceMapping& from,
                                            const BitSpaceMapping& to);

}  // namespace flipscope
