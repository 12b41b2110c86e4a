// Quantization-aware training (core/train/trainer.h): a tiny run lowers the loss, is the same
// for a seed (and any thread count), differs for another seed; cancel and early stopping.
#include "core/io/keras_model_config.h"
#include "core/model/backward.h"
#include "core/train/trainer.h"
#include "core/train/weight_init.h"

#include <QtTest>

#include <random>

using namespace flipscope;
using nlohmann::json;

namespace {

json qbits(int bits, int integer) {
    return {{"class_name", "quantized_bits"}, {"config", {{"bits", bits}, {"integer", integer}, {"alpha", 1}}}};
}

// Sequential 4 -> QDense(8, 6-bit) -> quantized_relu(8,2) -> Dense(1).
std::unique_ptr<Model> tinyModel() {
    json q = {{"units", 8}, {"activation", "linear"}, {"kernel_quantizer", qbits(6, 0)}, {"bias_quantizer", qbits(6, 0)}};
    json layers = json::array();
    layers.push_back({{"class_name", "InputLayer"}, {"config", {{"name", "in"}, {"batch_input_shape", {nullptr, 4}}}}});
    q["name"] = "hidden";
    layers.push_back({{"class_name", "QDense"}, {"config", q}});
    const json qrelu = {{"class_name", "quantized_relu"}, {"config", {{"bits", 8}, {"integer", 2}}}};
    layers.push_back({{"class_name", "QActivation"}, {"config", {{"name", "act"}, {"activation", qrelu}}}});
    layers.push_back({{"class_name", "Dense"}, {"config", {{"name", "out"}, {"units", 1}, {"activation", "linear"}}}});
    auto model = buildModelFromConfig({{"class_name", "Sequential"}, {"config", {{"name", "tiny"}, {"layers", layers}}}}, "test");
    initializeWeights(*model, 3);
    model->prepare();
    return model;
}

// y = x0 - 0.5 x1 + 0.25 x2 x3, 256 samples.
void problem(Tensor& x, Tensor& y) {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    x = Tensor({256, 4});
    y = Tensor({256, 1});
    for (int64_t i = 0; i < 256; ++i) {
        for (int k = 0; k < 4; ++k) x[i * 4 + k] = d(rng);
        y[i] = x[i * 4] - 0.5f * x[i * 4 + 1] + 0.25f * x[i * 4 + 2] * x[i * 4 + 3];
    }
}

std::vector<float> weightsOf(const Model& m) {
    std::vector<float> all;
    for (const auto& p : modelParameters(m)) all.insert(all.end(), p.parameter->stored.values().begin(), p.parameter->stored.values().end());
    return all;
}

TrainOptions options(uint64_t seed, int threads) {
    TrainOptions o;
    o.epochs = 8;
    o.batchSize = 16;
    o.adam.learningRate = 0.01;
    o.seed = seed;
    o.validationSplit = 0.25;
    o.threads = threads;
    return o;
}

}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private slots:
    void lossGoesDown() {
        Tensor x, y;
        problem(x, y);
        auto m = tinyModel();
        const auto mse = makeLoss("mse");
        const double before = mse->mean(m->predict(x.slice(192, 256)), y.slice(192, 256));
        std::vector<EpochReport> seen;
        const TrainResult r = train(*m, x, y, *mse, options(1, 2), [&](const EpochReport& e) { seen.push_back(e); });
        QCOMPARE(static_cast<int>(r.history.size()), 8);
        QCOMPARE(static_cast<int>(seen.size()), 8);
        QVERIFY(r.history.back().loss < 0.5 * r.history.front().loss);
        QVERIFY(*r.history.back().validationLoss < 0.5 * before);
        // The model holds the best epoch's weights, and its quantized weights are on the grid.
        const double after = mse->mean(m->predict(x.slice(192, 256)), y.slice(192, 256));
        QCOMPARE(after, *r.history[r.bestEpoch - 1].validationLoss);
        for (float w : m->findLayer("hidden")->parameter("kernel")->effective.values()) QCOMPARE(w * 32.0f, std::round(w * 32.0f));
    }

    void deterministicForASeed() {
        Tensor x, y;
        problem(x, y);
        const auto mse = makeLoss("mse");
        auto a = tinyModel(), b = tinyModel(), c = tinyModel(), d = tinyModel();
        const TrainResult ra = train(*a, x, y, *mse, options(1, 1));
        const TrainResult rb = train(*b, x, y, *mse, options(1, 2));
        train(*c, x, y, *mse, options(1, 3));
        train(*d, x, y, *mse, options(2, 2));
        QVERIFY(weightsOf(*a) == weightsOf(*b));
        QVERIFY(weightsOf(*a) == weightsOf(*c));
        QVERIFY(weightsOf(*a) != weightsOf(*d));
        for (size_t i = 0; i < ra.history.size(); ++i) QCOMPARE(ra.history[i].loss, rb.history[i].loss);
    }

    void cancelStopsAndRestoresTheBestEpoch() {
        Tensor x, y;
        problem(x, y);
        auto m = tinyModel();
        std::atomic<bool> cancel{false};
        std::vector<float> afterFirst;
        const TrainResult r = train(*m, x, y, *makeLoss("mse"), options(1, 2), [&](const EpochReport&) {
            afterFirst = weightsOf(*m);
            cancel = true;
        }, &cancel);
        QVERIFY(r.cancelled);
        QCOMPARE(static_cast<int>(r.history.size()), 1);
        QCOMPARE(r.bestEpoch, 1);
        QVERIFY(weightsOf(*m) == afterFirst);
    }

    void earlyStoppingWhenNothingImproves() {
        Tensor x, y;
        problem(x, y);
        auto m = tinyModel();
        TrainOptions o = options(1, 2);
        o.adam.learningRate = 0.0;  // the validation loss never improves after epoch 1
        o.patience = 2;
        const TrainResult r = train(*m, x, y, *makeLoss("mse"), o);
        QVERIFY(r.stoppedEarly);
        QCOMPARE(static_cast<int>(r.history.size()), 3);
        QCOMPARE(r.bestEpoch, 1);
    }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
