// The ECON-T telescope loss on hand-computed cases and its gradient against central finite
// differences.
#include "core/common/error.h"
#include "core/metrics/telescope.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <vector>

using namespace flipscope;

namespace {

std::vector<double> oneHot(int cell, double value) {
    std::vector<double> map(48, 0.0);
    map[cell] = value;
    return map;
}

bool near(double a, double b, double tolerance) { return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b)); }

}  // namespace

class TestTelescope : public QObject {
    Q_OBJECT
private slots:
    // With y_true = 0 and y_pred = a at one cell c, every term that sees c is a^2 * max(0, a) = a^3:
    //   L1 = a^3 / 48
    //   L2 = a^3 * (sum of the weights of the 2x2 super-cells holding c) / 36
    //   L3 = a^3 / 3                     (c lies in exactly one 4x4 super-cell)
    // Cell 0 is in {0,1,4,5} (0.25*1.5) and {0,1,27,31} (0.25*1.5): weight sum 0.75, so for a = 1
    //   loss = 4/48 + 2*0.75/36 + 1/3 = 2/24 + 1/24 + 8/24 = 11/24.
    // Cell 5 is in {0,1,4,5} (0.375), {4,5,8,9} (0.375), {1,2,5,6} (0.25), {5,6,9,10} (0.25):
    // weight sum 1.25, so for a = 2
    //   loss = 8 * (4/48 + 2*1.25/36 + 1/3) = 8 * 35/72 = 35/9.
    void oneHotDifferences() {
        const std::vector<double> zeros(48, 0.0);
        QVERIFY(near(telescopeLoss(zeros, oneHot(0, 1.0)), 11.0 / 24.0, 1e-15));
        QVERIFY(near(telescopeLoss(zeros, oneHot(5, 2.0)), 35.0 / 9.0, 1e-15));
        // Symmetric in its arguments (max() makes it so).
        QVERIFY(near(telescopeLoss(oneHot(5, 2.0), zeros), 35.0 / 9.0, 1e-15));
        QCOMPARE(telescopeLoss(zeros, zeros), 0.0);
    }

    // y_true = 1 and y_pred = 3 at cell 0: every term is (1-3)^2 * max(1,3) = 12:
    //   loss = 4*12/48 + 2*12*0.75/36 + 12/3 = 1 + 0.5 + 4 = 5.5
    void maxPicksTheLargerSide() {
        QVERIFY(near(telescopeLoss(oneHot(0, 1.0), oneHot(0, 3.0)), 5.5, 1e-15));
        QVERIFY(near(telescopeLoss(oneHot(0, 3.0), oneHot(0, 1.0)), 5.5, 1e-15));
    }

    void gradientMatchesFiniteDifferences() {
        std::mt19937_64 rng(31);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        for (int trial = 0; trial < 20; ++trial) {
            std::vector<double> yTrue(48), yPred(48), gradient(48);
            for (int c = 0; c < 48; ++c) {
                yTrue[c] = unit(rng) < 0.5 ? 0.0 : unit(rng);  // sparse targets like HGCal maps
                yPred[c] = unit(rng);
            }
            const double loss = telescopeGradient(yTrue, yPred, gradient);
            QCOMPARE(loss, telescopeLoss(yTrue, yPred));
            const double h = 1e-6;
            for (int c = 0; c < 48; ++c) {
                std::vector<double> up = yPred, down = yPred;
                up[c] += h;
                down[c] -= h;
                const double numeric = (telescopeLoss(yTrue, up) - telescopeLoss(yTrue, down)) / (2 * h);
                if (std::abs(numeric - gradient[c]) > 1e-7 * std::max(1.0, std::abs(numeric)))
                    QFAIL(qPrintable(QString("trial %1 cell %2: analytic %3, finite difference %4")
                                         .arg(trial).arg(c).arg(gradient[c], 0, 'g', 12).arg(numeric, 0, 'g', 12)));
            }
        }
    }

    void gradientVanishesAtPerfectPrediction() {
        std::vector<double> y(48), gradient(48, 1.0);
        for (int c = 0; c < 48; ++c) y[c] = 0.1 * c;
        QCOMPARE(telescopeGradient(y, y, gradient), 0.0);
        for (double g : gradient) QCOMPARE(g, 0.0);
    }

    void rowsAndMean() {
        const std::vector<double> zeros(48, 0.0);
        std::vector<double> yTrue, yPred;
        for (const auto& row : {zeros, oneHot(0, 1.0)}) yTrue.insert(yTrue.end(), row.begin(), row.end());
        for (const auto& row : {oneHot(0, 1.0), oneHot(0, 3.0)}) yPred.insert(yPred.end(), row.begin(), row.end());
        const std::vector<double> losses = telescopeLossRows(yTrue.data(), yPred.data(), 2);
        QCOMPARE(losses.size(), size_t(2));
        QVERIFY(near(losses[0], 11.0 / 24.0, 1e-15));
        QVERIFY(near(losses[1], 5.5, 1e-15));

        std::vector<double> gradient(96);
        const double mean = telescopeMeanLossAndGradient(yTrue.data(), yPred.data(), 2, gradient.data());
        QVERIFY(near(mean, (11.0 / 24.0 + 5.5) / 2, 1e-15));
        std::vector<double> rowGradient(48);
        telescopeGradient(std::span<const double>(yTrue.data() + 48, 48), std::span<const double>(yPred.data() + 48, 48),
                          rowGradient);
        for (int c = 0; c < 48; ++c) QCOMPARE(gradient[48 + c], rowGradient[c] / 2);
    }

    void rejectsWrongSizes() {
        QVERIFY_THROWS_EXCEPTION(InputError, telescopeLoss(std::vector<double>(47), std::vector<double>(48)));
        std::vector<double> gradient(10);
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 telescopeGradient(std::vector<double>(48), std::vector<double>(48), gradient));
    }
};

QTEST_APPLESS_MAIN(TestTelescope)
#include "tst_telescope.moc"
