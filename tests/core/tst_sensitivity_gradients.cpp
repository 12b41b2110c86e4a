// The derivatives behind the data-driven rankings: loss gradients against central differences of
// the loss on a tiny float model; gradients, Taylor and bit-Taylor scores through a quantizer
// (straight-through estimator) against a hand derivation, via RankingJob from files; and the
// Hessian operator over model parameters: its top eigenvalues by power iteration against a dense
// Hessian built column by column from the operator and against finite differences of gradients.
#include "core/common/random.h"
#include "core/io/keras_h5_writer.h"
#include "core/io/keras_model_config.h"
#include "core/io/npy.h"
#include "core/sensitivity/model_hessian.h"
#include "core/sensitivity/ranking_job.h"
#include "core/train/gradients.h"

#include <Eigen/Dense>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace flipscope;
using nlohmann::json;

namespace {

json layer(const std::string& cls, json config) { return {{"class_name", cls}, {"config", std::move(config)}}; }

std::unique_ptr<Model> sequential(const std::string& name, int inputs, const std::vector<json>& layers) {
    json config = {{"class_name", "Sequential"}, {"config", {{"name", name}, {"layers", json::array()}}}};
    config["config"]["layers"].push_back(layer("InputLayer", {{"name", "in"}, {"batch_input_shape", {nullptr, inputs}}}));
    for (const json& l : layers) config["config"]["layers"].push_back(l);
    return buildModelFromConfig(config, name);
}

// 3 -> Dense(4, tanh) -> Dense(3): a smooth float autoencoder with 31 parameters.
std::unique_ptr<Model> tinyFloatModel() {
    auto model = sequential("float", 3,
                            {layer("Dense", {{"name", "d1"}, {"units", 4}, {"activation", "tanh"}}),
                             layer("Dense", {{"name", "d2"}, {"units", 3}, {"activation", "linear"}})});
    SplitMix64 rng(11);
    model->visit([&](const std::string&, Layer& l) {
        for (LayerParameter& p : l.parameters()) {
            p.stored = Tensor(p.shape);
            for (int64_t i = 0; i < p.stored.size(); ++i) p.stored[i] = static_cast<float>(2 * rng.uniform() - 1);
            p.loaded = true;
        }
    });
    model->prepare();
    return model;
}

Tensor floatInputs() {
    SplitMix64 rng(12);
    Tensor x({6, 3});
    for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(2 * rng.uniform() - 1);
    return x;
}

// Moves one stored weight and re-derives the effective ones (float layers: the same values).
void nudge(const ParameterRef& p, int64_t index, float delta) {
    p.parameter->stored[index] += delta;
    p.layer->prepare();
}

// Column j of the Hessian by central differences of gradients, moving the stored weights.
Eigen::MatrixXd hessianByGradientDifferences(const Model& model, const Tensor& x, const Loss& loss, float h) {
    const std::vector<ParameterRef> params = modelParameters(model);
    std::vector<std::pair<int, int64_t>> coords;
    for (size_t p = 0; p < params.size(); ++p)
        for (int64_t i = 0; i < params[p].parameter->stored.size(); ++i) coords.emplace_back(int(p), i);
    const Eigen::Index n = static_cast<Eigen::Index>(coords.size());
    const auto flat = [&](const std::vector<Tensor>& g) {
        Eigen::VectorXd v(n);
        for (Eigen::Index k = 0; k < n; ++k) v[k] = g[coords[k].first][coords[k].second];
        return v;
    };
    Eigen::MatrixXd hessian(n, n);
    for (Eigen::Index j = 0; j < n; ++j) {
        const ParameterRef& p = params[coords[j].first];
        const float original = p.parameter->stored[coords[j].second];
        nudge(p, coords[j].second, h);
        const Eigen::VectorXd plus = flat(parameterGradients(model, x, loss, x));
        p.parameter->stored[coords[j].second] = original;
        nudge(p, coords[j].second, -h);
        const Eigen::VectorXd minus = flat(parameterGradients(model, x, loss, x));
        p.parameter->stored[coords[j].second] = original;
        p.layer->prepare();
        hessian.col(j) = (plus - minus) / (2.0 * h);
    }
    return hessian;
}

Eigen::MatrixXd denseFromOperator(const HessianOperator& op) {
    const int64_t n = op.dimension();
    Eigen::MatrixXd m(n, n);
    std::vector<double> e(static_cast<size_t>(n), 0.0);
    for (int64_t j = 0; j < n; ++j) {
        e[j] = 1.0;
        const std::vector<double> col = op.apply(e);
        e[j] = 0.0;
        for (int64_t i = 0; i < n; ++i) m(i, j) = col[i];
    }
    return m;
}

// Eigenvalues of a (symmetrized) matrix, largest magnitude first.
std::vector<double> eigenvaluesByMagnitude(const Eigen::MatrixXd& m) {
    const Eigen::MatrixXd sym = 0.5 * (m + m.transpose());
    const Eigen::VectorXd values = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(sym).eigenvalues();
    std::vector<double> out(values.data(), values.data() + values.size());
    std::sort(out.begin(), out.end(), [](double a, double b) { return std::fabs(a) > std::fabs(b); });
    return out;
}

// The 2 -> 2 QDense of the hand derivation: kernel quantizer quantized_bits(4,1,0,alpha=1), step
// 0.25. Stored [[0.3, -0.6], [0.1, 0.9]] quantizes to [[0.25, -0.5], [0, 1]].
struct QuantizedFiles {
    QTemporaryDir dir;
    std::string model, data;
    const std::vector<double> quantized{0.25, -0.5, 0.0, 1.0};
    const std::vector<double> x{1, 2, 0.5, -1, -2, 0.25};  // 3 samples
};

void writeQuantizedFiles(QuantizedFiles& files) {
    auto model = sequential("q", 2,
                            {layer("QDense", {{"name", "dense"}, {"units", 2}, {"use_bias", false},
                                              {"kernel_quantizer", "quantized_bits(4,1,0,alpha=1)"},
                                              {"activation", "linear"}})});
    LayerParameter* k = model->findLayer("dense")->parameter("kernel");
    k->stored = Tensor({2, 2}, {0.3f, -0.6f, 0.1f, 0.9f});
    k->loaded = true;
    model->prepare();
    files.model = files.dir.filePath("q.h5").toStdString();
    files.data = files.dir.filePath("x.npy").toStdString();
    writeKerasModel(*model, files.model);
    const std::vector<float> x(files.x.begin(), files.x.end());
    writeNpyFloat32(files.data, {3, 2}, x.data());
}

// MSE of y = x W against x, in double: mean over samples and the 2 outputs.
double handLoss(const std::vector<double>& x, const std::vector<double>& w) {
    double sum = 0.0;
    for (int n = 0; n < 3; ++n)
        for (int j = 0; j < 2; ++j) {
            const double y = x[2 * n] * w[j] + x[2 * n + 1] * w[2 + j];
            sum += (y - x[2 * n + j]) * (y - x[2 * n + j]);
        }
    return sum / 6.0;
}

RankingSetup quantizedSetup(const QuantizedFiles& files, const std::string& method) {
    RankingSetup setup;
    setup.modelPath = files.model;
    setup.dataSpec = files.data;
    setup.loss = "mse";
    setup.method = method;
    return setup;
}

}  // namespace

class TestSensitivityGradients : public QObject {
    Q_OBJECT
private slots:
    void floatGradientsMatchCentralDifferences() {
        const auto model = tinyFloatModel();
        const Tensor x = floatInputs();
        const auto loss = makeLoss("mse");
        const std::vector<Tensor> g = parameterGradients(*model, x, *loss, x);
        const std::vector<ParameterRef> params = modelParameters(*model);
        QCOMPARE(params.size(), size_t(4));
        const float h = 1e-2f;
        for (size_t p = 0; p < params.size(); ++p)
            for (int64_t i = 0; i < g[p].size(); ++i) {
                const float original = params[p].parameter->stored[i];
                nudge(params[p], i, h);
                const double up = loss->mean(model->predict(x, 1), x);
                params[p].parameter->stored[i] = original;
                nudge(params[p], i, -h);
                const double down = loss->mean(model->predict(x, 1), x);
                params[p].parameter->stored[i] = original;
                params[p].layer->prepare();
                const double fd = (up - down) / (2.0 * h);
                // Truncation O(h^2) and float32 rounding of the loss (~1e-7 / h): well below 1e-3.
                QVERIFY2(std::fabs(fd - g[p][i]) < 1e-3,
                         qPrintable(QString("%1[%2]: %3 vs %4").arg(QString::fromStdString(params[p].path)).arg(i)
                                        .arg(g[p][i]).arg(fd)));
            }
    }

    void gradientThroughAQuantizerByHand() {
        QuantizedFiles files;
        writeQuantizedFiles(files);
        RankingJob job(quantizedSetup(files, "gradient"));
        QCOMPARE(job.lossName(), std::string("mse"));
        QCOMPARE(job.samples(), int64_t(3));
        // L = 1/6 sum_n sum_j (y_nj - x_nj)^2 with y = x Wq; the STE passes dL/dWq to the stored
        // weight unchanged: dL/dW_ij = 1/3 sum_n (y_nj - x_nj) x_ni.
        const auto& x = files.x;
        const auto& w = files.quantized;
        const std::vector<ParameterGradient> grads = job.gradients();
        QCOMPARE(grads.size(), size_t(4));
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) {
                double expected = 0.0;
                for (int n = 0; n < 3; ++n) {
                    const double y = x[2 * n] * w[j] + x[2 * n + 1] * w[2 + j];
                    expected += (y - x[2 * n + j]) * x[2 * n + i] / 3.0;
                }
                const ParameterGradient& g = grads[2 * i + j];
                QCOMPARE(g.index, int64_t(2 * i + j));
                QCOMPARE(g.value, w[2 * i + j]);  // the quantized weight
                QVERIFY2(std::fabs(g.gradient - expected) < 1e-6,
                         qPrintable(QString("W%1%2: %3 vs %4").arg(i).arg(j).arg(g.gradient).arg(expected)));
            }
        // The gradient ranking starts with the MSB (bit 3) of the weight with the largest |g|.
        const BitRanking ranking = job.run();
        const auto largest = std::max_element(grads.begin(), grads.end(), [](const auto& a, const auto& b) {
            return std::fabs(a.gradient) < std::fabs(b.gradient);
        });
        QCOMPARE(job.bitSpace().address(ranking.order[0]), (BitAddress{0, largest->index, 3}));
        QCOMPARE(ranking.score[0], std::fabs(largest->gradient));
    }

    void taylorScoresAreSquaredGradientTimesWeight() {
        QuantizedFiles files;
        writeQuantizedFiles(files);
        RankingJob job(quantizedSetup(files, "taylor"));
        const std::vector<ParameterGradient> grads = job.gradients();
        const BitRanking ranking = job.run();
        for (size_t r = 0; r < ranking.order.size(); ++r) {
            const BitAddress a = job.bitSpace().address(ranking.order[r]);
            const double gw = grads[a.index].gradient * grads[a.index].value;
            QVERIFY(std::fabs(ranking.score[r] - gw * gw) < 1e-12);
        }
        // W10 = 0 scores 0: its bits come last at every position.
        QCOMPARE(job.bitSpace().address(ranking.order[3]).index, int64_t(2));
    }

    void bitTaylorIsTheExactLossChangeOfAQuadraticLoss() {
        // The loss is quadratic in the weights, so g d + 0.5 H_ii d^2 is the exact change of the
        // loss when one weight moves by d (the flip), and the exact diagonal is 1/3 sum_n x_ni^2.
        QuantizedFiles files;
        writeQuantizedFiles(files);
        RankingJob job(quantizedSetup(files, "bit-taylor"));
        const BitRanking ranking = job.run();
        QCOMPARE(ranking.order.size(), size_t(16));
        const double base = handLoss(files.x, files.quantized);
        const double flipped[4][4] = {// per weight, bit 0..3 (codes: 1, -2, 0, 4 in 4-bit two's complement)
                                      {0.0, 0.75, 1.25, -1.75},
                                      {-0.25, -1.0, -1.5, 1.5},
                                      {0.25, 0.5, 1.0, -2.0},
                                      {1.25, 1.5, 0.0, -1.0}};
        for (size_t r = 0; r < ranking.order.size(); ++r) {
            const BitAddress a = job.bitSpace().address(ranking.order[r]);
            std::vector<double> w = files.quantized;
            w[a.index] = flipped[a.index][a.bit];
            const double change = std::fabs(handLoss(files.x, w) - base);
            QVERIFY2(std::fabs(ranking.score[r] - change) < 1e-4 * std::max(1.0, change),
                     qPrintable(QString("W[%1] bit %2: %3 vs %4").arg(a.index).arg(a.bit).arg(ranking.score[r]).arg(change)));
            if (r > 0) QVERIFY(ranking.score[r] <= ranking.score[r - 1]);
        }
    }

    void modelHessianEigenvaluesAgreeWithDenseHessians() {
        const auto model = tinyFloatModel();
        const Tensor x = floatInputs();
        const auto loss = makeLoss("mse");
        const ModelHessianOperator op(*model, x, *loss, x, {0, 1, 2, 3}, 1e-3);
        QCOMPARE(op.dimension(), int64_t(31));
        const Eigen::MatrixXd byColumns = denseFromOperator(op);
        const Eigen::MatrixXd byGradients = hessianByGradientDifferences(*model, x, *loss, 1e-3f);
        const double scale = byColumns.cwiseAbs().maxCoeff();
        QVERIFY(scale > 0.1);
        // Symmetric up to the differences' error, and the same as moving the stored weights.
        QVERIFY2((byColumns - byColumns.transpose()).cwiseAbs().maxCoeff() < 1e-3 * scale, "operator not symmetric");
        QVERIFY2((byColumns - byGradients).cwiseAbs().maxCoeff() < 1e-3 * scale, "operator differs from gradients");

        EigenOptions options;
        options.topK = 3;
        options.tolerance = 1e-10;
        options.maxIterations = 5000;
        const EigenResult power = topEigenpairs(op, options);
        const std::vector<double> dense = eigenvaluesByMagnitude(byColumns);
        const std::vector<double> fromGradients = eigenvaluesByMagnitude(byGradients);
        for (int i = 0; i < 3; ++i) {
            QVERIFY2(std::fabs(power.eigenvalues[i] - dense[i]) < 1e-3 * std::fabs(dense[0]),
                     qPrintable(QString("eigenvalue %1: %2 vs %3").arg(i).arg(power.eigenvalues[i]).arg(dense[i])));
            QVERIFY(std::fabs(fromGradients[i] - dense[i]) < 1e-3 * std::fabs(dense[0]));
        }
    }
};

QTEST_APPLESS_MAIN(TestSensitivityGradients)
#include "tst_sensitivity_gradients.moc"
