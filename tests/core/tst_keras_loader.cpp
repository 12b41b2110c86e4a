// The Keras .h5 loader on real files: the golden PYNQ encoder reproduces TF/QKeras's outputs bit
// for bit, every model in ../shared/models loads with the architecture and kernel bit signature
// its README states, nested halves agree with the standalone halves, and every kind of bad input
// gives an InputError/UnsupportedError naming the file and the layer or field involved.
#include "common/expect_error.h"
#include "common/test_paths.h"
#include "core/common/error.h"
#include "core/io/hdf5_file.h"
#include "core/io/keras_h5_loader.h"
#include "core/io/npy.h"
#include "core/model/model_summary.h"
#include "core/quant/quantizer_parse.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace flipscope;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// --- fixtures -------------------------------------------------------------------------------

// Deterministic samples in [0, 1) (a fixed integer hash), `n` of shape `sample`.
Tensor deterministicInput(int64_t n, const Shape& sample) {
    Shape shape = sample;
    shape.insert(shape.begin(), n);
    Tensor x(shape);
    for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 2654435761ULL) % 1000) / 1000.0f;
    return x;
}

std::string copyInto(const QTemporaryDir& dir, const fs::path& source, const std::string& name) {
    const fs::path target = fs::path(dir.path().toStdString()) / name;
    fs::copy_file(source, target, fs::copy_options::overwrite_existing);
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
    return target.string();
}

json readJson(const fs::path& path) {
    std::ifstream in(path);
    return json::parse(in);
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

// The layer entry named `name` anywhere in a model config (nested models included).
json* findLayerEntry(json& node, const std::string& name) {
    if (node.is_object()) {
        if (node.contains("config") && node["config"].is_object() && node["config"].value("name", "") == name &&
            node.contains("class_name"))
            return &node;
        for (auto& [key, item] : node.items())
            if (json* found = findLayerEntry(item, name)) return found;
    } else if (node.is_array()) {
        for (auto& item : node)
            if (json* found = findLayerEntry(item, name)) return found;
    }
    return nullptr;
}

// A hand-made Keras 2 .h5: weights-only (root `layer_names`) when `modelConfig` is empty, else a
// full model (root `model_config` + `model_weights`). Weight datasets sit at
// <root>/<layer>/<weight name>, as Keras writes them.
struct FixtureWeight {
    std::string name;  // "fc/kernel:0"
    Shape shape;
    std::vector<float> values;
    bool int64 = false;  // a counter such as QConv2DBatchnorm's iteration
};
struct FixtureLayer {
    std::string name;
    std::vector<FixtureWeight> weights;
};

void writeKerasH5(const std::string& path, const std::vector<FixtureLayer>& layers, const json& modelConfig = {}) {
    h5::File file = h5::File::create(path);
    const bool full = !modelConfig.is_null();
    const std::string root = full ? "/model_weights" : "";
    const std::string holder = full ? root : "/";
    if (full) {
        file.writeStringAttribute("/", "model_config", modelConfig.dump());
        file.writeStringAttribute("/", "keras_version", "2.11.0");
        file.createGroup(root);
    }
    std::vector<std::string> names;
    for (const auto& layer : layers) names.push_back(layer.name);
    file.writeStringListAttribute(holder, "layer_names", names);
    file.writeStringAttribute(holder, "keras_version", "2.11.0");
    file.writeStringAttribute(holder, "backend", "tensorflow");
    for (const auto& layer : layers) {
        const std::string group = root + "/" + layer.name;
        file.createGroup(group);
        std::vector<std::string> weightNames;
        for (const auto& w : layer.weights) weightNames.push_back(w.name);
        file.writeStringListAttribute(group, "weight_names", weightNames);
        for (const auto& w : layer.weights) {
            if (w.int64) {
                std::vector<int64_t> ints(w.values.begin(), w.values.end());
                file.writeInts(group + "/" + w.name, w.shape, ints);
            } else {
                file.writeFloats(group + "/" + w.name, w.shape, w.values);
            }
        }
    }
}

// A 4 -> 2 Dense model ("fc") as Sequential JSON.
json tinyDenseConfig() {
    return json::parse(R"({"class_name": "Sequential", "config": {"name": "tiny", "layers": [
        {"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, 4]}},
        {"class_name": "Dense", "config": {"name": "fc", "units": 2, "activation": "linear"}}]}})");
}

QString firstDifference(const Tensor& got, const Tensor& expected) {
    if (got.shape() != expected.shape())
        return QString("shape %1 vs %2")
            .arg(QString::fromStdString(shapeToString(got.shape())), QString::fromStdString(shapeToString(expected.shape())));
    for (int64_t i = 0; i < got.size(); ++i)
        if (!(got[i] == expected[i]))
            return QString("index %1 (sample %2, element %3): got %4, expected %5")
                .arg(i)
                .arg(i / got.rowSize())
                .arg(i % got.rowSize())
                .arg(got[i], 0, 'g', 9)
                .arg(expected[i], 0, 'g', 9);
    return {};
}

#define EXPECT_SAME_TENSOR(got, expected)                            \
    do {                                                             \
        const QString why_ = firstDifference((got), (expected));     \
        QVERIFY2(why_.isEmpty(), qPrintable(why_));                  \
    } while (0)

std::vector<std::string> topLevelClasses(const Model& model) {
    std::vector<std::string> out;
    for (const auto& layer : model.layers()) out.push_back(layer->className());
    return out;
}

int visitedLayers(const Model& model) {
    int count = 0;
    model.visit([&](const std::string&, Layer&) { ++count; });
    return count;
}

}  // namespace

class TestKerasLoader : public QObject {
    Q_OBJECT
private slots:
    // ---------------------------------------------------------------- (a) golden
    void goldenPynqEncoderIsBitExact() {
        FLIPSCOPE_REQUIRE_SHARED(modelPath, "models/econt-study/golden-pynq/encoder_keras_model.h5");
        FLIPSCOPE_REQUIRE_SHARED(inputPath, "models/econt-study/golden-pynq/hgcal_test_input.npy");
        FLIPSCOPE_REQUIRE_SHARED(outputPath, "models/econt-study/golden-pynq/hgcal_test_output.npy");
        const LoadedModel loaded = loadKerasModel(modelPath.string());
        QCOMPARE(loaded.configPath, modelPath.string());  // a full model holds its architecture
        QCOMPARE(loaded.kerasVersion, std::string("2.11.0"));
        QVERIFY(loaded.warnings.empty());
        const Tensor input = readNpy(inputPath.string());
        const Tensor expected = readNpy(outputPath.string());
        QCOMPARE(input.shape(), Shape({10, 8, 8, 1}));
        QCOMPARE(expected.shape(), Shape({10, 16}));
        const Tensor got = loaded.model->predict(input, 1);
        QCOMPARE(got.size(), int64_t(160));
        EXPECT_SAME_TENSOR(got, expected);
        // Threads do not change a single bit.
        EXPECT_SAME_TENSOR(loaded.model->predict(input, 4), expected);
    }

    // ---------------------------------------------------------------- (b) every real model
    void everyModelLoads_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("config");  // where the architecture must come from
        QTest::addColumn<QString>("topClasses");
        QTest::addColumn<int>("layerCount");  // all layers, nested ones included
        QTest::addColumn<QList<int>>("inputShape");
        QTest::addColumn<QList<int>>("outputShape");
        QTest::addColumn<QString>("signature");  // README; consecutive equal widths merged
        const QString ae = "InputLayer,Functional,Functional";
        const QString fqEnc = "InputLayer,QActivation,FQConv2D,QActivation,Flatten,FQDense,QActivation";
        const QString dec = "InputLayer,Dense,Reshape,Conv2DTranspose,Conv2DTranspose,Activation";
        const QList<int> img{8, 8, 1}, latent{16};
        // Autoencoders: 3 outer + 7 encoder + 6 decoder layers (small: Dense16, Dense64, Reshape,
        // one Conv2DTranspose, sigmoid).
        QTest::newRow("small") << "econt-study/small.hdf5" << "econt-study/small.json" << ae << 16 << img << img
                               << "[(1280, 8)]";
        QTest::newRow("medium") << "econt-study/medium.hdf5" << "econt-study/medium.json" << ae << 16 << img << img
                                << "[(2120, 6)]";
        QTest::newRow("large") << "econt-study/large.hdf5" << "econt-study/large.json" << ae << 16 << img << img
                               << "[(800, 5), (8192, 7)]";
        QTest::newRow("baseline5bit") << "econt-study/baseline5bit.hdf5" << "econt-study/baseline5bit.json" << ae
                                      << 16 << img << img << "[(2120, 5)]";
        QTest::newRow("small_encoder") << "econt-study/small_encoder.hdf5" << "econt-study/small_encoder.json"
                                       << "InputLayer,QActivation,Flatten,FQDense,QActivation,FQDense,QActivation"
                                       << 7 << img << latent << "[(1280, 8)]";
        QTest::newRow("medium_encoder") << "econt-study/medium_encoder.hdf5" << "econt-study/medium_encoder.json"
                                        << fqEnc << 7 << img << latent << "[(2120, 6)]";
        QTest::newRow("large_encoder") << "econt-study/large_encoder.hdf5" << "econt-study/large_encoder.json"
                                       << fqEnc << 7 << img << latent << "[(800, 5), (8192, 7)]";
        QTest::newRow("baseline5bit_encoder")
            << "econt-study/baseline5bit_encoder.hdf5" << "econt-study/baseline5bit_encoder.json" << fqEnc << 7 << img
            << latent << "[(2120, 5)]";
        QTest::newRow("small_decoder") << "econt-study/small_decoder.hdf5" << "econt-study/small_decoder.json"
                                       << "InputLayer,Dense,Dense,Reshape,Conv2DTranspose,Activation" << 6 << latent
                                       << img << "[]";
        QTest::newRow("medium_decoder") << "econt-study/medium_decoder.hdf5" << "econt-study/medium_decoder.json"
                                        << dec << 6 << latent << img << "[]";
        QTest::newRow("large_decoder") << "econt-study/large_decoder.hdf5" << "econt-study/large_decoder.json" << dec
                                       << 6 << latent << img << "[]";
        QTest::newRow("baseline5bit_decoder")
            << "econt-study/baseline5bit_decoder.hdf5" << "econt-study/baseline5bit_decoder.json" << dec << 6
            << latent << img << "[]";
        QTest::newRow("golden encoder") << "econt-study/golden-pynq/encoder_keras_model.h5"
                                        << "econt-study/golden-pynq/encoder_keras_model.h5"
                                        << "InputLayer,QActivation,QConv2D,QActivation,Flatten,QDense,QActivation" << 7
                                        << img << latent << "[(2120, 6)]";
        // 16 -> 64 -> 32 -> 32 -> 5: 1024 + 2048 + 1024 + 160 = 4256 6-bit kernel weights.
        QTest::newRow("qkeras_3layer") << "hls4ml-examples/qkeras_3layer_weights.h5" << "hls4ml-examples/qkeras_3layer.json"
                                       << "InputLayer,QDense,QActivation,QDense,QActivation,QDense,QActivation,QDense,"
                                          "Activation"
                                       << 9 << QList<int>{16} << QList<int>{5} << "[(4256, 6)]";
        // 3*3*1*16 = 144, 3*3*16*16 = 2304, (28-2)/2 = 13 -> (13-2)/2 = 5: 5*5*16*10 = 4000.
        QTest::newRow("qkeras_mnist_cnn")
            << "hls4ml-examples/qkeras_mnist_cnn_weights.h5" << "hls4ml-examples/qkeras_mnist_cnn.json"
            << "InputLayer,QConv2D,QActivation,MaxPooling2D,QConv2D,QActivation,MaxPooling2D,Flatten,Dropout,QDense,"
               "Activation"
            << 11 << QList<int>{28, 28, 1} << QList<int>{10} << "[(6448, 6)]";
        // Only the second QDense (20x10 = 200, 4 bits) is fixed point; the first kernel is po2.
        QTest::newRow("qkeras_mnist_dense")
            << "hls4ml-examples/qkeras_mnist_dense_weights.h5" << "hls4ml-examples/qkeras_mnist_dense.json"
            << "InputLayer,QActivation,QDense,QActivation,QDense,Activation" << 6 << QList<int>{784} << QList<int>{10}
            << "[(200, 4)]";
        // 32x32x3, stride 4 'same' -> 8x8; Flatten 2048 = 8*8*32: kernels 3*3*3*32 = 864,
        // 2 x 3*3*32*32 = 9216, 2048*10 = 20480; 39776 8-bit weights.
        QTest::newRow("RN06") << "more/RN06_model_best.h5" << "more/RN06_model_best.h5"
                              << "InputLayer,QConv2DBatchnorm,QActivation,QConv2DBatchnorm,QActivation,"
                                 "QConv2DBatchnorm,QActivation,Flatten,QDense,Activation"
                              << 10 << QList<int>{32, 32, 3} << QList<int>{10} << "[(39776, 8)]";
        QTest::newRow("pynqz2_rn06_v8") << "more/pynqz2_rn06_v8_keras_model.h5" << "more/pynqz2_rn06_v8_keras_model.h5"
                                        << "InputLayer,QConv2DBatchnorm,QActivation,QConv2DBatchnorm,QActivation,"
                                           "QConv2DBatchnorm,QActivation,Flatten,QDense"
                                        << 9 << QList<int>{32, 32, 3} << QList<int>{10} << "[(39776, 8)]";
        // Float autoencoder: 3 outer + 4 encoder + 6 decoder.
        QTest::newRow("denseCNN_2") << "more/denseCNN_2.hdf5" << "more/denseCNN_2.json" << "InputLayer,Model,Model"
                                    << 13 << img << img << "[]";
    }
    void everyModelLoads() {
        QFETCH(QString, file);
        QFETCH(QString, config);
        QFETCH(QString, topClasses);
        QFETCH(int, layerCount);
        QFETCH(QList<int>, inputShape);
        QFETCH(QList<int>, outputShape);
        QFETCH(QString, signature);
        FLIPSCOPE_REQUIRE_SHARED(path, "models/" + file.toStdString());
        const LoadedModel first = loadKerasModel(path.string());
        const Model& model = *first.model;
        QCOMPARE(first.configPath, (flipscope::test::sharedDir() / ("models/" + config.toStdString())).string());
        QVERIFY2(first.warnings.empty(), first.warnings.empty() ? "" : first.warnings[0].c_str());
        QVERIFY(!first.kerasVersion.empty());

        std::string classes;
        for (const auto& c : topLevelClasses(model)) classes += (classes.empty() ? "" : ",") + c;
        QCOMPARE(QString::fromStdString(classes), topClasses);
        QCOMPARE(visitedLayers(model), layerCount);
        const Shape in(inputShape.begin(), inputShape.end()), out(outputShape.begin(), outputShape.end());
        QCOMPARE(model.modelInputShapes().at(0), in);
        QCOMPARE(model.outputShape(), out);
        const ModelSummary summary = summarize(model);
        QCOMPARE(QString::fromStdString(summary.kernelSignature), signature);

        // Predictions: finite, the same from a second load and for any number of threads.
        const Tensor x = deterministicInput(70, in);  // 70 > one 64-sample chunk
        const Tensor y = model.predict(x, 1);
        Shape expectedShape = out;
        expectedShape.insert(expectedShape.begin(), 70);
        QCOMPARE(y.shape(), expectedShape);
        for (float v : y.values()) QVERIFY2(std::isfinite(v), "non-finite prediction");
        EXPECT_SAME_TENSOR(model.predict(x, 2), y);
        const LoadedModel second = loadKerasModel(path.string());
        EXPECT_SAME_TENSOR(second.model->predict(x, 3), y);
    }

    void nestedHalvesEqualStandaloneHalves_data() {
        QTest::addColumn<QString>("stem");
        QTest::newRow("small") << "small";
        QTest::newRow("medium") << "medium";
        QTest::newRow("large") << "large";
        QTest::newRow("baseline5bit") << "baseline5bit";
    }
    void nestedHalvesEqualStandaloneHalves() {
        // README: the standalone encoder/decoder files hold the same weights as the nested ones.
        QFETCH(QString, stem);
        const std::string base = "models/econt-study/" + stem.toStdString();
        FLIPSCOPE_REQUIRE_SHARED(fullPath, base + ".hdf5");
        FLIPSCOPE_REQUIRE_SHARED(encoderPath, base + "_encoder.hdf5");
        FLIPSCOPE_REQUIRE_SHARED(decoderPath, base + "_decoder.hdf5");
        const LoadedModel full = loadKerasModel(fullPath.string());
        const LoadedModel encoder = loadKerasModel(encoderPath.string());
        const LoadedModel decoder = loadKerasModel(decoderPath.string());
        const Tensor x = deterministicInput(100, {8, 8, 1});
        const Tensor latent = full.model->predict(x, 0, full.model->resolveLayerPath("encoder"));
        QCOMPARE(latent.shape(), Shape({100, 16}));
        EXPECT_SAME_TENSOR(encoder.model->predict(x), latent);
        EXPECT_SAME_TENSOR(decoder.model->predict(latent), full.model->predict(x));
        // The latent is not trivially zero (the check above would then prove little).
        QVERIFY(std::any_of(latent.values().begin(), latent.values().end(), [](float v) { return v != 0.0f; }));
    }

    void stopAtEncodedVector() {
        // encoder/encoded_vector is the FQDense before encod_qa = quantized_relu(9,1) (README), so
        // quantizing the stopped output with it gives the encoder's output exactly.
        FLIPSCOPE_REQUIRE_SHARED(path, "models/econt-study/medium.hdf5");
        const LoadedModel loaded = loadKerasModel(path.string());
        const Model& model = *loaded.model;
        const auto stop = model.resolveLayerPath("encoder/encoded_vector");
        QCOMPARE(stop, (std::vector<std::string>{"encoder", "encoded_vector"}));
        QCOMPARE(model.resolveLayerPath("encoded_vector"), stop);  // unique bare name
        const Tensor x = deterministicInput(80, {8, 8, 1});
        Tensor preActivation = model.predict(x, 2, stop);
        QCOMPARE(preActivation.shape(), Shape({80, 16}));
        QVERIFY(std::any_of(preActivation.values().begin(), preActivation.values().end(), [](float v) { return v < 0; }));
        quantize(parseQuantizerString("quantized_relu(9,1)", {}), preActivation.values(), preActivation.shape());
        EXPECT_SAME_TENSOR(preActivation, model.predict(x, 1, model.resolveLayerPath("encoder")));
    }

    // ---------------------------------------------------------------- fixtures written here
    void fullModelFixtureWithQConv2DBatchnormWithoutBias() {
        // QConv2DBatchnorm(use_bias=False): the file has no bias; the folded bias comes from the
        // batch norm alone. Values as in tst_layers: inv = [2, 0.5], folded kernel [1.0, 0.125] ->
        // quantized_bits(4,1) [1.0, 0.0]; folded bias [0.5 - 0.25*2, -0.375 - 0.5*0.5] = [0, -0.625]
        // -> [0, -0.5]. An all-ones 2x2 image gives [1.0, -0.5] at every pixel.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = (dir.path() + "/qcbn.h5").toStdString();
        const json q = {{"class_name", "quantized_bits"}, {"config", {{"bits", 4}, {"integer", 1}, {"alpha", 1}}}};
        json config = {{"class_name", "Sequential"},
                       {"config",
                        {{"name", "bn_model"},
                         {"layers",
                          {{{"class_name", "InputLayer"}, {"config", {{"name", "in"}, {"batch_input_shape", {nullptr, 2, 2, 1}}}}},
                           {{"class_name", "QConv2DBatchnorm"},
                            {"config",
                             {{"name", "qcbn"}, {"filters", 2}, {"kernel_size", {1, 1}}, {"strides", {1, 1}},
                              {"padding", "valid"}, {"use_bias", false}, {"epsilon", 0.25}, {"kernel_quantizer", q},
                              {"bias_quantizer", q}, {"activation", "linear"}}}}}}}}};
        writeKerasH5(path,
                     {{"in", {}},
                      {"qcbn",
                       {{"qcbn/kernel:0", {1, 1, 1, 2}, {0.5f, 0.25f}},
                        {"qcbn/batch_normalization/gamma:0", {2}, {2, 1}},
                        {"qcbn/batch_normalization/beta:0", {2}, {0.5f, -0.375f}},
                        {"qcbn/iteration:0", {}, {306151}, true},
                        {"qcbn/batch_normalization/moving_mean:0", {2}, {0.25f, 0.5f}},
                        {"qcbn/batch_normalization/moving_variance:0", {2}, {0.75f, 3.75f}}}}},
                     config);
        const LoadedModel loaded = loadKerasModel(path);
        QCOMPARE(loaded.configPath, path);
        Layer* conv = loaded.model->findLayer("qcbn");
        QVERIFY(conv);
        QCOMPARE(std::vector<float>(conv->parameter("kernel")->effective.values().begin(),
                                    conv->parameter("kernel")->effective.values().end()),
                 (std::vector<float>{1.0f, 0.0f}));
        QCOMPARE(std::vector<float>(conv->parameter("bias")->effective.values().begin(),
                                    conv->parameter("bias")->effective.values().end()),
                 (std::vector<float>{0.0f, -0.5f}));
        const Tensor y = loaded.model->predict(Tensor({1, 2, 2, 1}, 1.0f));
        EXPECT_SAME_TENSOR(y, Tensor({1, 2, 2, 2}, {1, -0.5f, 1, -0.5f, 1, -0.5f, 1, -0.5f}));
    }

    void nanWeightsLoadWithAWarning() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = (dir.path() + "/nan_model.h5").toStdString();
        writeText((dir.path() + "/nan_model.json").toStdString(), tinyDenseConfig().dump());
        std::vector<float> kernel = {1, 2, 3, 4, 5, 6, 7, 8};
        kernel[3] = std::nanf("");
        writeKerasH5(path, {{"fc", {{"fc/kernel:0", {4, 2}, kernel}, {"fc/bias:0", {2}, {0, 0}}}}});
        const LoadedModel loaded = loadKerasModel(path);
        QCOMPARE(loaded.warnings.size(), size_t(1));
        const std::string& warning = loaded.warnings[0];
        for (const char* part : {"nan_model.h5", "'fc'", "kernel", "NaN"})
            QVERIFY2(warning.find(part) != std::string::npos, warning.c_str());
        // Column 0 has clean weights (1, 3, 5, 7): x = (1, 1, 1, 1) gives 16 there.
        const Tensor y = loaded.model->predict(Tensor({1, 4}, 1.0f));
        QCOMPARE(y[0], 16.0f);
        QVERIFY(std::isnan(y[1]));
    }

    // ---------------------------------------------------------------- (c) bad inputs
    void missingFile() {
        EXPECT_THROW_WITH(InputError, loadKerasModel("/nonexistent/dir/missing_model.h5"), "missing_model.h5");
    }

    void textFileGivenAsH5() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/notes.h5").toStdString();
        writeText(path, "this is not a model\n");
        EXPECT_THROW_WITH(InputError, loadKerasModel(path), "notes.h5", "not an HDF5 file");
    }

    void truncatedHdf5() {
        FLIPSCOPE_REQUIRE_SHARED(source, "models/econt-study/medium.hdf5");
        QTemporaryDir dir;
        const std::string path = copyInto(dir, source, "cut.hdf5");
        copyInto(dir, source.parent_path() / "medium.json", "cut.json");
        QFile file(QString::fromStdString(path));
        QVERIFY(file.resize(static_cast<qint64>(fs::file_size(source) / 2)));
        EXPECT_THROW_WITH(Error, loadKerasModel(path), "cut.hdf5");
    }

    void hdf5WithoutKerasAttributes() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/data.h5").toStdString();
        {
            h5::File file = h5::File::create(path);
            const std::vector<float> values = {1, 2, 3};
            file.writeFloats("/x", {3}, values);
        }
        EXPECT_THROW_WITH(InputError, loadKerasModel(path), "data.h5", "not a Keras model");
    }

    void keras3NativeWeightsFile() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/model.weights.h5").toStdString();
        {
            h5::File file = h5::File::create(path);
            const std::vector<float> values = {1, 2};
            file.writeFloats("/layers/q_dense/vars/0", {2}, values);
        }
        EXPECT_THROW_WITH(UnsupportedError, loadKerasModel(path), "model.weights.h5", "Keras 3");
    }

    void weightsOnlyWithoutJson() {
        FLIPSCOPE_REQUIRE_SHARED(source, "models/econt-study/medium.hdf5");
        QTemporaryDir dir;
        const std::string path = copyInto(dir, source, "medium.hdf5");
        EXPECT_THROW_WITH(InputError, loadKerasModel(path), "medium.hdf5", "--config");
        // An explicit --config that exists is used.
        ModelLoadOptions options;
        options.configPath = (source.parent_path() / "medium.json").string();
        QCOMPARE(loadKerasModel(path, options).configPath, *options.configPath);
    }

    void invalidJsonBeside() {
        FLIPSCOPE_REQUIRE_SHARED(source, "models/econt-study/medium.hdf5");
        QTemporaryDir dir;
        const std::string path = copyInto(dir, source, "medium.hdf5");
        writeText((dir.path() + "/medium.json").toStdString(), "{\"class_name\": ");
        EXPECT_THROW_WITH(InputError, loadKerasModel(path), "medium.json", "not valid JSON");
    }

    void jsonOfAnotherModel() {
        // The weights of qkeras_3layer with medium's architecture: the file has weights for 'fc1'.
        FLIPSCOPE_REQUIRE_SHARED(weights, "models/hls4ml-examples/qkeras_3layer_weights.h5");
        FLIPSCOPE_REQUIRE_SHARED(otherJson, "models/econt-study/medium.json");
        ModelLoadOptions options;
        options.configPath = otherJson.string();
        EXPECT_THROW_WITH(InputError, loadKerasModel(weights.string(), options), "qkeras_3layer_weights.h5", "'fc1'");
    }

    void unknownLayerClass() {
        FLIPSCOPE_REQUIRE_SHARED(source, "models/econt-study/medium.hdf5");
        QTemporaryDir dir;
        const std::string path = copyInto(dir, source, "medium.hdf5");
        json config = readJson(source.parent_path() / "medium.json");
        json* entry = findLayerEntry(config, "encoded_vector");
        QVERIFY(entry);
        (*entry)["class_name"] = "LSTM";
        writeText((dir.path() + "/medium.json").toStdString(), config.dump());
        EXPECT_THROW_WITH(UnsupportedError, loadKerasModel(path), "medium.json", "'encoded_vector'", "LSTM",
                          "supported", "Conv2DTranspose", "QDense");
    }

    void weightShapeMismatch() {
        FLIPSCOPE_REQUIRE_SHARED(source, "models/hls4ml-examples/qkeras_3layer_weights.h5");
        QTemporaryDir dir;
        const std::string path = copyInto(dir, source, "qkeras_3layer_weights.h5");
        json config = readJson(source.parent_path() / "qkeras_3layer.json");
        json* fc1 = findLayerEntry(config, "fc1");
        QVERIFY(fc1);
        QCOMPARE((*fc1)["config"]["units"].get<int>(), 64);
        (*fc1)["config"]["units"] = 60;
        writeText((dir.path() + "/qkeras_3layer.json").toStdString(), config.dump());
        EXPECT_THROW_WITH(InputError, loadKerasModel(path), "qkeras_3layer_weights.h5", "'fc1'", "(16, 64)", "(16, 60)");
    }

    void unsupportedQuantizerInLayerConfig() {
        FLIPSCOPE_REQUIRE_SHARED(source, "models/hls4ml-examples/qkeras_3layer_weights.h5");
        QTemporaryDir dir;
        const std::string path = copyInto(dir, source, "qkeras_3layer_weights.h5");
        json config = readJson(source.parent_path() / "qkeras_3layer.json");
        json* relu1 = findLayerEntry(config, "relu1");
        QVERIFY(relu1);
        (*relu1)["config"]["activation"] = "quantized_tanh(4)";
        writeText((dir.path() + "/qkeras_3layer.json").toStdString(), config.dump());
        EXPECT_THROW_WITH(UnsupportedError, loadKerasModel(path), "qkeras_3layer.json", "'relu1'", "quantized_tanh");
        // The same for a kernel quantizer option QKeras has but Flipscope does not reproduce.
        config = readJson(source.parent_path() / "qkeras_3layer.json");
        (*findLayerEntry(config, "fc2"))["config"]["kernel_quantizer"]["config"]["post_training_scale"] = 2.0;
        writeText((dir.path() + "/qkeras_3layer.json").toStdString(), config.dump());
        EXPECT_THROW_WITH(UnsupportedError, loadKerasModel(path), "qkeras_3layer.json", "'fc2'", "kernel_quantizer",
                          "post_training_scale");
    }

    void wrongInputShapeAtPredict() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/econt-study/medium.hdf5");
        const LoadedModel loaded = loadKerasModel(path.string());
        EXPECT_THROW_WITH(InputError, loaded.model->predict(Tensor({2, 5})), "(8, 8, 1)", "(5,)");
        EXPECT_THROW_WITH(InputError, loaded.model->predict(Tensor({2, 8, 8, 2})), "(8, 8, 1)", "(8, 8, 2)");
    }

    void keras3ArchiveIsUnsupported() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/hls4ml-examples/qkeras-v3_3layer.keras");
        EXPECT_THROW_WITH(UnsupportedError, loadKerasModel(path.string()), "qkeras-v3_3layer.keras", "Keras 3", ".h5");
    }

    void siblingConfigNames() {
        QTemporaryDir dir;
        const std::string base = dir.path().toStdString();
        writeText(base + "/net.json", "{}");
        QCOMPARE(siblingConfigPath(base + "/net_weights.h5"), base + "/net.json");
        writeText(base + "/net_weights.json", "{}");
        QCOMPARE(siblingConfigPath(base + "/net_weights.h5"), base + "/net_weights.json");  // exact stem first
        QCOMPARE(siblingConfigPath(base + "/other.hdf5"), base + "/other.json");
    }
};

QTEST_APPLESS_MAIN(TestKerasLoader)
#include "tst_keras_loader.moc"
