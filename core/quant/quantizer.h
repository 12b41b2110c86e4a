#pragma once
// QKeras quantizers with QKeras's exact float32 semantics: quantized_bits (alpha None, a number
// or per-channel numbers, "auto", "auto_po2"), quantized_relu and quantized_po2.
// Formulas: shared reference "qkeras-and-keras-h5.md", sections 1 and 2.
#include "core/model/tensor.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace flipscope {

enum class QuantizerKind { Bits, Relu, Po2 };

// How quantized_bits scales its grid.
enum class AlphaMode {
    None,     // alpha=None: plain fixed point
    Fixed,    // alpha = a number (1 means "no scaling") or one number per output channel
    Auto,     // alpha="auto": per-channel float scale from the max
    AutoPo2,  // alpha="auto_po2": per-channel power-of-two scale, least-squares refined
};

struct QuantizerSpec {
    QuantizerKind kind = QuantizerKind::Bits;
    int bits = 8;
    int integer = 0;
    bool symmetric = false;      // quantized_bits
    bool keepNegative = true;    // quantized_bits
    AlphaMode alpha = AlphaMode::None;
    std::vector<float> alphaValues;  // AlphaMode::Fixed: one value, or one per channel (last axis)
    float qnoiseFactor = 1.0f;
    std::optional<float> maxValue;  // quantized_po2
    bool quadraticApproximation = false;  // quantized_po2

    // QKeras's compact string form, e.g. "quantized_bits(6,0,alpha=1)".
    std::string toString() const;
    // True for quantizers whose values are integer codes on a fixed-point grid (bit-flippable).
    bool isFixedPoint() const;
    bool operator==(const QuantizerSpec&) const = default;
};

// Applies the quantizer to `values` in place. `shape` gives the axes for per-channel scales
// (the last axis is the channel axis, as QKeras reduces over all others). If `scalesOut` is given,
// fixed-point quantizers write the multiplier s of each scale group such that every output is
// exactly `s * ((2^integer * code) / 2^unsigned_bits)` for its integer code: one entry (all
// elements), one per channel of the last axis, or one per element (auto_po2 on a vector).
// The bit codec uses these to turn values into codes and back.
void quantize(const QuantizerSpec& spec, std::span<float> values, const Shape& shape,
              std::vector<float>* scalesOut = nullptr);

// Convenience for one value (no per-channel state; not for auto/auto_po2).
float quantizeScalar(const QuantizerSpec& spec, float x);

// quantized_relu value by value, without the SIMD form quantize uses where the CPU has AVX2 (for
// the tests that check both agree bit for bit).
void quantizeReluReference(const QuantizerSpec& spec, std::span<float> values);

}  // namespace flipscope
