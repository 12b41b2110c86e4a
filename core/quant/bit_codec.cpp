#include "core/quant/bit_codec.h"

#include "core/common/error.h"

#include <cmath>

namespace flipscope {

BitCodec::BitCodec(const QuantizerSpec& spec, std::vector<float> scales) {
    if (!spec.isFixedPoint())
        throw UnsupportedError(spec.toString() + " has no fixed-point integer codes, so its bits cannot be flipped");
    bits_ = spec.bits;
    signed_ = spec.kind == QuantizerKind::Bits && spec.keepNegative;
    mi_ = std::ldexp(1.0f, spec.integer);
    m_ = std::ldexp(1.0f, spec.bits - (signed_ ? 1 : 0));
    scales_ = scales.empty() ? std::vector<float>{1.0f} : std::move(scales);
}

int64_t BitCodec::minCode() const { return signed_ ? -(int64_t{1} << (bits_ - 1)) : 0; }
int64_t BitCodec::maxCode() const {
    return signed_ ? (int64_t{1} << (bits_ - 1)) - 1 : (int64_t{1} << bits_) - 1;
}

int64_t BitCodec::codeOf(float value, int64_t index) const {
    const double code = std::nearbyint(static_cast<double>(value) * m_ / mi_ / scaleAt(index));
    const auto c = static_cast<int64_t>(code);
    if (c < minCode() || c > maxCode() || valueOf(c, index) != value)
        throw Error("value " + std::to_string(value) + " at index " + std::to_string(index) +
                    " is not on the quantizer's grid");
    return c;
}

float BitCodec::valueOf(int64_t code, int64_t index) const {
    // The same float32 expression as the quantizer's output, so a flipped value is exactly what
    // the hardware word would decode to.
    return scaleAt(index) * ((mi_ * static_cast<float>(code)) / m_);
}

uint64_t BitCodec::wordOf(int64_t code) const {
    const uint64_t mask = bits_ >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits_) - 1;
    return static_cast<uint64_t>(code) & mask;
}

int64_t BitCodec::codeOfWord(uint64_t word) const {
    word = wordOf(static_cast<int64_t>(word));
    if (signed_ && (word >> (bits_ - 1)) & 1) return static_cast<int64_t>(word) - (int64_t{1} << bits_);
    return static_cast<int64_t>(word);
}

std::string BitCodec::bitString(int64_t code) const {
    const uint64_t word = wordOf(code);
    std::string out(bits_, '0');
    for (int b = 0; b < bits_; ++b)
        if ((word >> b) & 1) out[bits_ - 1 - b] = '1';
    return out;
}

int64_t BitCodec::stuckAt(int64_t code, int bit, bool one) const {
    const uint64_t word = wordOf(code);
    const uint64_t mask = uint64_t{1} << bit;
    return codeOfWord(one ? (word | mask) : (word & ~mask));
}

}  // namespace flipscope
