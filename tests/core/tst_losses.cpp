// Training losses (core/train/losses.h): values as Keras computes them and gradients w.r.t. the
// model output against central finite differences.
#include "core/metrics/econt_remap.h"
#include "core/train/losses.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace flipscope;

namespace {

Tensor randomTensor(Shape shape, uint64_t seed, float lo, float hi) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    Tensor t(std::move(shape));
    for (float& v : t.values()) v = dist(rng);
    return t;
}

// Softmax rows, so cross-entropy sees probabilities.
Tensor softmaxRows(Tensor t) {
    const int64_t w = t.dim(-1);
    for (int64_t r = 0; r < t.size(); r += w) {
        double s = 0.0;
        for (int64_t k = 0; k < w; ++k) s += std::exp(t[r + k]);
        for (int64_t k = 0; k < w; ++k) t[r + k] = static_cast<float>(std::exp(t[r + k]) / s);
    }
    return t;
}

QString finiteDifferenceCheck(const Loss& loss, Tensor y, const Tensor& target, double h, double rtol) {
    Tensor g;
    loss.mean(y, target, &g);
    for (int64_t i = 0; i < y.size(); ++i) {
        const float keep = y[i];
        y[i] = keep + static_cast<float>(h);
        const double up = loss.mean(y, target);
        y[i] = keep - static_cast<float>(h);
        const double down = loss.mean(y, target);
        y[i] = keep;
        const double fd = (up - down) / (2 * h);
        if (std::fabs(fd - g[i]) > 1e-5 + rtol * std::fabs(fd))
            return QString("%1[%2]: gradient %3, finite difference %4")
                .arg(QString::fromStdString(loss.name()))
                .arg(i)
                .arg(g[i], 0, 'g', 8)
                .arg(fd, 0, 'g', 8);
    }
    return {};
}

#define FD_CHECK(...)                                              \
    do {                                                           \
        const QString why_ = finiteDifferenceCheck(__VA_ARGS__);   \
        QVERIFY2(why_.isEmpty(), qPrintable(why_));                \
    } while (0)

}  // namespace

class TestLosses : public QObject {
    Q_OBJECT
private slots:
    void mse() {
        const auto loss = makeLoss("mse");
        const Tensor y({2, 2}, {1.0f, 2.0f, 3.0f, 4.0f});
        const Tensor t({2, 2}, {0.0f, 2.0f, 5.0f, 4.0f});
        QCOMPARE(loss->mean(y, t), (1.0 + 0.0 + 4.0 + 0.0) / 4);
        FD_CHECK(*loss, randomTensor({3, 5}, 1, -1, 1), randomTensor({3, 5}, 2, -1, 1), 1e-3, 1e-3);
    }

    void telescope() {
        const auto loss = makeLoss("telescope");
        // Images with the masked quadrant zero, as the ECON-T models see them.
        auto image = [](uint64_t seed) {
            Tensor t = randomTensor({4, 8, 8, 1}, seed, 0.0f, 0.2f);
            for (int64_t s = 0; s < 4; ++s)
                for (int p = 0; p < kEcontPixels; ++p)
                    if (econtPixelCells()[p] < 0) t[s * 64 + p] = 0.0f;
            return t;
        };
        const Tensor y = image(3), t = image(4);
        FD_CHECK(*loss, y, t, 1e-4, 2e-3);
        Tensor g;
        loss->mean(y, t, &g);
        for (int p = 0; p < kEcontPixels; ++p)
            if (econtPixelCells()[p] < 0) QCOMPARE(g[p], 0.0f);  // masked pixels get no gradient
        QCOMPARE(loss->mean(t, t), 0.0);
    }

    void crossEntropyFromProbabilities() {
        const auto loss = makeLoss("categorical_crossentropy");
        const Tensor y({1, 3}, {0.2f, 0.7f, 0.1f});
        QVERIFY(std::fabs(loss->mean(y, oneHot({1}, 3)) + std::log(0.7)) < 1e-6);
        const Tensor p = softmaxRows(randomTensor({3, 4}, 5, -2, 2));
        FD_CHECK(*loss, p, oneHot({0, 3, 2}, 4), 1e-4, 2e-3);
        // Through a softmax the gradient is p - t (checked on the first row by the chain rule).
        Tensor g;
        loss->mean(p, oneHot({0, 3, 2}, 4), &g);
        double dot = 0.0;
        for (int k = 0; k < 4; ++k) dot += g[k] * p[k];
        for (int k = 0; k < 4; ++k) QVERIFY(std::fabs(p[k] * (g[k] - dot) - (p[k] - (k == 0)) / 3.0) < 1e-6);
    }

    void crossEntropyFromLogits() {
        const auto loss = makeLoss("categorical_crossentropy_from_logits");
        const Tensor z = randomTensor({3, 4}, 6, -3, 3);
        const Tensor t = oneHot({1, 1, 3}, 4);
        QVERIFY(std::fabs(loss->mean(z, t) - makeLoss("categorical_crossentropy")->mean(softmaxRows(z), t)) < 1e-6);
        FD_CHECK(*loss, z, t, 1e-3, 2e-3);
    }

    void unknownNamesAreListed() {
        try {
            makeLoss("hinge");
            QFAIL("no error");
        } catch (const std::exception& e) {
            QVERIFY(std::string(e.what()).find("telescope") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestLosses)
#include "tst_losses.moc"
