// Known-answer tests of every layer the engine runs: each layer is built from a small Keras JSON
// config, given hand-chosen weights, and its output compared with values worked out by hand in
// the comments (or, for Conv2DTranspose, with a naive scatter written here from the rule of
// reference "qkeras-and-keras-h5.md" 4.6). Also TF padding arithmetic (padding.h) on the
// reference's worked cases, and Model graphs built through buildModelFromConfig.
#include "common/expect_error.h"
#include "core/common/error.h"
#include "core/common/random.h"
#include "core/io/keras_model_config.h"
#include "core/model/layer_factory.h"
#include "core/model/layers/conv2d.h"
#include "core/model/layers/padding.h"
#include "core/model/model.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace flipscope;
using nlohmann::json;

namespace {

// --- fixtures -------------------------------------------------------------------------------

// A layer created from its class and config, built for `inputs` (shapes without the batch axis).
std::unique_ptr<Layer> makeLayer(const std::string& className, json config, const std::vector<Shape>& inputs) {
    auto layer = createLayer(className, config);
    layer->build(inputs);
    return layer;
}

// Stores hand-chosen weights in a declared parameter, as the loader does.
void setWeight(Layer& layer, const std::string& name, std::vector<float> values) {
    LayerParameter* p = layer.parameter(name);
    if (!p) throw std::runtime_error("layer has no parameter " + name);
    p->stored = Tensor(p->shape, std::move(values));
    p->loaded = true;
}

Tensor run(const Layer& layer, const Tensor& x) { return layer.forward({&x}); }
Tensor run(const Layer& layer, const Tensor& a, const Tensor& b) { return layer.forward({&a, &b}); }

// Empty when `got` has exactly `shape` and `expected` (==); else where it first differs.
QString mismatch(const Tensor& got, const Shape& shape, const std::vector<float>& expected, float tolerance = 0.0f) {
    if (got.shape() != shape)
        return QString("shape %1, expected %2")
            .arg(QString::fromStdString(shapeToString(got.shape())), QString::fromStdString(shapeToString(shape)));
    if (got.size() != static_cast<int64_t>(expected.size())) return "expected-value count does not match the shape";
    for (int64_t i = 0; i < got.size(); ++i) {
        const bool same = tolerance == 0.0f ? got[i] == expected[i] : std::fabs(got[i] - expected[i]) <= tolerance;
        if (!same)
            return QString("index %1: got %2, expected %3").arg(i).arg(got[i], 0, 'g', 9).arg(expected[i], 0, 'g', 9);
    }
    return {};
}

#define EXPECT_TENSOR(got, shape, ...)                                                     \
    do {                                                                                   \
        const QString why_ = mismatch((got), (shape), __VA_ARGS__);                       \
        QVERIFY2(why_.isEmpty(), qPrintable(why_));                                        \
    } while (0)

// An in x in single-channel image with value h*in + w + 1 (1, 2, 3, ... row by row).
Tensor ramp(int64_t in) {
    Tensor x({1, in, in, 1});
    for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i + 1);
    return x;
}

json convConfig(int64_t k, int64_t s, const std::string& padding, int64_t filters = 1) {
    return {{"name", "conv"}, {"filters", filters}, {"kernel_size", {k, k}}, {"strides", {s, s}},
            {"padding", padding}, {"activation", "linear"}, {"use_bias", true}};
}

// A single-channel conv with a one-hot kernel at tap (ti, tj) and zero bias.
std::unique_ptr<Layer> impulseConv(int64_t in, int64_t k, int64_t s, const std::string& padding, int64_t ti,
                                   int64_t tj) {
    auto conv = makeLayer("Conv2D", convConfig(k, s, padding), {{in, in, 1}});
    std::vector<float> kernel(k * k, 0.0f);
    kernel[ti * k + tj] = 1.0f;
    setWeight(*conv, "kernel", kernel);
    setWeight(*conv, "bias", {0.0f});
    conv->prepare();
    return conv;
}

std::unique_ptr<Model> modelFromJson(const std::string& text) {
    return buildModelFromConfig(json::parse(text), "test.json");
}

// Deterministic inputs on a 1/8 grid so every sum below is exact in float32.
Tensor gridSamples(int64_t n, int64_t features) {
    Tensor x({n, features});
    for (int64_t i = 0; i < n; ++i)
        for (int64_t f = 0; f < features; ++f)
            x[i * features + f] = static_cast<float>((i * 7 + f * 3) % 17) / 8.0f - 1.0f;
    return x;
}

}  // namespace

class TestLayers : public QObject {
    Q_OBJECT
private slots:
    // ---------------------------------------------------------------- padding arithmetic
    void convWindowWorkedCases_data() {
        QTest::addColumn<int>("in");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("dilation");
        QTest::addColumn<QString>("padding");
        QTest::addColumn<int>("out");
        QTest::addColumn<int>("padBefore");
        // Reference 4.6: same -> out = ceil(in/s), total = max((out-1)*s + dk - in, 0), before = total/2.
        QTest::newRow("same 28 k3 s2") << 28 << 3 << 2 << 1 << "same" << 14 << 0;  // total 1 -> 0/1
        QTest::newRow("same 5 k3 s2") << 5 << 3 << 2 << 1 << "same" << 3 << 1;     // total 2 -> 1/1
        QTest::newRow("same 6 k4 s2") << 6 << 4 << 2 << 1 << "same" << 3 << 1;     // total 2 -> 1/1
        QTest::newRow("same 7 k1 s2") << 7 << 1 << 2 << 1 << "same" << 4 << 0;     // total 0
        QTest::newRow("same 32 k3 s4") << 32 << 3 << 4 << 1 << "same" << 8 << 0;   // 7*4+3-32 < 0
        QTest::newRow("same 32 k4 s4") << 32 << 4 << 4 << 1 << "same" << 8 << 0;   // total 0
        QTest::newRow("same 8 k4 s1") << 8 << 4 << 1 << 1 << "same" << 8 << 1;     // total 3 -> 1/2
        QTest::newRow("same 8 k3 s2") << 8 << 3 << 2 << 1 << "same" << 4 << 0;     // total 1 -> 0/1
        QTest::newRow("same 8 k5 s2") << 8 << 5 << 2 << 1 << "same" << 4 << 1;     // total 3 -> 1/2
        QTest::newRow("same 7 k3 d2") << 7 << 3 << 1 << 2 << "same" << 7 << 2;     // dk 5, total 4 -> 2/2
        QTest::newRow("valid 28 k3 s2") << 28 << 3 << 2 << 1 << "valid" << 13 << 0;  // floor(25/2)+1
        QTest::newRow("valid 5 k3 s1") << 5 << 3 << 1 << 1 << "valid" << 3 << 0;
        QTest::newRow("valid 8 k3 s2") << 8 << 3 << 2 << 1 << "valid" << 3 << 0;     // floor(5/2)+1
        QTest::newRow("valid 7 k3 d2") << 7 << 3 << 1 << 2 << "valid" << 3 << 0;     // 7-5+1
        QTest::newRow("valid too small") << 2 << 3 << 1 << 1 << "valid" << 0 << 0;
    }
    void convWindowWorkedCases() {
        QFETCH(int, in);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(int, dilation);
        QFETCH(QString, padding);
        QFETCH(int, out);
        QFETCH(int, padBefore);
        const Window1D w = convWindow(in, kernel, stride, dilation, padding.toStdString());
        QCOMPARE(w.out, int64_t(out));
        QCOMPARE(w.padBefore, int64_t(padBefore));
    }

    void transposedWindowWorkedCases_data() {
        QTest::addColumn<int>("in");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<QString>("padding");
        QTest::addColumn<int>("outputPadding");
        QTest::addColumn<int>("out");
        QTest::addColumn<int>("padBefore");
        // Reference 4.6, ECON-T decoder cases: pad_before = max((H-1)*s + k - OH, 0) // 2.
        QTest::newRow("k3 s2 4->8") << 4 << 3 << 2 << "same" << -1 << 8 << 0;  // (6+3-8)=1 -> 0
        QTest::newRow("k5 s2 4->8") << 4 << 5 << 2 << "same" << -1 << 8 << 1;  // (6+5-8)=3 -> 1
        QTest::newRow("k3 s1 8->8") << 8 << 3 << 1 << "same" << -1 << 8 << 1;  // (7+3-8)=2 -> 1
        QTest::newRow("k5 s1 8->8") << 8 << 5 << 1 << "same" << -1 << 8 << 2;  // (7+5-8)=4 -> 2
        // valid: out = in*s + max(k - s, 0); nothing is cropped.
        QTest::newRow("valid k3 s2 3->7") << 3 << 3 << 2 << "valid" << -1 << 7 << 0;
        QTest::newRow("valid k1 s2 3->6") << 3 << 1 << 2 << "valid" << -1 << 6 << 0;
        // output_padding p: out = (in-1)*s + k - 2*pad + p, pad = k//2 for same.
        QTest::newRow("same k3 s2 op1") << 4 << 3 << 2 << "same" << 1 << 8 << 0;   // 6+3-2+1 = 8
        QTest::newRow("valid k3 s2 op0") << 4 << 3 << 2 << "valid" << 0 << 9 << 0;  // 6+3 = 9
    }
    void transposedWindowWorkedCases() {
        QFETCH(int, in);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(QString, padding);
        QFETCH(int, outputPadding);
        QFETCH(int, out);
        QFETCH(int, padBefore);
        const Window1D w = transposedWindow(in, kernel, stride, padding.toStdString(), outputPadding);
        QCOMPARE(w.out, int64_t(out));
        QCOMPARE(w.padBefore, int64_t(padBefore));
    }

    void unknownPaddingIsUnsupported() {
        QVERIFY_THROWS_EXCEPTION(UnsupportedError, convWindow(8, 3, 1, 1, "causal"));
        QVERIFY_THROWS_EXCEPTION(UnsupportedError, transposedWindow(8, 3, 1, "full", -1));
        // Through a layer the message names it.
        EXPECT_THROW_WITH(Error, makeLayer("Conv2D", convConfig(3, 1, "causal"), {{8, 8, 1}}), "'conv'",
                          "causal");
    }

    // ---------------------------------------------------------------- Dense / QDense
    void denseWithBiasAndRelu() {
        auto dense = makeLayer("Dense", {{"name", "fc"}, {"units", 2}, {"activation", "relu"}}, {{3}});
        QCOMPARE(dense->outputShape(), Shape({2}));
        QCOMPARE(dense->parameter("kernel")->shape, Shape({3, 2}));  // Keras [in, units]
        // W = [[1, -1], [2, 0.5], [-1, 3]], b = [0.5, -5]
        setWeight(*dense, "kernel", {1, -1, 2, 0.5f, -1, 3});
        setWeight(*dense, "bias", {0.5f, -5});
        dense->prepare();
        QVERIFY(!dense->parameter("kernel")->isQuantized());
        // x = [1, 2, 3]: [1+4-3+0.5, -1+1+9-5] = [2.5, 4]
        // x = [0, 1, 1]: [2-1+0.5, 0.5+3-5 = -1.5 -> relu 0] = [1.5, 0]
        // x = [-1, 0, 1]: [-1-1+0.5 = -1.5 -> 0, 1+3-5 = -1 -> 0]
        const Tensor x({3, 3}, {1, 2, 3, 0, 1, 1, -1, 0, 1});
        EXPECT_TENSOR(run(*dense, x), Shape({3, 2}), {2.5f, 4, 1.5f, 0, 0, 0});
    }

    void denseOnLastAxisOfRank3Input() {
        // Keras Dense acts on the last axis: (2, 2) samples -> (2, 1).
        auto dense = makeLayer("Dense", {{"name", "fc"}, {"units", 1}, {"use_bias", false}}, {{2, 2}});
        QCOMPARE(dense->outputShape(), Shape({2, 1}));
        QVERIFY(dense->parameter("bias") == nullptr);
        setWeight(*dense, "kernel", {10, 1});  // y = 10*x0 + x1
        dense->prepare();
        const Tensor x({1, 2, 2}, {1, 2, 3, 4});
        EXPECT_TENSOR(run(*dense, x), Shape({1, 2, 1}), {12, 34});
    }

    void qdenseQuantizesKernelAndBias() {
        // quantized_bits(4,0,alpha=1): step 2^(0-4+1) = 1/8, codes -8..7 -> values [-1, 0.875].
        const json q = {{"class_name", "quantized_bits"},
                        {"config", {{"bits", 4}, {"integer", 0}, {"symmetric", 0}, {"alpha", 1}, {"keep_negative", 1}}}};
        auto dense = makeLayer("QDense", {{"name", "qfc"}, {"units", 2}, {"kernel_quantizer", q}, {"bias_quantizer", q}},
                               {{3}});
        // stored kernel, times 8 -> rounded half-even -> clipped to [-8, 7]:
        //  0.3 -> 2.4 -> 2 -> 0.25       -0.3 -> -2.4 -> -2 -> -0.25
        //  0.95 -> 7.6 -> 8 -> 7 -> 0.875 -1.2 -> -9.6 -> -10 -> -8 -> -1
        //  0.0625 -> 0.5 -> 0 (tie to even) 0.1875 -> 1.5 -> 2 -> 0.25
        setWeight(*dense, "kernel", {0.3f, -0.3f, 0.95f, -1.2f, 0.0625f, 0.1875f});
        // bias: 0.1 -> 0.8 -> 1 -> 0.125; -0.05 -> -0.4 -> 0 -> 0
        setWeight(*dense, "bias", {0.1f, -0.05f});
        dense->prepare();
        const LayerParameter& kernel = *dense->parameter("kernel");
        QVERIFY(kernel.isFlippable());
        EXPECT_TENSOR(kernel.effective, Shape({3, 2}), {0.25f, -0.25f, 0.875f, -1.0f, 0.0f, 0.25f});
        EXPECT_TENSOR(dense->parameter("bias")->effective, Shape({2}), {0.125f, 0.0f});
        // The stored (float) weights are untouched.
        QCOMPARE(kernel.stored[0], 0.3f);
        // Codes of the effective kernel: 0.875 = 7 steps (0111), -1 = -8 (1000).
        QCOMPARE(kernel.codec.codeOf(0.875f, 2), int64_t(7));
        QCOMPARE(kernel.codec.bitString(7), std::string("0111"));
        QCOMPARE(kernel.codec.codeOf(-1.0f, 3), int64_t(-8));
        // x = [1, 2, 4]: [0.25 + 1.75 + 0 + 0.125, -0.25 - 2 + 1 + 0] = [2.125, -1.25]
        const Tensor x({1, 3}, {1, 2, 4});
        EXPECT_TENSOR(run(*dense, x), Shape({1, 2}), {2.125f, -1.25f});
    }

    void qdenseKernelWithoutAlphaBecomesAutoPo2() {
        // Reference 1.1/1.5: a Q-layer kernel quantized_bits(4,0) with alpha=None is run as
        // alpha='auto_po2', symmetric: per-column scales [2^-5, 2^-7] for this kernel, giving
        // [[0.21875, -0.046875], [-0.125, 0.0078125], [0.0625, 0.0234375]] (reference's example).
        auto dense = makeLayer("QDense",
                               {{"name", "qfc"}, {"units", 2}, {"use_bias", false}, {"kernel_quantizer", "quantized_bits(4,0)"}},
                               {{3}});
        setWeight(*dense, "kernel", {0.30f, -0.05f, -0.12f, 0.011f, 0.07f, 0.02f});
        dense->prepare();
        const LayerParameter& kernel = *dense->parameter("kernel");
        QCOMPARE(kernel.quantizer->alpha, AlphaMode::AutoPo2);
        QVERIFY(kernel.quantizer->symmetric);
        EXPECT_TENSOR(kernel.effective, Shape({3, 2}), {0.21875f, -0.046875f, -0.125f, 0.0078125f, 0.0625f, 0.0234375f});
    }

    // ---------------------------------------------------------------- Conv2D
    void conv2DValidWindowSums() {
        // x = 1..16 on a 4x4 grid, 3x3 all-ones kernel, valid, stride 1 -> 2x2 window sums:
        // (0,0): 1+2+3 + 5+6+7 + 9+10+11 = 54; each step right adds 9 (one per cell), each step
        // down adds 36 (4 per cell): [54, 63, 90, 99].
        auto conv = makeLayer("Conv2D", convConfig(3, 1, "valid"), {{4, 4, 1}});
        QCOMPARE(conv->outputShape(), Shape({2, 2, 1}));
        setWeight(*conv, "kernel", std::vector<float>(9, 1.0f));
        setWeight(*conv, "bias", {0.0f});
        conv->prepare();
        EXPECT_TENSOR(run(*conv, ramp(4)), Shape({1, 2, 2, 1}), {54, 63, 90, 99});
    }

    void conv2DValidStride2WindowSums() {
        // x = 1..25 on 5x5, 3x3 ones, valid, stride 2 -> 2x2. Window at rows 2i..2i+2, cols 2j..2j+2:
        // (0,0): 6 + 21 + 36 = 63; (0,1): +2 per cell = 63 + 18 = 81; (1,0): +10 per cell = 153; (1,1): 171.
        auto conv = makeLayer("Conv2D", convConfig(3, 2, "valid"), {{5, 5, 1}});
        setWeight(*conv, "kernel", std::vector<float>(9, 1.0f));
        setWeight(*conv, "bias", {0.0f});
        conv->prepare();
        EXPECT_TENSOR(run(*conv, ramp(5)), Shape({1, 2, 2, 1}), {63, 81, 153, 171});
    }

    void conv2DPaddingCounts_data() {
        QTest::addColumn<int>("in");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<QString>("padding");
        QTest::addColumn<int>("padBefore");
        // Real (non-padded) input rows under each output row's window = the window sum of an
        // all-ones image with an all-ones kernel along one axis; 2-D outputs are products.
        QTest::addColumn<QList<int>>("counts");
        // in5 k3 s1 same: pad 1/1, windows -1..1, 0..2, 1..3, 2..4, 3..5 -> 2 3 3 3 2
        QTest::newRow("same in5 k3 s1") << 5 << 3 << 1 << "same" << 1 << QList<int>{2, 3, 3, 3, 2};
        // in5 k3 s2 same: out 3, pad 1/1, windows -1..1, 1..3, 3..5 -> 2 3 2
        QTest::newRow("same in5 k3 s2") << 5 << 3 << 2 << "same" << 1 << QList<int>{2, 3, 2};
        // in8 k3 s2 same: out 4, pad 0/1, windows 0..2, 2..4, 4..6, 6..8 -> 3 3 3 2
        QTest::newRow("same in8 k3 s2") << 8 << 3 << 2 << "same" << 0 << QList<int>{3, 3, 3, 2};
        // in8 k5 s2 same: out 4, pad 1/2, windows -1..3, 1..5, 3..7, 5..9 -> 4 5 5 3
        QTest::newRow("same in8 k5 s2") << 8 << 5 << 2 << "same" << 1 << QList<int>{4, 5, 5, 3};
        // in6 k4 s2 same: out 3, pad 1/1, windows -1..2, 1..4, 3..6 -> 3 4 3
        QTest::newRow("same in6 k4 s2") << 6 << 4 << 2 << "same" << 1 << QList<int>{3, 4, 3};
        // in8 k3 s2 valid: out 3 (trailing row 7 dropped), windows 0..2, 2..4, 4..6
        QTest::newRow("valid in8 k3 s2") << 8 << 3 << 2 << "valid" << 0 << QList<int>{3, 3, 3};
        QTest::newRow("valid in5 k3 s1") << 5 << 3 << 1 << "valid" << 0 << QList<int>{3, 3, 3};
    }
    void conv2DPaddingCounts() {
        QFETCH(int, in);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(QString, padding);
        QFETCH(int, padBefore);
        QFETCH(QList<int>, counts);
        const int64_t out = counts.size();

        // 1) all-ones image and kernel: output = number of real cells under the window.
        auto conv = makeLayer("Conv2D", convConfig(kernel, stride, padding.toStdString()), {{in, in, 1}});
        QCOMPARE(conv->outputShape(), Shape({out, out, 1}));
        setWeight(*conv, "kernel", std::vector<float>(kernel * kernel, 1.0f));
        setWeight(*conv, "bias", {0.0f});
        conv->prepare();
        std::vector<float> expected;
        for (int i = 0; i < out; ++i)
            for (int j = 0; j < out; ++j) expected.push_back(static_cast<float>(counts[i] * counts[j]));
        EXPECT_TENSOR(run(*conv, Tensor({1, in, in, 1}, 1.0f)), Shape({1, out, out, 1}), expected);

        // 2) one-hot kernel taps on a ramp image: where the first and the last tap of each window
        // read from tells where the padding is (no kernel flip: Keras is cross-correlation).
        const Tensor x = ramp(in);
        auto pixel = [&](int64_t h, int64_t w) {
            return h < 0 || w < 0 || h >= in || w >= in ? 0.0f : x[h * in + w];
        };
        for (const int64_t tap : {int64_t(0), int64_t(kernel - 1)}) {
            auto impulse = impulseConv(in, kernel, stride, padding.toStdString(), tap, tap);
            std::vector<float> picked;
            for (int64_t i = 0; i < out; ++i)
                for (int64_t j = 0; j < out; ++j)
                    picked.push_back(pixel(i * stride - padBefore + tap, j * stride - padBefore + tap));
            EXPECT_TENSOR(run(*impulse, x), Shape({1, out, out, 1}), picked);
        }
    }

    void conv2DChannelsFiltersAndBias() {
        // 1x1 conv, 2 input channels -> 2 filters. Kernel [1,1,in,out] = [[1, 2], [3, 4]]:
        // y[co] = sum_ci x[ci] * k[ci][co] + b[co], b = [0.5, -1].
        // pixel (1, 10): [1 + 30 + 0.5, 2 + 40 - 1] = [31.5, 41]; pixel (-2, 0.5): [-2+1.5+0.5, -4+2-1] = [0, -3]
        auto conv = makeLayer("Conv2D", convConfig(1, 1, "valid", 2), {{1, 2, 2}});
        QCOMPARE(conv->parameter("kernel")->shape, Shape({1, 1, 2, 2}));
        setWeight(*conv, "kernel", {1, 2, 3, 4});
        setWeight(*conv, "bias", {0.5f, -1});
        conv->prepare();
        const Tensor x({1, 1, 2, 2}, {1, 10, -2, 0.5f});
        EXPECT_TENSOR(run(*conv, x), Shape({1, 1, 2, 2}), {31.5f, 41, 0, -3});
    }

    void conv2DBlocksOfChannelsEqualOneChannelAtATime() {
        // affine() sums output channels eight, four and one at a time in registers; each must be
        // bit for bit the one-channel sum (affineChannel), with zero inputs left out alike (a third
        // of the inputs are zero; one weight is infinite, which would make 0 * inf a NaN), over 13
        // filters, 3 input channels, 'same' padding and stride 2.
        auto conv = makeLayer("Conv2D", convConfig(3, 2, "same", 13), {{7, 7, 3}});
        auto* layer = static_cast<Conv2DLayer*>(conv.get());
        SplitMix64 rng(5);
        std::vector<float> kernel(3 * 3 * 3 * 13), bias(13);
        for (float& w : kernel) w = static_cast<float>(rng.uniform() * 2.0 - 1.0) * (rng.below(3) ? 1.0f : 1e-6f);
        kernel[7] = std::numeric_limits<float>::infinity();
        for (float& b : bias) b = static_cast<float>(rng.uniform() - 0.5);
        setWeight(*conv, "kernel", kernel);
        setWeight(*conv, "bias", bias);
        conv->prepare();
        const int64_t rows = 4, positions = 4 * 4;
        std::vector<float> x(rows * 7 * 7 * 3);
        for (float& v : x) v = rng.below(3) == 0 ? 0.0f : static_cast<float>(rng.uniform() * 3.0 - 1.0);
        std::vector<float> all(rows * positions * 13), one(rows * positions);
        layer->affine(x.data(), rows, all.data());
        for (int64_t channel = 0; channel < 13; ++channel) {
            layer->affineChannel(x.data(), rows, channel, one.data());
            for (int64_t i = 0; i < rows * positions; ++i)
                QVERIFY2(std::memcmp(&all[i * 13 + channel], &one[i], sizeof(float)) == 0,
                         qPrintable(QString("channel %1, value %2: %3 vs %4").arg(channel).arg(i)
                                        .arg(all[i * 13 + channel]).arg(one[i])));
        }
    }

    void conv2DRejectsUnsupportedConfigs() {
        json grouped = convConfig(3, 1, "same");
        grouped["groups"] = 2;
        EXPECT_THROW_WITH(Error, makeLayer("Conv2D", grouped, {{8, 8, 2}}), "'conv'", "groups");
        json channelsFirst = convConfig(3, 1, "same");
        channelsFirst["data_format"] = "channels_first";
        EXPECT_THROW_WITH(Error, makeLayer("Conv2D", channelsFirst, {{1, 8, 8}}), "'conv'", "channels_first");
        EXPECT_THROW_WITH(InputError, makeLayer("Conv2D", convConfig(5, 1, "valid"), {{3, 3, 1}}), "'conv'",
                          "smaller than the kernel");
    }

    // ---------------------------------------------------------------- Conv2DTranspose
    void conv2DTransposeHandCase() {
        // 2x2 all-ones input, 3x3 all-ones kernel, stride 2, same -> 4x4, pad_before 0.
        // Input row i lands on output rows 2i..2i+2 (row 4 dropped): rows 0,1 get i=0; row 2 gets
        // i=0 and i=1; row 3 gets i=1 -> per-axis counts [1, 1, 2, 1]; outputs are products.
        json config = {{"name", "deconv"}, {"filters", 1}, {"kernel_size", {3, 3}}, {"strides", {2, 2}},
                       {"padding", "same"}, {"use_bias", false}};
        auto deconv = makeLayer("Conv2DTranspose", config, {{2, 2, 1}});
        QCOMPARE(deconv->outputShape(), Shape({4, 4, 1}));
        setWeight(*deconv, "kernel", std::vector<float>(9, 1.0f));
        deconv->prepare();
        EXPECT_TENSOR(run(*deconv, Tensor({1, 2, 2, 1}, 1.0f)), Shape({1, 4, 4, 1}),
                      {1, 1, 2, 1, 1, 1, 2, 1, 2, 2, 4, 2, 1, 1, 2, 1});
    }

    void conv2DTransposeMatchesNaiveScatter_data() {
        QTest::addColumn<int>("in");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("stride");
        QTest::addColumn<QString>("padding");
        QTest::addColumn<int>("out");
        QTest::addColumn<int>("padBefore");  // from reference 4.6, not from the library
        QTest::newRow("k3 s2 4->8") << 4 << 3 << 2 << "same" << 8 << 0;
        QTest::newRow("k5 s2 4->8") << 4 << 5 << 2 << "same" << 8 << 1;
        QTest::newRow("k3 s1 8->8") << 8 << 3 << 1 << "same" << 8 << 1;
        QTest::newRow("k5 s1 8->8") << 8 << 5 << 1 << "same" << 8 << 2;
        QTest::newRow("valid k3 s2 3->7") << 3 << 3 << 2 << "valid" << 7 << 0;
    }
    void conv2DTransposeMatchesNaiveScatter() {
        QFETCH(int, in);
        QFETCH(int, kernel);
        QFETCH(int, stride);
        QFETCH(QString, padding);
        QFETCH(int, out);
        QFETCH(int, padBefore);
        const int64_t cin = 2, filters = 2;
        json config = {{"name", "deconv"}, {"filters", filters}, {"kernel_size", {kernel, kernel}},
                       {"strides", {stride, stride}}, {"padding", padding.toStdString()}, {"activation", "linear"}};
        auto deconv = makeLayer("Conv2DTranspose", config, {{in, in, cin}});
        QCOMPARE(deconv->outputShape(), Shape({out, out, filters}));
        // Kernel [kh, kw, filters(out), in] and inputs: small integers, so every sum is exact.
        std::vector<float> k(kernel * kernel * filters * cin);
        for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<float>(static_cast<int>(i * 5 % 7) - 3);
        const std::vector<float> bias = {0.5f, -0.25f};
        setWeight(*deconv, "kernel", k);
        setWeight(*deconv, "bias", bias);
        deconv->prepare();
        Tensor x({2, in, in, cin});
        for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(static_cast<int>(i * 7 % 9) - 4);

        // Naive scatter: input pixel (i, j) with tap (di, dj) lands at (i*s + di - pad, j*s + dj - pad).
        std::vector<double> expected(2 * out * out * filters, 0.0);
        for (int64_t n = 0; n < 2; ++n)
            for (int64_t i = 0; i < in; ++i)
                for (int64_t j = 0; j < in; ++j)
                    for (int64_t di = 0; di < kernel; ++di)
                        for (int64_t dj = 0; dj < kernel; ++dj) {
                            const int64_t oh = i * stride + di - padBefore, ow = j * stride + dj - padBefore;
                            if (oh < 0 || ow < 0 || oh >= out || ow >= out) continue;
                            for (int64_t co = 0; co < filters; ++co)
                                for (int64_t ci = 0; ci < cin; ++ci)
                                    expected[((n * out + oh) * out + ow) * filters + co] +=
                                        x[((n * in + i) * in + j) * cin + ci] *
                                        k[((di * kernel + dj) * filters + co) * cin + ci];
                        }
        std::vector<float> expectedFloat;
        for (size_t e = 0; e < expected.size(); ++e)
            expectedFloat.push_back(static_cast<float>(expected[e]) + bias[e % filters]);
        EXPECT_TENSOR(run(*deconv, x), Shape({2, out, out, filters}), expectedFloat);
    }

    // ---------------------------------------------------------------- pooling
    void maxAndAveragePoolingValid() {
        // 4x4 ramp 1..16, 2x2 pools, stride defaults to the pool size.
        // blocks: {1,2,5,6} {3,4,7,8} {9,10,13,14} {11,12,15,16}
        json config = {{"name", "pool"}, {"pool_size", {2, 2}}, {"padding", "valid"}};
        auto maxPool = makeLayer("MaxPooling2D", config, {{4, 4, 1}});
        EXPECT_TENSOR(run(*maxPool, ramp(4)), Shape({1, 2, 2, 1}), {6, 8, 14, 16});
        auto avgPool = makeLayer("AveragePooling2D", config, {{4, 4, 1}});
        EXPECT_TENSOR(run(*avgPool, ramp(4)), Shape({1, 2, 2, 1}), {3.5f, 5.5f, 11.5f, 13.5f});
    }

    void poolingSameIgnoresPadding() {
        // 3x3 input, pool 2, stride 2, same: out 2, pad 0 before / 1 after. Windows:
        // (0,0) rows 0-1 cols 0-1; (0,1) rows 0-1 col 2; (1,0) row 2 cols 0-1; (1,1) the cell (2,2).
        json config = {{"name", "pool"}, {"pool_size", {2, 2}}, {"strides", {2, 2}}, {"padding", "same"}};
        // Negative values: a max that let padded zeros in would output 0 for the edge windows.
        Tensor negative = ramp(3);
        negative.array() *= -1.0f;  // -1 .. -9
        auto maxPool = makeLayer("MaxPooling2D", config, {{3, 3, 1}});
        QCOMPARE(maxPool->outputShape(), Shape({2, 2, 1}));
        EXPECT_TENSOR(run(*maxPool, negative), Shape({1, 2, 2, 1}), {-1, -3, -7, -9});
        // Average over real cells only: {1,2,4,5}/4 = 3, {3,6}/2 = 4.5, {7,8}/2 = 7.5, {9}/1 = 9.
        auto avgPool = makeLayer("AveragePooling2D", config, {{3, 3, 1}});
        EXPECT_TENSOR(run(*avgPool, ramp(3)), Shape({1, 2, 2, 1}), {3, 4.5f, 7.5f, 9});
    }

    void poolingKeepsChannelsApart() {
        // 2x2x2 input, one 2x2 max pool: channel 0 holds 1..4, channel 1 holds -10..-40.
        auto maxPool = makeLayer("MaxPooling2D", {{"name", "pool"}}, {{2, 2, 2}});
        const Tensor x({1, 2, 2, 2}, {1, -10, 2, -20, 3, -30, 4, -40});
        EXPECT_TENSOR(run(*maxPool, x), Shape({1, 1, 1, 2}), {4, -10});
    }

    void globalPooling() {
        // channel 0: 1, 2, 3, 4 -> mean 2.5, max 4; channel 1: 10, 20, 30, 40 -> mean 25, max 40
        const Tensor x({1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40});
        auto gap = makeLayer("GlobalAveragePooling2D", {{"name", "gap"}}, {{2, 2, 2}});
        QCOMPARE(gap->outputShape(), Shape({2}));
        EXPECT_TENSOR(run(*gap, x), Shape({1, 2}), {2.5f, 25});
        auto gmp = makeLayer("GlobalMaxPooling2D", {{"name", "gmp"}}, {{2, 2, 2}});
        EXPECT_TENSOR(run(*gmp, x), Shape({1, 2}), {4, 40});
        auto keep = makeLayer("GlobalAveragePooling2D", {{"name", "gap"}, {"keepdims", true}}, {{2, 2, 2}});
        EXPECT_TENSOR(run(*keep, x), Shape({1, 1, 1, 2}), {2.5f, 25});
    }

    // ---------------------------------------------------------------- batch norm
    void batchNormalization() {
        // epsilon 0.25 and variances [3.75, 0.75] make var + eps = [4, 1] exactly.
        // inv = rsqrt(var + eps) * gamma = [0.5 * 3, 1 * 2] = [1.5, 2]; y = x*inv + (beta - mean*inv)
        // channel 0: x=5: 7.5 + (1 - 1.5) = 7;  x=1: 1.5 - 0.5 = 1
        // channel 1: x=2: 4 + (0 + 2) = 6;      x=-1: -2 + 2 = 0
        auto bn = makeLayer("BatchNormalization", {{"name", "bn"}, {"epsilon", 0.25}}, {{2}});
        setWeight(*bn, "gamma", {3, 2});
        setWeight(*bn, "beta", {1, 0});
        setWeight(*bn, "moving_mean", {1, -1});
        setWeight(*bn, "moving_variance", {3.75f, 0.75f});
        bn->prepare();
        EXPECT_TENSOR(run(*bn, Tensor({2, 2}, {5, 2, 1, -1})), Shape({2, 2}), {7, 6, 1, 0});
    }

    void batchNormalizationWithoutScaleAndCenter() {
        // scale=False, center=False: only moving_mean/variance; y = (x - mean) / sqrt(var + eps).
        auto bn = makeLayer("BatchNormalization", {{"name", "bn"}, {"epsilon", 0.25}, {"scale", false}, {"center", false}},
                            {{1, 1, 2}});
        QCOMPARE(bn->parameters().size(), size_t(2));
        setWeight(*bn, "moving_mean", {1, -1});
        setWeight(*bn, "moving_variance", {3.75f, 0.75f});
        bn->prepare();
        // channel 0: (5 - 1) / 2 = 2; channel 1: (2 + 1) / 1 = 3
        EXPECT_TENSOR(run(*bn, Tensor({1, 1, 1, 2}, {5, 2})), Shape({1, 1, 1, 2}), {2, 3});
    }

    void qconv2DBatchnormFoldsThenQuantizes() {
        // 1x1 conv, 1 input channel, 2 filters; quantized_bits(4,1,alpha=1): step 0.25, range [-2, 1.75].
        // epsilon 0.25, var [0.75, 3.75] -> inv = [1/1 * 2, 1/2 * 1] = [2, 0.5]
        // folded kernel = inv * kernel = [0.5*2, 0.25*0.5] = [1.0, 0.125] -> quantized [1.0, 0.0]
        //   (0.125/0.25 = 0.5 ties to even 0; quantizing first would give Q(0.25)*0.5 = 0.125)
        // folded bias = inv*(bias - mean) + beta = [2*(0.1-0.1) + 0.5, 0.5*(0-0.5) - 0.375] = [0.5, -0.625]
        //   -> quantized: 2 steps = 0.5; -2.5 steps ties to even -2 = -0.5
        const json q = {{"class_name", "quantized_bits"}, {"config", {{"bits", 4}, {"integer", 1}, {"alpha", 1}}}};
        json config = convConfig(1, 1, "valid", 2);
        config["kernel_quantizer"] = q;
        config["bias_quantizer"] = q;
        config["epsilon"] = 0.25;
        auto conv = makeLayer("QConv2DBatchnorm", config, {{2, 1, 1}});
        setWeight(*conv, "kernel", {0.5f, 0.25f});
        setWeight(*conv, "bias", {0.1f, 0.0f});
        setWeight(*conv, "gamma", {2, 1});
        setWeight(*conv, "beta", {0.5f, -0.375f});
        setWeight(*conv, "moving_mean", {0.1f, 0.5f});
        setWeight(*conv, "moving_variance", {0.75f, 3.75f});
        conv->prepare();
        EXPECT_TENSOR(conv->parameter("kernel")->effective, Shape({1, 1, 1, 2}), {1.0f, 0.0f});
        EXPECT_TENSOR(conv->parameter("bias")->effective, Shape({2}), {0.5f, -0.5f});
        QVERIFY(conv->parameter("kernel")->isFlippable());
        // x = [3, -1]: pixel 0 -> [3 + 0.5, 0 - 0.5]; pixel 1 -> [-1 + 0.5, -0.5]
        EXPECT_TENSOR(run(*conv, Tensor({1, 2, 1, 1}, {3, -1})), Shape({1, 2, 1, 2}), {3.5f, -0.5f, -0.5f, -0.5f});
    }

    void qconv2DBatchnormWithoutBiasFoldsFromZero() {
        // use_bias=False: the file has no bias; the folded bias is beta - mean*inv.
        // inv = [2, 0.5] as above; bias' = [0.5 - 0.25*2, -0.375 - 0.5*0.5] = [0, -0.625] -> [0, -0.5]
        const json q = {{"class_name", "quantized_bits"}, {"config", {{"bits", 4}, {"integer", 1}, {"alpha", 1}}}};
        json config = convConfig(1, 1, "valid", 2);
        config["kernel_quantizer"] = q;
        config["bias_quantizer"] = q;
        config["epsilon"] = 0.25;
        config["use_bias"] = false;
        auto conv = makeLayer("QConv2DBatchnorm", config, {{1, 1, 1}});
        setWeight(*conv, "kernel", {0.5f, 0.25f});
        setWeight(*conv, "gamma", {2, 1});
        setWeight(*conv, "beta", {0.5f, -0.375f});
        setWeight(*conv, "moving_mean", {0.25f, 0.5f});
        setWeight(*conv, "moving_variance", {0.75f, 3.75f});
        conv->prepare();
        EXPECT_TENSOR(conv->parameter("bias")->effective, Shape({2}), {0.0f, -0.5f});
    }

    // ---------------------------------------------------------------- shape layers
    void flattenIsNhwcOrder() {
        // x[h][w][c] = 100h + 10w + c on (2, 2, 3); Flatten index (h*W + w)*C + c, C fastest.
        auto flatten = makeLayer("Flatten", {{"name", "flat"}}, {{2, 2, 3}});
        QCOMPARE(flatten->outputShape(), Shape({12}));
        Tensor x({1, 2, 2, 3});
        std::vector<float> expected(12);
        for (int h = 0; h < 2; ++h)
            for (int w = 0; w < 2; ++w)
                for (int c = 0; c < 3; ++c) {
                    x[(h * 2 + w) * 3 + c] = static_cast<float>(100 * h + 10 * w + c);
                    expected[(h * 2 + w) * 3 + c] = static_cast<float>(100 * h + 10 * w + c);
                }
        const Tensor flat = run(*flatten, x);
        EXPECT_TENSOR(flat, Shape({1, 12}), expected);
        QCOMPARE(flat[8], 102.0f);  // (h=1, w=0, c=2)
        QCOMPARE(flat[5], 12.0f);   // (h=0, w=1, c=2)
    }

    void reshapeKeepsOrderAndInfersMinusOne() {
        auto reshape = makeLayer("Reshape", {{"name", "rs"}, {"target_shape", {2, 2, 3}}}, {{12}});
        QCOMPARE(reshape->outputShape(), Shape({2, 2, 3}));
        Tensor x({2, 12});
        for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
        std::vector<float> same(24);
        for (int i = 0; i < 24; ++i) same[i] = static_cast<float>(i);
        EXPECT_TENSOR(run(*reshape, x), Shape({2, 2, 2, 3}), same);
        auto inferred = makeLayer("Reshape", {{"name", "rs"}, {"target_shape", {-1, 4}}}, {{2, 6}});
        QCOMPARE(inferred->outputShape(), Shape({3, 4}));
        EXPECT_THROW_WITH(InputError, makeLayer("Reshape", {{"name", "rs"}, {"target_shape", {5}}}, {{12}}), "'rs'",
                          "(12,)", "(5,)");
    }

    void dropoutIsIdentity() {
        auto dropout = makeLayer("Dropout", {{"name", "drop"}, {"rate", 0.5}}, {{3}});
        EXPECT_TENSOR(run(*dropout, Tensor({1, 3}, {1, -2, 3})), Shape({1, 3}), {1, -2, 3});
    }

    // ---------------------------------------------------------------- merge layers
    void addSumsElementwise() {
        auto add = makeLayer("Add", {{"name", "add"}}, {{2, 2}, {2, 2}});
        const Tensor a({1, 2, 2}, {1, 2, 3, 4}), b({1, 2, 2}, {10, 20, 30, -4});
        EXPECT_TENSOR(run(*add, a, b), Shape({1, 2, 2}), {11, 22, 33, 0});
        EXPECT_THROW_WITH(InputError, makeLayer("Add", {{"name", "add"}}, {{2, 2}, {2, 3}}), "'add'", "(2, 2)", "(2, 3)");
    }

    void concatenateLastAxis() {
        // a (2, 1), b (2, 2) along -1 -> (2, 3): row h = [a[h][0], b[h][0], b[h][1]]
        auto concat = makeLayer("Concatenate", {{"name", "cat"}, {"axis", -1}}, {{2, 1}, {2, 2}});
        QCOMPARE(concat->outputShape(), Shape({2, 3}));
        const Tensor a({2, 2, 1}, {1, 2, 3, 4}), b({2, 2, 2}, {10, 11, 20, 21, 30, 31, 40, 41});
        EXPECT_TENSOR(run(*concat, a, b), Shape({2, 2, 3}), {1, 10, 11, 2, 20, 21, 3, 30, 31, 4, 40, 41});
    }

    void concatenateFirstSampleAxis() {
        // Keras axis=1 counts the batch axis: (2, 1) + (1, 1) along the first sample axis -> (3, 1).
        auto concat = makeLayer("Concatenate", {{"name", "cat"}, {"axis", 1}}, {{2, 1}, {1, 1}});
        QCOMPARE(concat->outputShape(), Shape({3, 1}));
        const Tensor a({2, 2, 1}, {1, 2, 3, 4}), b({2, 1, 1}, {10, 20});
        EXPECT_TENSOR(run(*concat, a, b), Shape({2, 3, 1}), {1, 2, 10, 3, 4, 20});
    }

    void concatenateRebuildIsStable() {
        // Building again with the same shapes (a model rebuilt, a layer reused) gives the same result.
        auto concat = makeLayer("Concatenate", {{"name", "cat"}, {"axis", -1}}, {{2}, {3}});
        QCOMPARE(concat->build({{2}, {3}}), Shape({5}));
        auto second = makeLayer("Concatenate", {{"name", "cat"}, {"axis", 2}}, {{2, 1}, {2, 2}});
        QCOMPARE(second->build({{2, 1}, {2, 2}}), Shape({2, 3}));
        const Tensor a({1, 2, 1}, {1, 2}), b({1, 2, 2}, {10, 11, 20, 21});
        EXPECT_TENSOR(run(*second, a, b), Shape({1, 2, 3}), {1, 10, 11, 2, 20, 21});
    }

    // ---------------------------------------------------------------- activations
    void activationRelu() {
        auto relu = makeLayer("Activation", {{"name", "act"}, {"activation", "relu"}}, {{4}});
        EXPECT_TENSOR(run(*relu, Tensor({1, 4}, {-1, 0, 2, -0.5f})), Shape({1, 4}), {0, 0, 2, 0});
    }

    void activationSigmoid() {
        // sigmoid(0) = 1/2 exactly; others against 1/(1+exp(-x)) in double (not bit-exact across libraries).
        auto sigmoid = makeLayer("Activation", {{"name", "act"}, {"activation", "sigmoid"}}, {{4}});
        const std::vector<float> xs = {0, 2, -3, 20};
        std::vector<float> expected;
        for (float v : xs) expected.push_back(static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(v)))));
        const Tensor y = run(*sigmoid, Tensor({1, 4}, xs));
        QCOMPARE(y[0], 0.5f);
        EXPECT_TENSOR(y, Shape({1, 4}), expected, 1e-6f);
    }

    void activationSoftmaxPerRow() {
        // Row 1: softmax(1, 2, 3) = e^k / (e + e^2 + e^3) ~ [0.0900306, 0.2447285, 0.6652410].
        // Row 2: three equal large logits -> 1/3 each (needs the max subtraction not to overflow).
        auto softmax = makeLayer("Activation", {{"name", "act"}, {"activation", "softmax"}}, {{3}});
        const double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
        const std::vector<float> expected = {static_cast<float>(std::exp(1.0) / sum), static_cast<float>(std::exp(2.0) / sum),
                                             static_cast<float>(std::exp(3.0) / sum), 1 / 3.0f, 1 / 3.0f, 1 / 3.0f};
        const Tensor y = run(*softmax, Tensor({2, 3}, {1, 2, 3, 1000, 1000, 1000}));
        EXPECT_TENSOR(y, Shape({2, 3}), expected, 1e-6f);
        QVERIFY(std::fabs(y[0] + y[1] + y[2] - 1.0f) < 1e-6f);
    }

    void qactivationQuantizedRelu() {
        // quantized_relu(4,2): step 2^(2-4) = 0.25, max 3.75 (reference 2.1 worked examples):
        // 0.3 -> 0.25; 2.9 -> 3.0; 5.0 -> 3.75; -1.0 -> 0.0; 0.0625 -> 0 (0.25 steps, tie to even 0)
        auto qrelu = makeLayer("QActivation", {{"name", "qa"}, {"activation", "quantized_relu(4,2)"}}, {{5}});
        EXPECT_TENSOR(run(*qrelu, Tensor({1, 5}, {0.3f, 2.9f, 5.0f, -1.0f, 0.0625f})), Shape({1, 5}),
                      {0.25f, 3.0f, 3.75f, 0.0f, 0.0f});
        QCOMPARE(qrelu->describe(), std::string("quantized_relu(4,2)"));
        // Dict form, quantized_relu(8,0): 0.3 * 256 = 76.8 -> 77 -> 0.30078125; 1.5 -> 255/256.
        const json dict = {{"class_name", "quantized_relu"}, {"config", {{"bits", 8}, {"integer", 0}}},
                           {"__passive_serialization__", true}};
        auto qrelu8 = makeLayer("QActivation", {{"name", "qa"}, {"activation", dict}}, {{2}});
        EXPECT_TENSOR(run(*qrelu8, Tensor({1, 2}, {0.3f, 1.5f})), Shape({1, 2}), {0.30078125f, 0.99609375f});
    }

    void unknownClassAndActivationAreUnsupported() {
        EXPECT_THROW_WITH(UnsupportedError, createLayer("LSTM", {{"name", "rnn"}}), "'rnn'", "LSTM", "Conv2D", "Dense");
        EXPECT_THROW_WITH(UnsupportedError, createLayer("Activation", {{"name", "act"}, {"activation", "gelu_fancy"}}),
                          "'act'", "gelu_fancy");
        EXPECT_THROW_WITH(UnsupportedError,
                          createLayer("QActivation", {{"name", "qa"}, {"activation", "quantized_tanh(4)"}}), "'qa'",
                          "quantized_tanh");
    }

    // ---------------------------------------------------------------- models
    void functionalAddModelPredictsSameForAnyThreadCount() {
        const auto model = modelFromJson(R"({
          "class_name": "Functional",
          "config": {"name": "tiny", "layers": [
            {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 2]}, "inbound_nodes": []},
            {"class_name": "Dense", "name": "a", "config": {"name": "a", "units": 2}, "inbound_nodes": [[["in", 0, 0, {}]]]},
            {"class_name": "Dense", "name": "b", "config": {"name": "b", "units": 2}, "inbound_nodes": [[["in", 0, 0, {}]]]},
            {"class_name": "Add", "name": "sum", "config": {"name": "sum"}, "inbound_nodes": [[["a", 0, 0, {}], ["b", 0, 0, {}]]]}
          ], "input_layers": [["in", 0, 0]], "output_layers": [["sum", 0, 0]]}})");
        QCOMPARE(model->layers().size(), size_t(4));
        QCOMPARE(model->nodes().back().inputs.size(), size_t(2));
        QCOMPARE(model->modelInputShapes().at(0), Shape({2}));
        QCOMPARE(model->outputShape(), Shape({2}));
        // a: W = [[1, 2], [3, 4]], b = [0.5, 0]  -> [x0 + 3x1 + 0.5, 2x0 + 4x1]
        // b: W = [[-1, 0], [0, 1]], b = [0, 0.25] -> [-x0, x1 + 0.25]
        // sum = [3x1 + 0.5, 2x0 + 5x1 + 0.25]
        setWeight(*model->findLayer("a"), "kernel", {1, 2, 3, 4});
        setWeight(*model->findLayer("a"), "bias", {0.5f, 0});
        setWeight(*model->findLayer("b"), "kernel", {-1, 0, 0, 1});
        setWeight(*model->findLayer("b"), "bias", {0, 0.25f});
        model->prepare();
        const int64_t n = 200;  // several 64-sample chunks, so two threads really share the work
        const Tensor x = gridSamples(n, 2);
        const Tensor one = model->predict(x, 1);
        std::vector<float> expected;
        for (int64_t i = 0; i < n; ++i) {
            const double x0 = x[2 * i], x1 = x[2 * i + 1];
            expected.push_back(static_cast<float>(3 * x1 + 0.5));
            expected.push_back(static_cast<float>(2 * x0 + 5 * x1 + 0.25));
        }
        EXPECT_TENSOR(one, Shape({n, 2}), expected);
        for (int threads : {2, 3, 0}) {
            const Tensor again = model->predict(x, threads);
            EXPECT_TENSOR(again, Shape({n, 2}), std::vector<float>(one.values().begin(), one.values().end()));
        }
        EXPECT_THROW_WITH(InputError, model->predict(Tensor({3, 5})), "(2,)", "(5,)");
    }

    void sequentialWithoutInputLayerEntry() {
        // Older Keras: no InputLayer entry; the first layer's batch_input_shape declares the input.
        const auto model = modelFromJson(R"({"class_name": "Sequential", "config": {"name": "seq", "layers": [
            {"class_name": "Dense", "config": {"name": "d1", "units": 3, "batch_input_shape": [null, 2], "activation": "relu"}},
            {"class_name": "Dense", "config": {"name": "d2", "units": 1, "use_bias": false}}]}})");
        QCOMPARE(model->modelInputShapes().at(0), Shape({2}));
        QCOMPARE(model->outputShape(), Shape({1}));
        setWeight(*model->findLayer("d1"), "kernel", {1, -1, 0, 0, 1, 2});  // [x0, x1 - x0, 2x1]
        setWeight(*model->findLayer("d1"), "bias", {0, 0, -1});
        setWeight(*model->findLayer("d2"), "kernel", {1, 10, 100});
        model->prepare();
        // x = (1, 3): relu([1, 2, 5]) -> 1 + 20 + 500 = 521; x = (2, 0): relu([2, -2, -1]) -> 2
        EXPECT_TENSOR(model->predict(Tensor({2, 2}, {1, 3, 2, 0})), Shape({2, 1}), {521, 2});
    }

    void keras3NodeForm() {
        // Keras 3 nodes: {"args": [...], "kwargs": {...}} with __keras_tensor__ / keras_history.
        const auto model = modelFromJson(R"({
          "class_name": "Functional",
          "config": {"name": "k3", "layers": [
            {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_shape": [null, 2]}, "inbound_nodes": []},
            {"class_name": "Dense", "name": "a", "config": {"name": "a", "units": 2, "use_bias": false},
             "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 2], "dtype": "float32", "keras_history": ["in", 0, 0]}}], "kwargs": {}}]},
            {"class_name": "Add", "name": "sum", "config": {"name": "sum"},
             "inbound_nodes": [{"args": [[{"class_name": "__keras_tensor__", "config": {"shape": [null, 2], "dtype": "float32", "keras_history": ["a", 0, 0]}},
                                          {"class_name": "__keras_tensor__", "config": {"shape": [null, 2], "dtype": "float32", "keras_history": ["in", 0, 0]}}]],
                                "kwargs": {}}]}
          ], "input_layers": [["in", 0, 0]], "output_layers": [["sum", 0, 0]]}})");
        QCOMPARE(model->nodes().size(), size_t(3));
        QCOMPARE(model->nodes()[1].inputs.size(), size_t(1));  // Dense: one input
        QCOMPARE(model->nodes()[2].inputs.size(), size_t(2));  // Add: a and in
        setWeight(*model->findLayer("a"), "kernel", {2, 0, 0, 2});
        model->prepare();
        EXPECT_TENSOR(model->predict(Tensor({1, 2}, {1, -4})), Shape({1, 2}), {3, -12});  // 2x + x
    }

    void nestedModelsResolveLayerPaths() {
        // outer: x -> enc (Dense "dense" 3->2) -> dec (Dense "dense" 2->3, Dense "final" 3->1).
        // Nested models are referenced with node index 1, as real Keras files do.
        const auto model = modelFromJson(R"({
          "class_name": "Functional",
          "config": {"name": "outer", "layers": [
            {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_input_shape": [null, 3]}, "inbound_nodes": []},
            {"class_name": "Functional", "name": "enc", "inbound_nodes": [[["x", 0, 0, {}]]],
             "config": {"name": "enc", "layers": [
               {"class_name": "InputLayer", "name": "enc_in", "config": {"name": "enc_in", "batch_input_shape": [null, 3]}, "inbound_nodes": []},
               {"class_name": "Dense", "name": "dense", "config": {"name": "dense", "units": 2, "use_bias": false}, "inbound_nodes": [[["enc_in", 0, 0, {}]]]}],
              "input_layers": [["enc_in", 0, 0]], "output_layers": [["dense", 0, 0]]}},
            {"class_name": "Functional", "name": "dec", "inbound_nodes": [[["enc", 1, 0, {}]]],
             "config": {"name": "dec", "layers": [
               {"class_name": "InputLayer", "name": "dec_in", "config": {"name": "dec_in", "batch_input_shape": [null, 2]}, "inbound_nodes": []},
               {"class_name": "Dense", "name": "dense", "config": {"name": "dense", "units": 3, "use_bias": false}, "inbound_nodes": [[["dec_in", 0, 0, {}]]]},
               {"class_name": "Dense", "name": "final", "config": {"name": "final", "units": 1, "use_bias": false}, "inbound_nodes": [[["dense", 0, 0, {}]]]}],
              "input_layers": [["dec_in", 0, 0]], "output_layers": [["final", 0, 0]]}}
          ], "input_layers": [["x", 0, 0]], "output_layers": [["dec", 1, 0]]}})");
        using Path = std::vector<std::string>;
        QCOMPARE(model->resolveLayerPath("enc/dense"), Path({"enc", "dense"}));
        QCOMPARE(model->resolveLayerPath("final"), Path({"dec", "final"}));
        QCOMPARE(model->resolveLayerPath("enc"), Path({"enc"}));
        EXPECT_THROW_WITH(InputError, model->resolveLayerPath("dense"), "ambiguous", "enc/dense", "dec/dense");
        EXPECT_THROW_WITH(InputError, model->resolveLayerPath("nope"), "'nope'", "dec/final");

        Layer& encDense = model->layerAt({"enc", "dense"});
        setWeight(encDense, "kernel", {1, 0, 0, 1, 1, 1});  // [x0 + x2, x1 + x2]
        setWeight(model->layerAt({"dec", "dense"}), "kernel", {1, 0, 1, 0, 1, 1});  // [h0, h1, h0 + h1]
        setWeight(model->layerAt({"dec", "final"}), "kernel", {1, 10, 100});
        model->prepare();
        const Tensor x({1, 3}, {1, 2, 4});
        // h = [5, 6]; dec dense = [5, 6, 11]; final = 5 + 60 + 1100 = 1165
        EXPECT_TENSOR(model->predict(x, 1, {"enc", "dense"}), Shape({1, 2}), {5, 6});
        EXPECT_TENSOR(model->predict(x, 1, {"dec", "dense"}), Shape({1, 3}), {5, 6, 11});
        EXPECT_TENSOR(model->predict(x, 1, {"enc"}), Shape({1, 2}), {5, 6});
        EXPECT_TENSOR(model->predict(x), Shape({1, 1}), {1165});

        // A copy is independent of the original (weights edited in one do not show in the other).
        Model copy(*model);
        copy.layerAt({"dec", "final"}).parameter("kernel")->effective[0] = 2;
        EXPECT_TENSOR(copy.predict(x), Shape({1, 1}), {1170});
        EXPECT_TENSOR(model->predict(x), Shape({1, 1}), {1165});
    }

    void malformedModelConfigs() {
        EXPECT_THROW_WITH(InputError, modelFromJson(R"({"class_name": "Dense", "config": {}})"), "test.json", "Dense");
        EXPECT_THROW_WITH(InputError, modelFromJson(R"({"class_name": "Functional", "config": {"name": "m",
            "layers": [{"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 2]}, "inbound_nodes": []},
                       {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 1}, "inbound_nodes": [[["ghost", 0, 0, {}]]]}],
            "input_layers": [["in", 0, 0]], "output_layers": [["d", 0, 0]]}})"),
                          "test.json", "ghost");
        // A layer the engine does not know: the message names the file, the layer and the class.
        EXPECT_THROW_WITH(UnsupportedError, modelFromJson(R"({"class_name": "Sequential", "config": {"name": "s",
            "layers": [{"class_name": "LSTM", "config": {"name": "rnn", "units": 4, "batch_input_shape": [null, 3, 2]}}]}})"),
                          "test.json", "'rnn'", "LSTM");
    }
};

QTEST_APPLESS_MAIN(TestLayers)
#include "tst_layers.moc"
