// BitCodec: integer codes, bit strings and bit flips of quantized values, checked against FKeras's
// range() tables (reference "qkeras-and-keras-h5.md" 1.4) and the 2023 FKeras flip arithmetic
// (reference "econt-and-metrics.md" 3.2), for signed, unsigned and auto_po2-scaled quantizers.
#include "core/common/error.h"
#include "core/quant/bit_codec.h"
#include "core/quant/quantizer.h"
#include "core/quant/quantizer_parse.h"

#include <QtTest>

#include <cmath>
#include <vector>

using namespace flipscope;

namespace {

QuantizerSpec parse(const std::string& text) { return parseQuantizerString(text, {"test", "quantizer"}); }

// A codec for a quantizer without per-channel state (scale 1), as Layer::quantizeEffective makes it.
BitCodec codecFor(const std::string& quantizer) {
    const QuantizerSpec spec = parse(quantizer);
    std::vector<float> scales;
    float probe = 0.0f;
    quantize(spec, std::span<float>(&probe, 1), Shape{1}, &scales);
    return BitCodec(spec, scales);
}

// FKeras's range(): the value of each unsigned word 0..2^bits-1 of a signed quantizer.
std::vector<float> rangeTable(const BitCodec& codec) {
    std::vector<float> out;
    for (uint64_t word = 0; word < (uint64_t{1} << codec.bits()); ++word)
        out.push_back(codec.valueOf(codec.codeOfWord(word), 0));
    return out;
}

}  // namespace

class TestBitCodec : public QObject {
    Q_OBJECT
private slots:
    void rangeTableBits4Integer0() {
        // Reference 1.4: bits=4, integer=0 -> step 2^(0-4+1) = 1/8, indexed by the unsigned word.
        const BitCodec codec = codecFor("quantized_bits(4,0,alpha=1)");
        QCOMPARE(rangeTable(codec), (std::vector<float>{0, .125f, .25f, .375f, .5f, .625f, .75f, .875f, -1, -.875f,
                                                        -.75f, -.625f, -.5f, -.375f, -.25f, -.125f}));
        QCOMPARE(codec.minCode(), int64_t(-8));
        QCOMPARE(codec.maxCode(), int64_t(7));
        QVERIFY(codec.isSigned());
    }

    void rangeTableBits3Integer1() {
        // Reference 1.4: bits=3, integer=1 -> step 0.5: [0, .5, 1, 1.5, -2, -1.5, -1, -.5].
        const BitCodec codec = codecFor("quantized_bits(3,1,alpha=1)");
        QCOMPARE(rangeTable(codec), (std::vector<float>{0, .5f, 1, 1.5f, -2, -1.5f, -1, -.5f}));
    }

    void codeOfEveryGridValueRoundTrips() {
        // Every value the quantizer can output has exactly its code, and the word of that code
        // is the table index FKeras uses: k = (v / step) mod 2^bits.
        const BitCodec codec = codecFor("quantized_bits(6,1,alpha=1)");  // step 2^(1-6+1) = 1/16
        for (int64_t code = -32; code <= 31; ++code) {
            const float value = static_cast<float>(code) / 16.0f;
            QCOMPARE(codec.valueOf(code, 0), value);
            QCOMPARE(codec.codeOf(value, 0), code);
            QCOMPARE(codec.wordOf(code), static_cast<uint64_t>((code + 64) % 64));
        }
    }

    void codeOfRejectsOffGridValues() {
        const BitCodec codec = codecFor("quantized_bits(6,1,alpha=1)");
        QVERIFY_THROWS_EXCEPTION(Error, codec.codeOf(0.03f, 0));   // between 0 and 1/16
        QVERIFY_THROWS_EXCEPTION(Error, codec.codeOf(2.0f, 0));    // beyond the largest value 31/16
        QVERIFY_THROWS_EXCEPTION(Error, codec.codeOf(-2.0625f, 0));  // below -2
    }

    void bitStringIsMsbFirst() {
        const BitCodec codec = codecFor("quantized_bits(6,1,alpha=1)");
        QCOMPARE(codec.bitString(5), std::string("000101"));
        QCOMPARE(codec.bitString(-1), std::string("111111"));
        QCOMPARE(codec.bitString(-32), std::string("100000"));
        QCOMPARE(codec.bitString(31), std::string("011111"));
        QCOMPARE(codec.bitString(-10), std::string("110110"));  // 64 - 10 = 54 = 0b110110
        const BitCodec unsignedCodec = codecFor("quantized_relu(4,0)");
        QCOMPARE(unsignedCodec.bitString(9), std::string("1001"));
        QCOMPARE(unsignedCodec.bitString(15), std::string("1111"));
    }

    void everyFlipMatchesFKerasArithmetic() {
        // Reference econt-and-metrics 3.2: for b < bits-1, k' = k XOR 2^b; for the sign bit,
        // k' = k - 2^(bits-1) if k >= 0 else k + 2^(bits-1); value' = k' / 2^s with s = bits-integer-1.
        const int bits = 6;
        const BitCodec codec = codecFor("quantized_bits(6,1,alpha=1)");
        int checked = 0;
        for (int64_t k = -32; k <= 31; ++k) {
            for (int b = 0; b < bits; ++b) {
                int64_t expected;
                if (b < bits - 1) expected = k ^ (int64_t{1} << b);  // int64 XOR on the sign-extended code
                else expected = k >= 0 ? k - 32 : k + 32;
                QCOMPARE(codec.flipCode(k, b), expected);
                const float value = static_cast<float>(k) / 16.0f;
                QCOMPARE(codec.flippedValue(value, 0, b), static_cast<float>(expected) / 16.0f);
                // A flip is its own inverse.
                QCOMPARE(codec.flipCode(expected, b), k);
                ++checked;
            }
        }
        QCOMPARE(checked, 64 * 6);
        // Two bits at once with a mask: sign and LSB of 5 (000101 -> 100100 = -28).
        QCOMPARE(codec.flipCodeMask(5, 0b100001), int64_t(-28));
    }

    void unsignedFlips() {
        // quantized_relu(4,2): no sign bit, codes 0..15, step 2^(2-4) = 0.25.
        const BitCodec relu = codecFor("quantized_relu(4,2)");
        QVERIFY(!relu.isSigned());
        QCOMPARE(relu.minCode(), int64_t(0));
        QCOMPARE(relu.maxCode(), int64_t(15));
        for (int64_t k = 0; k <= 15; ++k)
            for (int b = 0; b < 4; ++b) QCOMPARE(relu.flipCode(k, b), k ^ (int64_t{1} << b));
        QCOMPARE(relu.codeOf(3.75f, 0), int64_t(15));
        QCOMPARE(relu.flippedValue(3.75f, 0, 3), 1.75f);  // 15 -> 7
        QCOMPARE(relu.flippedValue(0.0f, 0, 3), 2.0f);    // 0 -> 8
        // quantized_bits with keep_negative=0: unsigned too, step 2^(0-4) = 1/16.
        const BitCodec positive = codecFor("quantized_bits(4,0,keep_negative=0,alpha=1)");
        QVERIFY(!positive.isSigned());
        QCOMPARE(positive.codeOf(0.9375f, 0), int64_t(15));
        QCOMPARE(positive.flippedValue(0.9375f, 0, 3), 0.4375f);  // 15 -> 7
        QCOMPARE(positive.flippedValue(0.0625f, 0, 3), 0.5625f);  // 1 -> 9
    }

    void stuckAt() {
        const BitCodec codec = codecFor("quantized_bits(6,1,alpha=1)");
        QCOMPARE(codec.stuckAt(5, 1, true), int64_t(7));     // 000101 -> 000111
        QCOMPARE(codec.stuckAt(5, 0, false), int64_t(4));    // 000101 -> 000100
        QCOMPARE(codec.stuckAt(5, 2, true), int64_t(5));     // already 1: unchanged
        QCOMPARE(codec.stuckAt(5, 1, false), int64_t(5));    // already 0: unchanged
        QCOMPARE(codec.stuckAt(5, 5, true), int64_t(-27));   // 100101 = 37 - 64
        QCOMPARE(codec.stuckAt(-1, 5, false), int64_t(31));  // 111111 -> 011111
        const BitCodec relu = codecFor("quantized_relu(4,0)");
        QCOMPARE(relu.stuckAt(0, 3, true), int64_t(8));
    }

    void autoPo2PerChannelScales() {
        // Reference 1.5: kernel W[3,2] under quantized_bits(4,0,alpha='auto_po2'): column scales
        // [2^-5, 2^-7], outputs [[0.21875, -0.046875], [-0.125, 0.0078125], [0.0625, 0.0234375]],
        // codes [[7, -6], [-4, 1], [2, 3]]. quantize() reports s = scale * m (m = 2^3), and
        // value = s * ((mi * code) / m).
        const QuantizerSpec spec = parse("quantized_bits(4,0,alpha='auto_po2')");
        std::vector<float> w = {0.30f, -0.05f, -0.12f, 0.011f, 0.07f, 0.02f};
        std::vector<float> scales;
        quantize(spec, w, Shape{3, 2}, &scales);
        QCOMPARE(w, (std::vector<float>{0.21875f, -0.046875f, -0.125f, 0.0078125f, 0.0625f, 0.0234375f}));
        QCOMPARE(scales, (std::vector<float>{0.03125f * 8, 0.0078125f * 8}));
        const BitCodec codec(spec, scales);
        const std::vector<int64_t> codes = {7, -6, -4, 1, 2, 3};
        for (int64_t i = 0; i < 6; ++i) {
            QCOMPARE(codec.codeOf(w[i], i), codes[i]);
            QCOMPARE(codec.valueOf(codes[i], i), scales[i % 2] * ((1.0f * codes[i]) / 8.0f));
        }
        // Flipping the sign bit of code 7 in column 0 gives -1 step of 2^-5; the LSB of code 1 in
        // column 1 gives 0.
        QCOMPARE(codec.flippedValue(w[0], 0, 3), -0.03125f);
        QCOMPARE(codec.flippedValue(w[3], 3, 0), 0.0f);
    }

    void autoPo2PerElementScalesOnVectors() {
        // Reference 1.5: b = [0.5, -0.26, 0.1] -> per-element scales (all 0.0625), [0.4375, -0.25, 0.125].
        const QuantizerSpec spec = parse("quantized_bits(4,0,alpha='auto_po2')");
        std::vector<float> b = {0.5f, -0.26f, 0.1f};
        std::vector<float> scales;
        quantize(spec, b, Shape{3}, &scales);
        QCOMPARE(b, (std::vector<float>{0.4375f, -0.25f, 0.125f}));
        QCOMPARE(scales.size(), size_t(3));
        const BitCodec codec(spec, scales);
        QCOMPARE(codec.codeOf(b[0], 0), int64_t(7));
        QCOMPARE(codec.codeOf(b[1], 1), int64_t(-4));
        QCOMPARE(codec.codeOf(b[2], 2), int64_t(2));
    }

    void fixedAlphaScalesValues() {
        // alpha=0.5 (a number): value = 0.5 * (code * step); step 1/8 for quantized_bits(4,0).
        const QuantizerSpec spec = parse("quantized_bits(4,0,alpha=0.5)");
        std::vector<float> v = {0.3f};  // 0.3*8 = 2.4 -> 2 -> 0.25 * 0.5 = 0.125
        std::vector<float> scales;
        quantize(spec, v, Shape{1}, &scales);
        QCOMPARE(v[0], 0.125f);
        const BitCodec codec(spec, scales);
        QCOMPARE(codec.codeOf(0.125f, 0), int64_t(2));
        QCOMPARE(codec.flippedValue(0.125f, 0, 3), -0.375f);  // 2 -> -6 -> -6/8 * 0.5
    }

    void nonFixedPointQuantizersAreUnsupported() {
        QVERIFY_THROWS_EXCEPTION(UnsupportedError, BitCodec(parse("quantized_po2(4,1)"), {}));
        QVERIFY_THROWS_EXCEPTION(UnsupportedError, BitCodec(parse("quantized_bits(1,0)"), {}));  // binary
        try {
            BitCodec(parse("quantized_po2(4,1)"), {});
        } catch (const UnsupportedError& e) {
            QVERIFY2(std::string(e.what()).find("quantized_po2") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestBitCodec)
#include "tst_bit_codec.moc"
