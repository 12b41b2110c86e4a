// Synthetic ECON-T modules (core/train/synth_hgcal.h): deterministic for a seed, no all-zero
// module, the study's normalization (sums in [1, 2)), the 8x8 arrangement, sparse like
// trigger-cell data.
#include "core/metrics/econt_remap.h"
#include "core/train/synth_hgcal.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace flipscope;

class TestSynthHgcal : public QObject {
    Q_OBJECT
private slots:
    void deterministicForASeed() {
        const SyntheticModules a = synthesizeHgcalModules(300, 5), b = synthesizeHgcalModules(300, 5);
        const SyntheticModules c = synthesizeHgcalModules(300, 6);
        QVERIFY(a.charges == b.charges);
        QVERIFY(std::equal(a.images.values().begin(), a.images.values().end(), b.images.values().begin()));
        QVERIFY(a.charges != c.charges);
        // The first modules do not depend on how many are drawn.
        const SyntheticModules longer = synthesizeHgcalModules(400, 5);
        QVERIFY(std::equal(a.charges.begin(), a.charges.end(), longer.charges.begin()));
    }

    void normalizedSparseModules() {
        const SyntheticModules m = synthesizeHgcalModules(2000, 1);
        QCOMPARE(m.images.shape(), (Shape{2000, 8, 8, 1}));
        std::vector<int> nonZero;
        for (int64_t s = 0; s < m.count; ++s) {
            double rawSum = 0.0, sum = 0.0;
            int count = 0;
            for (int c = 0; c < kEcontCells; ++c) {
                const float q = m.charges[s * kEcontCells + c];
                QVERIFY(q >= 0.0f && q == std::round(q));  // whole counts
                rawSum += q;
                sum += m.cells[s * kEcontCells + c];
                count += q > 0.0f;
            }
            QVERIFY(rawSum > 0.0);  // all-zero modules are dropped
            QVERIFY2(sum >= 1.0 && sum < 2.0, qPrintable(QString("module %1 sums to %2").arg(s).arg(sum)));
            QCOMPARE(sum / rawSum, std::ldexp(1.0, -static_cast<int>(std::floor(std::log2(rawSum)))));
            nonZero.push_back(count);
            // The image holds the cells at the `arrange` pixels and zeros in the masked quadrant.
            for (int p = 0; p < kEcontPixels; ++p) {
                const int cell = econtPixelCells()[p];
                QCOMPARE(m.images[s * kEcontPixels + p], cell < 0 ? 0.0f : m.cells[s * kEcontCells + cell]);
            }
        }
        std::sort(nonZero.begin(), nonZero.end());
        const int median = nonZero[nonZero.size() / 2];
        QVERIFY2(median >= 3 && median <= 16, qPrintable(QString("median %1 non-zero cells").arg(median)));
        QVERIFY(nonZero.back() > 24);  // some large showers
    }

    void normalizeBySumLog2() {
        std::vector<float> v = {3.0f, 5.0f, 0.0f};  // sum 8 -> / 8
        flipscope::normalizeBySumLog2(v);
        QCOMPARE(v[0], 0.375f);
        QCOMPARE(v[1], 0.625f);
        std::vector<float> w = {7.0f};  // sum 7 -> / 4
        flipscope::normalizeBySumLog2(w);
        QCOMPARE(w[0], 1.75f);
        std::vector<float> z = {0.0f, 0.0f};
        flipscope::normalizeBySumLog2(z);
        QCOMPARE(z[0], 0.0f);
    }
};

QTEST_APPLESS_MAIN(TestSynthHgcal)
#include "tst_synth_hgcal.moc"
