// QKeras quantizer semantics: golden vectors from the shared reference, the reference's worked
// examples for auto/auto_po2, both config forms, and clear errors for what we do not support.
#include "common/test_paths.h"
#include "core/common/error.h"
#include "core/common/random.h"
#include "core/quant/quantizer.h"
#include "core/quant/quantizer_parse.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

using namespace flipscope;
using nlohmann::json;

namespace {
QuantizerSpec parse(const std::string& text) { return parseQuantizerString(text, {"test", "quantizer"}); }

std::vector<std::string> splitCsvLine(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        else if (c == ',' && !quoted) { out.push_back(cur); cur.clear(); }
        else cur += c;
    }
    out.push_back(cur);
    return out;
}
}  // namespace

class TestQuantizers : public QObject {
    Q_OBJECT
private slots:
    void goldenVectorsFromReference() {
        FLIPSCOPE_REQUIRE_SHARED(csv, "reference/vectors/quantizers.csv");
        std::ifstream in(csv);
        std::string line;
        std::getline(in, line);  // header
        int checked = 0;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            const auto cols = splitCsvLine(line);
            QCOMPARE(cols.size(), size_t(3));
            const QuantizerSpec spec = parse(cols[0]);
            const float x = std::stof(cols[1]);
            const float expected = std::stof(cols[2]);
            const float got = quantizeScalar(spec, x);
            if (got != expected)
                QFAIL(qPrintable(QString("%1(%2) = %3, QKeras gives %4")
                                     .arg(QString::fromStdString(cols[0])).arg(x, 0, 'g', 9)
                                     .arg(got, 0, 'g', 9).arg(expected, 0, 'g', 9)));
            ++checked;
        }
        QCOMPARE(checked, 576);
    }

    // quantize runs quantized_relu eight values at a time where the CPU has AVX2: bit for bit the
    // value-by-value reference, on values spread over many magnitudes, both signs, exact grid
    // points and the halfway points between them (round half to even), the top of the range,
    // zeros of both signs, infinities and NaN, for several grids and a noise factor below one.
    void reluSimdMatchesReference() {
        std::vector<float> values;
        SplitMix64 rng(17);
        for (int i = 0; i < 4000; ++i) {
            const double unit = static_cast<double>(rng.next() >> 11) / 9007199254740992.0;
            const float magnitude = static_cast<float>(std::ldexp(unit, static_cast<int>(rng.next() % 40) - 30));
            values.push_back(rng.next() % 2 ? magnitude : -magnitude);
        }
        for (int k = -40; k <= 600; ++k) {
            values.push_back(static_cast<float>(k) / 256.0f);
            values.push_back((static_cast<float>(k) + 0.5f) / 256.0f);
            values.push_back((static_cast<float>(k) + 0.5f) / 512.0f);
        }
        for (float v : {0.0f, -0.0f, 1.9960938f, 2.0f, 7.999f, 8.0f, 1e30f, -1e30f, std::numeric_limits<float>::infinity(),
                        -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()})
            values.push_back(v);
        int checked = 0;
        for (const char* text : {"quantized_relu(9,1)", "quantized_relu(12,3)", "quantized_relu(16,3)",
                                 "quantized_relu(6,0)", "quantized_relu(4,2,qnoise_factor=0.5)"}) {
            const QuantizerSpec spec = parse(text);
            std::vector<float> simd = values, reference = values;
            quantize(spec, simd, {static_cast<int64_t>(simd.size())});
            quantizeReluReference(spec, reference);
            for (size_t i = 0; i < values.size(); ++i)
                if (std::memcmp(&simd[i], &reference[i], sizeof(float)) != 0)
                    QFAIL(qPrintable(QString("%1(%2): %3, reference %4").arg(text).arg(values[i], 0, 'g', 9)
                                         .arg(simd[i], 0, 'g', 9).arg(reference[i], 0, 'g', 9)));
            ++checked;
        }
        QCOMPARE(checked, 5);
        qInfo("AVX2 %s", __builtin_cpu_supports("avx2") ? "used" : "not available (both paths are the reference)");
    }

    void workedExamplesFixedPoint_data() {
        QTest::addColumn<QString>("quantizer");
        QTest::addColumn<float>("x");
        QTest::addColumn<float>("y");
        QTest::newRow("8,0 0.3") << "quantized_bits(8,0)" << 0.3f << 0.296875f;
        QTest::newRow("8,0 tie down") << "quantized_bits(8,0)" << 0.00390625f << 0.0f;
        QTest::newRow("8,0 tie up") << "quantized_bits(8,0)" << 0.01171875f << 0.015625f;
        QTest::newRow("8,0 clip") << "quantized_bits(8,0)" << 0.99f << 0.9921875f;
        QTest::newRow("8,0 -1") << "quantized_bits(8,0)" << -1.0f << -1.0f;
        QTest::newRow("8,0 ste artefact") << "quantized_bits(8,0)" << 200000.0f << 1.0f;
        QTest::newRow("6,0 sym -1") << "quantized_bits(6,0,symmetric=1)" << -1.0f << -0.96875f;
        QTest::newRow("5,1 -2.5") << "quantized_bits(5,1)" << -2.5f << -2.0f;
        QTest::newRow("4,0 unsigned") << "quantized_bits(4,0,keep_negative=0)" << -0.3f << 0.0f;
        QTest::newRow("16,6 pi") << "quantized_bits(16,6)" << 3.14159f << 3.140625f;
        QTest::newRow("16,6 33000") << "quantized_bits(16,6)" << 33000.0f << 64.0f;
        QTest::newRow("binary 0") << "quantized_bits(1,0)" << 0.0f << 1.0f;
        QTest::newRow("binary neg") << "quantized_bits(1,0)" << -0.2f << -1.0f;
        QTest::newRow("relu 8,0") << "quantized_relu(8,0)" << 0.3f << 0.30078125f;
        QTest::newRow("relu 8,0 top") << "quantized_relu(8,0)" << 1.5f << 0.99609375f;
        QTest::newRow("relu 4,2") << "quantized_relu(4,2)" << 2.9f << 3.0f;
        QTest::newRow("relu 4,2 neg") << "quantized_relu(4,2)" << -1.0f << 0.0f;
        QTest::newRow("po2 0.35") << "quantized_po2(4,1)" << 0.35f << 0.25f;
        QTest::newRow("po2 0.36") << "quantized_po2(4,1)" << 0.36f << 0.5f;
        QTest::newRow("po2 zero") << "quantized_po2(4,1)" << 0.0f << 0.00390625f;
        QTest::newRow("po2 200") << "quantized_po2(4)" << 200.0f << 8.0f;
    }
    void workedExamplesFixedPoint() {
        QFETCH(QString, quantizer);
        QFETCH(float, x);
        QFETCH(float, y);
        QCOMPARE(quantizeScalar(parse(quantizer.toStdString()), x), y);
    }

    void autoScalesPerChannel() {
        // Reference 1.5: W[in=3,out=2], bits=4, integer=0.
        const std::vector<float> w = {0.30f, -0.05f, -0.12f, 0.011f, 0.07f, 0.02f};
        std::vector<float> a = w;
        std::vector<float> scales;
        quantize(parse("quantized_bits(4,0,alpha='auto')"), a, {3, 2}, &scales);
        const std::vector<float> expectAuto = {0.3f, -0.05f, -0.1285714f, 0.0142857f, 0.0857143f, 0.0214286f};
        for (size_t i = 0; i < a.size(); ++i) QVERIFY2(std::fabs(a[i] - expectAuto[i]) < 1e-6, qPrintable(QString::number(i)));
        QCOMPARE(scales.size(), size_t(2));

        std::vector<float> p = w;
        quantize(parse("quantized_bits(4,0,alpha='auto_po2')"), p, {3, 2}, &scales);
        const std::vector<float> expectPo2 = {0.21875f, -0.046875f, -0.125f, 0.0078125f, 0.0625f, 0.0234375f};
        for (size_t i = 0; i < p.size(); ++i) QCOMPARE(p[i], expectPo2[i]);
        QCOMPARE(scales, (std::vector<float>{0.03125f * 8, 0.0078125f * 8}));
    }

    void autoOnVector() {
        std::vector<float> b = {0.5f, -0.26f, 0.1f};
        quantize(parse("quantized_bits(4,0,alpha='auto_po2')"), b, {3});
        QCOMPARE(b, (std::vector<float>{0.4375f, -0.25f, 0.125f}));
        std::vector<float> c = {0.5f, -0.26f, 0.1f};
        quantize(parse("quantized_bits(4,0,alpha='auto')"), c, {3});
        QVERIFY(std::fabs(c[1] + 0.2857143f) < 1e-6);
    }

    void stringForms() {
        QuantizerSpec a = parse("quantized_bits(6,0,alpha=1)");
        QCOMPARE(a.bits, 6);
        QCOMPARE(a.integer, 0);
        QVERIFY(a.alpha == AlphaMode::Fixed);
        QCOMPARE(a.toString(), std::string("quantized_bits(6,0,0,alpha=1)"));
        QuantizerSpec b = parse("quantized_bits(4,0,1)");
        QVERIFY(b.symmetric);
        QuantizerSpec c = parse("quantized_relu(2)");
        QCOMPARE(c.bits, 2);
        QCOMPARE(c.integer, 0);
        QuantizerSpec d = parse("quantized_bits(8,3,1,alpha='auto_po2')");
        QVERIFY(d.alpha == AlphaMode::AutoPo2);
        QuantizerSpec e = parse("quantized_relu");  // default construction
        QCOMPARE(e.bits, 8);
        QuantizerSpec f = parse("quantized_po2(4,max_value=1)");
        QVERIFY(f.maxValue && *f.maxValue == 1.0f);
    }

    void dictFormMatchesStringForm() {
        const json dict = json::parse(R"({"class_name": "quantized_bits", "config": {"bits": 6, "integer": 0,
            "symmetric": 0, "alpha": 1, "keep_negative": true, "use_stochastic_rounding": false, "qnoise_factor": 1.0}})");
        auto spec = parseQuantizer(dict, {"fc1", "kernel_quantizer"});
        QVERIFY(spec.has_value());
        QCOMPARE(*spec, parse("quantized_bits(6,0,alpha=1)"));
        QVERIFY(!parseQuantizer(json(nullptr), {"fc1", "bias_quantizer"}).has_value());
    }

    void kernelDefaultBecomesAutoPo2() {
        QuantizerSpec s = parse("quantized_bits(8,0)");
        applyKernelQuantizerDefaults(s);
        QVERIFY(s.alpha == AlphaMode::AutoPo2);
        QVERIFY(s.symmetric);
        QuantizerSpec fixed = parse("quantized_bits(8,0,alpha=1)");
        applyKernelQuantizerDefaults(fixed);
        QVERIFY(fixed.alpha == AlphaMode::Fixed);
    }

    void unsupportedIsAClearError_data() {
        QTest::addColumn<QString>("quantizer");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("tanh") << "quantized_tanh(4)" << "quantized_tanh";
        QTest::newRow("unknown") << "my_quantizer(4)" << "my_quantizer";
        QTest::newRow("sigmoid relu") << "quantized_relu(4,0,1)" << "use_sigmoid";
        QTest::newRow("alpha string") << "quantized_bits(4,0,alpha='weird')" << "alpha";
    }
    void unsupportedIsAClearError() {
        QFETCH(QString, quantizer);
        QFETCH(QString, mentions);
        try {
            parseQuantizerString(quantizer.toStdString(), {"dense_3", "kernel_quantizer"});
            QFAIL("expected an error");
        } catch (const Error& e) {
            const QString msg = e.what();
            QVERIFY2(msg.contains("dense_3") && msg.contains(mentions), qPrintable(msg));
        }
    }
};

QTEST_APPLESS_MAIN(TestQuantizers)
#include "tst_quantizers.moc"
