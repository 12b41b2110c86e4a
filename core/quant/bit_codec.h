#pragma once
// Integer codes and bits of quantized values, and the value after flipping bits.
// A fixed-point quantizer's output is `scale * ((2^integer * code) / 2^unsigned_bits)`; the code is
// stored as a `bits`-wide word: two's complement when the quantizer keeps negatives, unsigned
// otherwise. Flipping bit b (0 = LSB) XORs that word and reinterprets it, exactly as FKeras does
// (reference "econt-and-metrics.md" 3.2; "qkeras-and-keras-h5.md" 1.4).
#include "core/quant/quantizer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flipscope {

class BitCodec {
public:
    BitCodec() = default;
    // `scales` as written by quantize(): one entry, one per channel (last axis), or one per element.
    BitCodec(const QuantizerSpec& spec, std::vector<float> scales);

    int bits() const { return bits_; }
    bool isSigned() const { return signed_; }
    int64_t minCode() const;
    int64_t maxCode() const;

    // The code of a quantized value at flat index `index` (which selects its scale group).
    // Throws if the value is not on the grid.
    int64_t codeOf(float value, int64_t index) const;
    float valueOf(int64_t code, int64_t index) const;

    // The bits-wide word of a code, and back.
    uint64_t wordOf(int64_t code) const;
    int64_t codeOfWord(uint64_t word) const;
    // MSB-first binary string of a code, e.g. "101101".
    std::string bitString(int64_t code) const;

    int64_t flipCode(int64_t code, int bit) const { return codeOfWord(wordOf(code) ^ (uint64_t{1} << bit)); }
    int64_t flipCodeMask(int64_t code, uint64_t mask) const { return codeOfWord(wordOf(code) ^ mask); }
    int64_t stuckAt(int64_t code, int bit, bool one) const;
    float flippedValue(float value, int64_t index, int bit) const {
        return valueOf(flipCode(codeOf(value, index), bit), index);
    }

private:
    float scaleAt(int64_t index) const { return scales_[scales_.size() == 1 ? 0 : index % scales_.size()]; }

    int bits_ = 0;
    bool signed_ = true;
    float mi_ = 1.0f;  // 2^integer
    float m_ = 1.0f;   // 2^unsigned_bits
    std::vector<float> scales_{1.0f};
};

}  // namespace flipscope
