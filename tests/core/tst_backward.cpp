// The backward pass (core/model/backward.h): gradients w.r.t. inputs and parameters of every
// layer type against central finite differences on float layers; the straight-through
// estimator of quantized layers against hand derivations (finite differences of a staircase
// are meaningless); thread-count independence; Hessian-vector products.
#include "core/io/keras_model_config.h"
#include "core/model/backward.h"
#include "core/train/gradients.h"
#include "core/train/losses.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace flipscope;
using nlohmann::json;

namespace {

json inputLayer(const std::string& name, const Shape& shape) {
    json batch = json::array({nullptr});
    for (int64_t d : shape) batch.push_back(d);
    return {{"class_name", "InputLayer"}, {"config", {{"name", name}, {"batch_input_shape", batch}}}};
}

json layer(const std::string& className, const std::string& name, json config) {
    config["name"] = name;
    return {{"class_name", className}, {"config", config}};
}

json sequential(const std::string& name, const Shape& input, std::vector<json> layers) {
    json all = json::array({inputLayer(name + "_in", input)});
    for (auto& l : layers) all.push_back(l);
    return {{"class_name", "Sequential"}, {"config", {{"name", name}, {"layers", all}}}};
}

// A Functional layer entry fed by the named layers.
json call(json entry, const std::vector<std::string>& inputs) {
    json node = json::array();
    for (const auto& in : inputs) node.push_back(json::array({in, 0, 0, json::object()}));
    entry["name"] = entry["config"]["name"];
    entry["inbound_nodes"] = json::array({node});
    return entry;
}

Tensor randomTensor(Shape shape, uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> dist(lo, hi);
    Tensor t(std::move(shape));
    for (float& v : t.values()) v = dist(rng);
    return t;
}

// Random weights everywhere (variances and gammas kept positive), then prepare().
std::unique_ptr<Model> buildModel(const json& config, uint64_t seed = 7) {
    auto model = buildModelFromConfig(config, "test");
    uint64_t s = seed;
    model->visit([&](const std::string&, Layer& l) {
        for (auto& p : l.parameters()) {
            const bool positive = p.name == "moving_variance" || p.name == "gamma";
            p.stored = randomTensor(p.shape, ++s, positive ? 0.5f : -0.5f, positive ? 1.5f : 0.5f);
            p.loaded = true;
        }
    });
    model->prepare();
    return model;
}

double dot(const Tensor& a, const Tensor& b) {
    double s = 0.0;
    for (int64_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
    return s;
}

// L = <R, model(x)>, so dL/dOutput = R.
double probe(const Model& model, const Tensor& x, const Tensor& r) { return dot(r, model.predict(x, 1)); }

QString compare(const char* what, int64_t i, double analytic, double numeric, double atol, double rtol) {
    if (std::fabs(analytic - numeric) <= atol + rtol * std::fabs(numeric)) return {};
    return QString("%1[%2]: backward %3, finite difference %4").arg(what).arg(i).arg(analytic, 0, 'g', 8).arg(numeric, 0, 'g', 8);
}

// Checks every input and parameter gradient (at most 60 entries each) against central
// differences of the probe loss.
QString gradientCheck(Model& model, Tensor x, double h = 1e-2, double atol = 2e-3, double rtol = 2e-2) {
    const Tensor out = model.predict(x, 1);
    const Tensor r = randomTensor(out.shape(), 99);
    const Gradients g = backward(model, x, r, {2, true});
    for (int64_t i = 0; i < x.size(); i += std::max<int64_t>(1, x.size() / 60)) {
        const float keep = x[i];
        x[i] = keep + static_cast<float>(h);
        const double up = probe(model, x, r);
        x[i] = keep - static_cast<float>(h);
        const double down = probe(model, x, r);
        x[i] = keep;
        const QString why = compare("input", i, g.input[i], (up - down) / (2 * h), atol, rtol);
        if (!why.isEmpty()) return why;
    }
    const auto params = modelParameters(model);
    for (size_t p = 0; p < params.size(); ++p) {
        Tensor& w = params[p].parameter->stored;
        for (int64_t i = 0; i < w.size(); i += std::max<int64_t>(1, w.size() / 60)) {
            const float keep = w[i];
            w[i] = keep + static_cast<float>(h);
            model.prepare();
            const double up = probe(model, x, r);
            w[i] = keep - static_cast<float>(h);
            model.prepare();
            const double down = probe(model, x, r);
            w[i] = keep;
            model.prepare();
            const QString why =
                compare(params[p].path.c_str(), i, g.parameters[p][i], (up - down) / (2 * h), atol, rtol);
            if (!why.isEmpty()) return why;
        }
    }
    return {};
}

#define GRADIENT_CHECK(...)                                \
    do {                                                   \
        const QString why_ = gradientCheck(__VA_ARGS__);   \
        QVERIFY2(why_.isEmpty(), qPrintable(why_));        \
    } while (0)

json dense(int units, const std::string& activation) {
    return {{"units", units}, {"activation", activation}, {"use_bias", true}};
}
json conv(int filters, int k, int s, const std::string& padding, const std::string& activation, int dilation = 1) {
    return {{"filters", filters}, {"kernel_size", {k, k}}, {"strides", {s, s}}, {"padding", padding},
            {"dilation_rate", {dilation, dilation}}, {"activation", activation}, {"use_bias", true}};
}
json act(const json& a) { return {{"activation", a}}; }
json qbits(int bits, int integer) {
    return {{"class_name", "quantized_bits"}, {"config", {{"bits", bits}, {"integer", integer}, {"alpha", 1}}}};
}
json qrelu(int bits, int integer) {
    return {{"class_name", "quantized_relu"}, {"config", {{"bits", bits}, {"integer", integer}}}};
}

}  // namespace

class TestBackward : public QObject {
    Q_OBJECT
private slots:
    void denseFloat() {
        auto m = buildModel(sequential("m", {5}, {layer("Dense", "d", dense(4, "tanh"))}));
        GRADIENT_CHECK(*m, randomTensor({3, 5}, 1));
        // Dense on a rank-3 input (applies to the last axis).
        auto m3 = buildModel(sequential("m", {2, 5}, {layer("Dense", "d", dense(3, "sigmoid"))}));
        GRADIENT_CHECK(*m3, randomTensor({3, 2, 5}, 2));
    }

    void conv2dFloat_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("s");
        QTest::addColumn<QString>("padding");
        QTest::addColumn<int>("dilation");
        QTest::newRow("3x3 s1 valid") << 3 << 1 << "valid" << 1;
        QTest::newRow("3x3 s2 same") << 3 << 2 << "same" << 1;
        QTest::newRow("5x5 s2 same") << 5 << 2 << "same" << 1;
        QTest::newRow("2x2 s1 same") << 2 << 1 << "same" << 1;
        QTest::newRow("3x3 dilated") << 3 << 1 << "same" << 2;
    }
    void conv2dFloat() {
        QFETCH(int, k);
        QFETCH(int, s);
        QFETCH(QString, padding);
        QFETCH(int, dilation);
        auto m = buildModel(
            sequential("m", {7, 6, 2}, {layer("Conv2D", "c", conv(3, k, s, padding.toStdString(), "tanh", dilation))}));
        GRADIENT_CHECK(*m, randomTensor({2, 7, 6, 2}, 3));
    }

    void conv2dTransposeFloat_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("s");
        QTest::addColumn<QString>("padding");
        QTest::newRow("3x3 s2 same") << 3 << 2 << "same";
        QTest::newRow("5x5 s2 same") << 5 << 2 << "same";
        QTest::newRow("3x3 s1 same") << 3 << 1 << "same";
        QTest::newRow("2x2 s2 valid") << 2 << 2 << "valid";
    }
    void conv2dTransposeFloat() {
        QFETCH(int, k);
        QFETCH(int, s);
        QFETCH(QString, padding);
        json c = conv(2, k, s, padding.toStdString(), "sigmoid");
        c.erase("dilation_rate");
        auto m = buildModel(sequential("m", {4, 3, 3}, {layer("Conv2DTranspose", "t", c)}));
        GRADIENT_CHECK(*m, randomTensor({2, 4, 3, 3}, 4));
    }

    void batchNormFloat() {
        auto m = buildModel(sequential("m", {3, 2, 4}, {layer("BatchNormalization", "bn", {{"epsilon", 0.01}})}));
        GRADIENT_CHECK(*m, randomTensor({2, 3, 2, 4}, 5));
        auto noScale = buildModel(sequential(
            "m", {5}, {layer("BatchNormalization", "bn", {{"scale", false}, {"center", false}})}));
        GRADIENT_CHECK(*noScale, randomTensor({3, 5}, 6));
    }

    void foldedBatchNorm() {  // QDenseBatchnorm / QConv2DBatchnorm without quantizers: float folds
        auto d = buildModel(sequential("m", {4}, {layer("QDenseBatchnorm", "d", dense(3, "tanh"))}));
        GRADIENT_CHECK(*d, randomTensor({3, 4}, 7));
        auto c = buildModel(sequential("m", {4, 4, 2}, {layer("QConv2DBatchnorm", "c", conv(2, 3, 1, "same", "tanh"))}));
        GRADIENT_CHECK(*c, randomTensor({2, 4, 4, 2}, 8));
    }

    void pooling_data() {
        QTest::addColumn<QString>("className");
        QTest::addColumn<QString>("padding");
        QTest::newRow("max valid") << "MaxPooling2D" << "valid";
        QTest::newRow("max same") << "MaxPooling2D" << "same";
        QTest::newRow("average valid") << "AveragePooling2D" << "valid";
        QTest::newRow("average same") << "AveragePooling2D" << "same";
        QTest::newRow("global average") << "GlobalAveragePooling2D" << "";
        QTest::newRow("global max") << "GlobalMaxPooling2D" << "";
    }
    void pooling() {
        QFETCH(QString, className);
        QFETCH(QString, padding);
        json config = json::object();
        if (!padding.isEmpty()) config = {{"pool_size", {2, 2}}, {"strides", {2, 2}}, {"padding", padding.toStdString()}};
        auto m = buildModel(sequential("m", {5, 5, 2}, {layer("Conv2D", "c", conv(2, 1, 1, "valid", "tanh")),
                                                         layer(className.toStdString(), "p", config)}));
        GRADIENT_CHECK(*m, randomTensor({2, 5, 5, 2}, 9), 1e-3);
    }

    void activations_data() {
        QTest::addColumn<QString>("name");
        for (const char* a : {"linear", "sigmoid", "tanh", "softmax", "softplus", "elu", "swish"})
            QTest::newRow(a) << a;
    }
    void activations() {
        QFETCH(QString, name);
        auto m = buildModel(sequential("m", {6}, {layer("Dense", "d", dense(5, "linear")),
                                                  layer("Activation", "a", act(name.toStdString()))}));
        GRADIENT_CHECK(*m, randomTensor({4, 6}, 10, -2.0f, 2.0f));
    }

    void reshapeFlattenDropout() {
        auto m = buildModel(sequential("m", {4, 4, 1}, {layer("Conv2D", "c", conv(2, 3, 2, "same", "tanh")),
                                                         layer("Dropout", "drop", {{"rate", 0.5}}),
                                                         layer("Flatten", "f", json::object()),
                                                         layer("Reshape", "r", {{"target_shape", {2, 4}}}),
                                                         layer("Dense", "d", dense(3, "sigmoid"))}));
        GRADIENT_CHECK(*m, randomTensor({3, 4, 4, 1}, 11));
    }

    void addConcatenateBranches() {
        // x -> a, b (two Dense branches) -> Add(a, b), Concatenate(a, x) -> Concatenate -> Dense.
        json layers = json::array({inputLayer("x", {4})});
        layers.push_back(call(layer("Dense", "a", dense(4, "tanh")), {"x"}));
        layers.push_back(call(layer("Dense", "b", dense(4, "sigmoid")), {"x"}));
        layers.push_back(call(layer("Add", "sum", json::object()), {"a", "b"}));
        layers.push_back(call(layer("Concatenate", "cat", {{"axis", -1}}), {"a", "x"}));
        layers.push_back(call(layer("Concatenate", "all", {{"axis", 1}}), {"sum", "cat"}));
        layers.push_back(call(layer("Dense", "out", dense(2, "tanh")), {"all"}));
        const json config = {{"class_name", "Functional"},
                             {"config", {{"name", "branches"}, {"layers", layers},
                                         {"input_layers", json::array({json::array({"x", 0, 0})})},
                                         {"output_layers", json::array({json::array({"out", 0, 0})})}}}};
        auto m = buildModel(config);
        GRADIENT_CHECK(*m, randomTensor({3, 4}, 12));
    }

    void nestedModels() {  // an autoencoder of two nested Sequential models, as the ECON-T ones
        const json encoder = sequential("encoder", {4, 4, 1}, {layer("Conv2D", "c", conv(2, 3, 2, "same", "tanh")),
                                                               layer("Flatten", "f", json::object()),
                                                               layer("Dense", "latent", dense(3, "tanh"))});
        const json decoder = sequential("decoder", {3}, {layer("Dense", "d", dense(8, "tanh")),
                                                         layer("Reshape", "r", {{"target_shape", {2, 2, 2}}}),
                                                         layer("Conv2DTranspose", "t", {{"filters", 1}, {"kernel_size", {3, 3}},
                                                                                        {"strides", {2, 2}}, {"padding", "same"},
                                                                                        {"activation", "sigmoid"}})});
        const json config = sequential("autoencoder", {4, 4, 1}, {encoder, decoder});
        auto m = buildModel(config);
        GRADIENT_CHECK(*m, randomTensor({3, 4, 4, 1}, 13));
    }

    // --- straight-through estimator, checked against hand derivations ---

    void quantizedBitsPassesClippedGradients() {
        // quantized_bits(4,0) clips to [-1, 0.875]; the STE passes the gradient everywhere.
        auto m = buildModel(sequential("m", {5}, {layer("QActivation", "q", act(qbits(4, 0)))}));
        const Tensor x({1, 5}, {-3.0f, -1.0f, 0.0f, 0.3f, 5.0f});
        const Tensor r({1, 5}, {1.0f, 2.0f, 3.0f, 4.0f, 5.0f});
        const Gradients g = backward(*m, x, r, {1, true});
        for (int i = 0; i < 5; ++i) QCOMPARE(g.input[i], r[i]);
    }

    void quantizedReluZeroOutsideRange() {
        // quantized_relu(4,1): max = 2 - 1/8 = 1.875. Gradient 1 on (0, 1.875], else 0.
        auto m = buildModel(sequential("m", {8}, {layer("QActivation", "q", act(qrelu(4, 1)))}));
        const Tensor x({1, 8}, {-1.0f, 0.0f, 0.01f, 0.5f, 1.875f, 1.9f, 10.0f, -0.0f});
        const std::vector<float> expected = {0, 0, 1, 1, 1, 0, 0, 0};
        const Gradients g = backward(*m, x, Tensor({1, 8}, 1.0f), {1, true});
        for (int i = 0; i < 8; ++i) QCOMPARE(g.input[i], expected[i]);
    }

    void reluGradientAtZeroIsZero() {
        auto m = buildModel(sequential("m", {4}, {layer("Activation", "a", act("relu"))}));
        const Tensor x({1, 4}, {-1.0f, 0.0f, 1e-30f, 2.0f});
        const Gradients g = backward(*m, x, Tensor({1, 4}, 1.0f), {1, true});
        QCOMPARE(g.input[0], 0.0f);
        QCOMPARE(g.input[1], 0.0f);
        QCOMPARE(g.input[2], 1.0f);
        QCOMPARE(g.input[3], 1.0f);
        // Same inside a layer's built-in activation: a zero pre-activation passes nothing.
        auto d = buildModel(sequential("m", {1}, {layer("Dense", "d", dense(1, "relu"))}));
        Layer& l = *d->findLayer("d");
        l.parameter("kernel")->stored = Tensor({1, 1}, {1.0f});
        l.parameter("bias")->stored = Tensor({1}, {0.0f});
        d->prepare();
        const Gradients gd = backward(*d, Tensor({1, 1}, {0.0f}), Tensor({1, 1}, 1.0f), {1, true});
        QCOMPARE(gd.input[0], 0.0f);
        QCOMPARE(gd.parameters[1][0], 0.0f);  // bias
    }

    void quantizedDenseUsesStraightThroughWeights() {
        // QDense with quantized_bits(4,0) kernel and bias, quantized_relu(4,2) output:
        // forward with the quantized kernel; dX = dZ Wq^T, dW(stored) = x^T dZ, db = dZ, where
        // dZ = dY on (0, 3.75] of the pre-activation.
        json config = dense(2, "linear");
        config["kernel_quantizer"] = qbits(4, 0);
        config["bias_quantizer"] = qbits(4, 0);
        config["activation"] = qrelu(4, 2);
        auto m = buildModel(sequential("m", {3}, {layer("QDense", "d", config)}));
        Layer& l = *m->findLayer("d");
        // Stored kernel (3x2); 1.7 clips to 0.875 and 0.3 rounds to 0.25 (grid 1/8).
        l.parameter("kernel")->stored = Tensor({3, 2}, {0.3f, -0.2f, 1.7f, 0.5f, -0.6f, 0.1f});
        l.parameter("bias")->stored = Tensor({2}, {0.05f, -0.3f});
        m->prepare();
        const std::vector<float> wq = {0.25f, -0.25f, 0.875f, 0.5f, -0.625f, 0.125f};
        const std::vector<float> bq = {0.0f, -0.25f};
        for (int i = 0; i < 6; ++i) QCOMPARE(l.parameter("kernel")->effective[i], wq[i]);
        const Tensor x({2, 3}, {1.0f, 2.0f, 0.5f, -1.0f, 0.25f, 1.0f});
        const Tensor dy({2, 2}, {1.0f, -2.0f, 0.5f, 3.0f});
        const Gradients g = backward(*m, x, dy, {1, true});
        float dz[2][2];
        for (int r = 0; r < 2; ++r)
            for (int j = 0; j < 2; ++j) {
                float z = bq[j];
                for (int k = 0; k < 3; ++k) z += x[r * 3 + k] * wq[k * 2 + j];
                dz[r][j] = z > 0.0f && z <= 3.75f ? dy[r * 2 + j] : 0.0f;
            }
        QVERIFY(dz[0][0] != 0.0f && dz[1][0] == 0.0f);  // the case covers both sides of the range
        for (int r = 0; r < 2; ++r)
            for (int k = 0; k < 3; ++k)
                QCOMPARE(g.input[r * 3 + k], dz[r][0] * wq[k * 2] + dz[r][1] * wq[k * 2 + 1]);
        for (int k = 0; k < 3; ++k)
            for (int j = 0; j < 2; ++j) QCOMPARE(g.parameters[0][k * 2 + j], x[k] * dz[0][j] + x[3 + k] * dz[1][j]);
        for (int j = 0; j < 2; ++j) QCOMPARE(g.parameters[1][j], dz[0][j] + dz[1][j]);
    }

    void quantizedConvMatchesFloatConvOnTheGrid() {
        // When the stored weights already lie on the grid and nothing clips, a QConv2D's
        // gradients (STE) equal those of the float Conv2D with the same weights.
        json qc = conv(2, 3, 2, "same", "linear");
        qc["kernel_quantizer"] = qbits(6, 0);
        qc["bias_quantizer"] = qbits(6, 0);
        auto q = buildModel(sequential("m", {4, 4, 1}, {layer("QConv2D", "c", qc)}));
        auto f = buildModel(sequential("m", {4, 4, 1}, {layer("Conv2D", "c", conv(2, 3, 2, "same", "linear"))}));
        for (auto* m : {q.get(), f.get()})
            for (auto& p : m->findLayer("c")->parameters())
                for (int64_t i = 0; i < p.stored.size(); ++i) p.stored[i] = static_cast<float>((i * 7 % 13) - 6) / 32.0f;
        q->prepare();
        f->prepare();
        const Tensor x = randomTensor({3, 4, 4, 1}, 14);
        const Tensor r = randomTensor({3, 2, 2, 2}, 15);
        const Gradients gq = backward(*q, x, r, {1, true}), gf = backward(*f, x, r, {1, true});
        for (int64_t i = 0; i < x.size(); ++i) QCOMPARE(gq.input[i], gf.input[i]);
        for (size_t p = 0; p < gq.parameters.size(); ++p)
            for (int64_t i = 0; i < gq.parameters[p].size(); ++i) QCOMPARE(gq.parameters[p][i], gf.parameters[p][i]);
    }

    // --- threads, whole-model and API checks ---

    void threadCountIndependence() {
        auto m = buildModel(architectureLikeModel());
        const Tensor x = randomTensor({150, 4, 4, 1}, 16, 0.0f, 1.0f);
        const Tensor r = randomTensor({150, 4, 4, 1}, 17);
        const Gradients g1 = backward(*m, x, r, {1, true});
        for (int threads : {2, 3, 8}) {
            const Gradients g = backward(*m, x, r, {threads, true});
            for (size_t p = 0; p < g1.parameters.size(); ++p)
                QVERIFY(std::equal(g1.parameters[p].values().begin(), g1.parameters[p].values().end(),
                                   g.parameters[p].values().begin()));
            QVERIFY(std::equal(g1.input.values().begin(), g1.input.values().end(), g.input.values().begin()));
        }
    }

    void wholeQuantizedModelGradientMatchesPerChunkSum() {
        // The gradient of a mean loss over 70 samples equals the sample-weighted sum of the
        // gradients over its pieces (chunking is an implementation detail).
        auto m = buildModel(architectureLikeModel());
        const Tensor x = randomTensor({70, 4, 4, 1}, 18, 0.0f, 1.0f);
        const auto mse = makeLoss("mse");
        const Gradients whole = lossGradients(*m, x, *mse, x);
        std::vector<int64_t> idx(70);
        for (int i = 0; i < 70; ++i) idx[i] = i;
        const Tensor a = x.slice(0, 40), b = x.slice(40, 70);
        const Gradients ga = lossGradients(*m, a, *mse, a), gb = lossGradients(*m, b, *mse, b);
        QVERIFY(std::fabs(whole.loss - (40 * ga.loss + 30 * gb.loss) / 70) < 1e-9);
        for (size_t p = 0; p < whole.parameters.size(); ++p)
            for (int64_t i = 0; i < whole.parameters[p].size(); ++i)
                QVERIFY(std::fabs(whole.parameters[p][i] - (40 * ga.parameters[p][i] + 30 * gb.parameters[p][i]) / 70) <
                        1e-6);
    }

    void hessianVectorProductIsSymmetric() {
        auto m = buildModel(sequential("m", {4}, {layer("Dense", "a", dense(3, "tanh")), layer("Dense", "b", dense(2, "sigmoid"))}));
        const Tensor x = randomTensor({20, 4}, 19);
        const Tensor t = randomTensor({20, 2}, 20, 0.0f, 1.0f);
        const auto mse = makeLoss("mse");
        std::vector<Tensor> u, v;
        uint64_t seed = 30;
        for (const auto& p : modelParameters(*m)) {
            u.push_back(randomTensor(p.parameter->shape, ++seed));
            v.push_back(randomTensor(p.parameter->shape, ++seed));
        }
        const auto hu = hessianVectorProduct(*m, x, *mse, t, u), hv = hessianVectorProduct(*m, x, *mse, t, v);
        double uhv = 0.0, vhu = 0.0, scale = 0.0;
        for (size_t p = 0; p < u.size(); ++p) {
            uhv += dot(u[p], hv[p]);
            vhu += dot(v[p], hu[p]);
            scale += std::fabs(dot(u[p], hv[p]));
        }
        QVERIFY2(std::fabs(uhv - vhu) <= 1e-3 * scale + 1e-5, qPrintable(QString("u.Hv %1, v.Hu %2").arg(uhv).arg(vhu)));
        // The model itself is left unchanged.
        const auto g = parameterGradients(*m, x, *mse, t);
        const auto g2 = parameterGradients(*m, x, *mse, t);
        QCOMPARE(g[0][0], g2[0][0]);
    }

private:
    // A small quantized autoencoder shaped like the ECON-T ones (nested encoder/decoder).
    static json architectureLikeModel() {
        json qc = conv(3, 3, 2, "same", "linear");
        qc["kernel_quantizer"] = qbits(6, 1);
        qc["bias_quantizer"] = qbits(6, 1);
        json qd = dense(4, "linear");
        qd["kernel_quantizer"] = qbits(6, 1);
        qd["bias_quantizer"] = qbits(6, 1);
        const json encoder = sequential("encoder", {4, 4, 1}, {layer("QActivation", "in_q", act(qbits(10, 3))),
                                                               layer("QConv2D", "c", qc),
                                                               layer("QActivation", "c_q", act(qrelu(8, 2))),
                                                               layer("Flatten", "f", json::object()),
                                                               layer("QDense", "latent", qd),
                                                               layer("QActivation", "latent_q", act(qrelu(9, 1)))});
        json t = {{"filters", 1}, {"kernel_size", {3, 3}}, {"strides", {2, 2}}, {"padding", "same"}, {"activation", "linear"}};
        const json decoder = sequential("decoder", {4}, {layer("Dense", "d", dense(12, "relu")),
                                                         layer("Reshape", "r", {{"target_shape", {2, 2, 3}}}),
                                                         layer("Conv2DTranspose", "t", t),
                                                         layer("Activation", "out", act("sigmoid"))});
        return sequential("autoencoder", {4, 4, 1}, {encoder, decoder});
    }
};

QTEST_APPLESS_MAIN(TestBackward)
#include "tst_backward.moc"
