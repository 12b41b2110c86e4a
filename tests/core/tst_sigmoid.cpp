// The sigmoid the model's layers use (core/model/sigmoid.h): its e^x against the C library's
// double exp, and its SIMD form against the value-by-value one, bit for bit.
#include "core/model/activation.h"
#include "core/model/sigmoid.h"

#include <QtTest>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

using namespace flipscope;

namespace {

bool sameBits(float a, float b) { return std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b) || (std::isnan(a) && std::isnan(b)); }

// Every 1021st bit pattern of the 2^32 floats (both signs, all exponents, NaNs and infinities
// among them), then values at and around the ends of the computed range.
std::vector<float> spreadOfFloats() {
    std::vector<float> values;
    for (uint64_t bits = 0; bits < (uint64_t{1} << 32); bits += 1021) values.push_back(std::bit_cast<float>(static_cast<uint32_t>(bits)));
    const float inf = std::numeric_limits<float>::infinity();
    for (float v : {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN(), 88.72283f, 88.72284f, 89.0f,
                    89.5f, -103.97f, -103.98f, -104.0f, -104.5f, std::numeric_limits<float>::denorm_min(),
                    -std::numeric_limits<float>::max()})
        for (float sign : {1.0f, -1.0f}) values.push_back(sign * v);
    return values;
}

}  // namespace

class TestSigmoid : public QObject {
    Q_OBJECT
private slots:
    void knownValues() {
        QCOMPARE(expOf(0.0f), 1.0f);
        QCOMPARE(expOf(1.0f), 2.71828175f);   // e rounded to float
        QCOMPARE(expOf(-1.0f), 0.367879450f);
        QCOMPARE(expOf(10.0f), 22026.4648f);
        QCOMPARE(sigmoidOf(0.0f), 0.5f);
        QCOMPARE(sigmoidOf(2.0f), 0.880797088f);
        QCOMPARE(sigmoidOf(-2.0f), 0.119202919f);
    }

    void rangeEnds() {
        const float inf = std::numeric_limits<float>::infinity();
        QCOMPARE(expOf(-104.5f), 0.0f);
        QCOMPARE(expOf(-inf), 0.0f);
        QVERIFY(expOf(-103.0f) > 0.0f && expOf(-103.0f) < std::numeric_limits<float>::min());  // subnormal
        QCOMPARE(expOf(88.0f), 1.65163625e38f);
        QCOMPARE(expOf(89.5f), inf);
        QCOMPARE(expOf(inf), inf);
        QVERIFY(std::isnan(expOf(std::numeric_limits<float>::quiet_NaN())));
        QCOMPARE(sigmoidOf(200.0f), 1.0f);
        QCOMPARE(sigmoidOf(-200.0f), 0.0f);
        QVERIFY(std::isnan(sigmoidOf(std::numeric_limits<float>::quiet_NaN())));
    }

    // Against float(exp(double)), itself within a hair of e^x: never a unit in the last place
    // apart, and equal but for a handful (35 of the 2.24e9 floats in (-103, 88) when all were
    // compared while writing this).
    void expIsFaithfulAndAlmostAlwaysCorrectlyRounded() {
        int64_t compared = 0, differ = 0;
        for (const float x : spreadOfFloats()) {
            if (!(x > -103.0f && x < 88.0f)) continue;
            const float ours = expOf(x), reference = static_cast<float>(std::exp(static_cast<double>(x)));
            ++compared;
            if (ours == reference) continue;
            ++differ;
            const float ulp = std::nextafter(reference, std::numeric_limits<float>::infinity()) - reference;
            if (!(std::fabs(ours - reference) <= ulp)) QFAIL(qPrintable(QString("x = %1").arg(static_cast<double>(x), 0, 'g', 9)));
        }
        QVERIFY(compared > 1000000);
        QVERIFY2(differ <= 2, qPrintable(QString::number(differ)));
    }

    // The SIMD form against the one-value form, at every offset from a register's start (so the
    // tail done one by one is covered too), through an activation layer's apply as the model runs it.
    void simdMatchesValueByValue() {
        const std::vector<float> values = spreadOfFloats();
        for (size_t offset = 0; offset < 8; ++offset) {
            Tensor t({static_cast<int64_t>(values.size() - offset)});
            std::copy(values.begin() + offset, values.end(), t.data());
            Activation::fromConfig("sigmoid", "test").apply(t);
            size_t differ = 0, first = 0;
            for (size_t i = offset; i < values.size(); ++i)
                if (!sameBits(t[static_cast<int64_t>(i - offset)], sigmoidOf(values[i])) && differ++ == 0) first = i;
            QVERIFY2(differ == 0, qPrintable(QString("%1 differ, the first at x = %2")
                                                 .arg(differ)
                                                 .arg(static_cast<double>(values[first]), 0, 'g', 9)));
        }
    }
};

QTEST_APPLESS_MAIN(TestSigmoid)
#include "tst_sigmoid.moc"
