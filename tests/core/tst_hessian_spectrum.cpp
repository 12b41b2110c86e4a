// Second-order tools on operators with known answers (core/sensitivity/hessian_spectrum.h): the
// top eigenpairs of a dense symmetric matrix built from chosen eigenvalues, the Hutchinson trace
// within its own standard error, the exact and estimated Hessian diagonal, cancel and progress.
#include "common/expect_error.h"
#include "core/common/error.h"
#include "core/common/random.h"
#include "core/sensitivity/hessian_spectrum.h"

#include <Eigen/Dense>
#include <QtTest>

#include <cmath>

using namespace flipscope;

namespace {

class DenseOperator : public HessianOperator {
public:
    explicit DenseOperator(Eigen::MatrixXd m) : m_(std::move(m)) {}
    int64_t dimension() const override { return m_.rows(); }
    std::vector<double> apply(const std::vector<double>& x) const override {
        const Eigen::VectorXd y = m_ * Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
        return {y.data(), y.data() + y.size()};
    }
    const Eigen::MatrixXd& matrix() const { return m_; }

private:
    Eigen::MatrixXd m_;
};

// Q diag(eigenvalues) Q^T with a seeded random orthogonal Q (QR of a random matrix).
Eigen::MatrixXd withEigenvalues(const std::vector<double>& eigenvalues, Eigen::MatrixXd* vectors = nullptr) {
    const Eigen::Index n = static_cast<Eigen::Index>(eigenvalues.size());
    SplitMix64 rng(5);
    Eigen::MatrixXd a(n, n);
    for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = rng.uniform() - 0.5;
    const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(a).householderQ();
    if (vectors) *vectors = q;
    return q * Eigen::Map<const Eigen::VectorXd>(eigenvalues.data(), n).asDiagonal() * q.transpose();
}

std::vector<double> spectrum() {
    std::vector<double> values{10.0, -7.0, 5.0, 3.0};
    for (int i = 0; i < 26; ++i) values.push_back(1.0 / (i + 1));  // 30 in all, the rest <= 1
    return values;
}

}  // namespace

class TestHessianSpectrum : public QObject {
    Q_OBJECT
private slots:
    void topEigenpairsOfAKnownMatrix() {
        Eigen::MatrixXd q;
        const DenseOperator h(withEigenvalues(spectrum(), &q));
        EigenOptions options;
        options.topK = 4;
        options.tolerance = 1e-12;
        options.maxIterations = 5000;
        const EigenResult r = topEigenpairs(h, options);
        const std::vector<double> expected{10.0, -7.0, 5.0, 3.0};  // largest magnitude first
        QCOMPARE(r.eigenvalues.size(), size_t(4));
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(std::fabs(r.eigenvalues[i] - expected[i]) < 1e-8,
                     qPrintable(QString("eigenvalue %1: %2").arg(i).arg(r.eigenvalues[i], 0, 'g', 15)));
            QVERIFY(r.converged[i]);
            const Eigen::Map<const Eigen::VectorXd> v(r.eigenvectors[i].data(), 30);
            QVERIFY(std::fabs(v.norm() - 1.0) < 1e-5);
            QVERIFY(std::fabs(std::fabs(v.dot(q.col(i))) - 1.0) < 1e-6);  // the right direction, up to sign
        }
    }

    void iterationCapIsReported() {
        // Two nearly equal eigenvalues: power iteration converges slowly; 3 iterations are not enough.
        const DenseOperator h(withEigenvalues({1.0, 0.999, 0.5, 0.1}));
        EigenOptions options;
        options.topK = 1;
        options.maxIterations = 3;
        options.tolerance = 1e-15;
        const EigenResult r = topEigenpairs(h, options);
        QCOMPARE(r.iterations[0], 3);
        QVERIFY(!r.converged[0]);
    }

    void hutchinsonTraceWithinItsStandardError() {
        const DenseOperator h(withEigenvalues(spectrum()));
        const Eigen::MatrixXd& m = h.matrix();
        TraceOptions options;
        options.maxSamples = 400;
        options.tolerance = 0.0;  // never settles: use every sample
        const TraceResult r = hutchinsonTrace(h, {0, 10}, options);
        QCOMPARE(r.samples, 400);
        const double exact = m.trace();
        QVERIFY(r.standardError > 0);
        QVERIFY2(std::fabs(r.trace - exact) < 4 * r.standardError,
                 qPrintable(QString("%1 vs %2 +- %3").arg(r.trace).arg(exact).arg(r.standardError)));
        const double blocks[] = {m.diagonal().head(10).sum(), m.diagonal().tail(20).sum()};
        for (int b = 0; b < 2; ++b)
            QVERIFY2(std::fabs(r.blockTraces[b] - blocks[b]) < 4 * r.blockStandardErrors[b],
                     qPrintable(QString("block %1: %2 vs %3").arg(b).arg(r.blockTraces[b]).arg(blocks[b])));
        QVERIFY(std::fabs(r.blockTraces[0] + r.blockTraces[1] - r.trace) < 1e-9);
    }

    void hutchinsonStopsWhenSettled() {
        // A diagonal matrix: z.Hz is the trace for every Rademacher z, so the mean never moves.
        const DenseOperator h(Eigen::VectorXd::LinSpaced(20, 1.0, 20.0).asDiagonal().toDenseMatrix());
        TraceOptions options;
        const TraceResult r = hutchinsonTrace(h, {0}, options);
        QCOMPARE(r.samples, options.minSamples);
        QCOMPARE(r.trace, 210.0);
        QCOMPARE(r.standardError, 0.0);
        EXPECT_THROW_WITH(InputError, hutchinsonTrace(h, {3}, options), "blocks");
    }

    void diagonalExactAndEstimated() {
        const DenseOperator h(withEigenvalues(spectrum()));
        const Eigen::MatrixXd& m = h.matrix();
        const DiagonalResult exact = hessianDiagonal(h, 30, 0, 1);
        QVERIFY(exact.exact);
        for (int i = 0; i < 30; ++i) QVERIFY(std::fabs(exact.diagonal[i] - m(i, i)) < 1e-12);
        // Estimated: z_i (Hz)_i = H_ii + sum_{j != i} H_ij z_i z_j, so each entry's standard error
        // is sqrt(sum_{j != i} H_ij^2 / samples); every entry must lie within 5 of them.
        const int samples = 2000;
        const DiagonalResult estimate = hessianDiagonal(h, 10, samples, 1);
        QVERIFY(!estimate.exact);
        QCOMPARE(estimate.samples, samples);
        for (int i = 0; i < 30; ++i) {
            const double offDiagonal = m.row(i).squaredNorm() - m(i, i) * m(i, i);
            const double error = std::sqrt(offDiagonal / samples);
            QVERIFY2(std::fabs(estimate.diagonal[i] - m(i, i)) < 5 * error,
                     qPrintable(QString("entry %1: %2 vs %3").arg(i).arg(estimate.diagonal[i]).arg(m(i, i))));
        }
    }

    void cancelAndProgress() {
        const DenseOperator h(withEigenvalues(spectrum()));
        std::atomic<bool> cancel{true};
        QVERIFY_THROWS_EXCEPTION(Cancelled, topEigenpairs(h, {}, &cancel));
        QVERIFY_THROWS_EXCEPTION(Cancelled, hutchinsonTrace(h, {0}, {}, &cancel));
        QVERIFY_THROWS_EXCEPTION(Cancelled, hessianDiagonal(h, 100, 1, 1, &cancel));
        double last = -1.0;
        bool monotone = true;
        EigenOptions options;
        options.topK = 2;
        topEigenpairs(h, options, nullptr, [&](double f, const std::string&) {
            monotone = monotone && f >= last && f <= 1.0;
            last = f;
        });
        QVERIFY(monotone);
        QCOMPARE(last, 1.0);
    }
};

QTEST_APPLESS_MAIN(TestHessianSpectrum)
#include "tst_hessian_spectrum.moc"
