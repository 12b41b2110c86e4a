#pragma once
// The text shown for one bit (grid tooltip, inspector): where it is, the weight, its code and
// bits, what the weight becomes when the bit flips, and the current colouring's value.
#include "core/faults/bit_colouring.h"
#include "core/faults/bit_flip.h"

#include <QString>

#include <optional>

namespace flipscope::ui {

// "S (sign, MSB)", "b4", "b0 (LSB)".
QString bitName(const FlippableTensor& tensor, int bit);
// "12  [0, 1, 0, 4]"
QString indexText(const FlippableTensor& tensor, int64_t index);
// The code's bits MSB first, with the addressed bit bracketed: "00[1]101".
QString markedWord(const std::string& word, int bits, int bit);

QString bitToolTip(const FlippableTensor& tensor, const BitRef& ref, const std::optional<BitState>& state,
                   const BitColouring* colouring);

}  // namespace flipscope::ui
