// writeKerasModel round trip on every real model in ../shared/models that Flipscope loads (all
// but the Keras 3 .keras archive): load, write into a temporary folder, load again; the
// predictions on a fixed input are identical (==).
#include "common/test_paths.h"
#include "core/io/keras_h5_loader.h"
#include "core/io/keras_h5_writer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace flipscope;

class TestKerasWriterRoundTrip : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<QString>("file");
        for (const char* stem : {"small", "medium", "large", "baseline5bit"})
            for (const char* part : {"", "_encoder", "_decoder"})
                QTest::newRow((std::string(stem) + part).c_str())
                    << QString("econt-study/%1%2.hdf5").arg(stem, part);
        for (const char* file :
             {"econt-study/golden-pynq/encoder_keras_model.h5", "hls4ml-examples/qkeras_3layer_weights.h5",
              "hls4ml-examples/qkeras_mnist_cnn_weights.h5", "hls4ml-examples/qkeras_mnist_dense_weights.h5",
              "more/RN06_model_best.h5",
              "more/pynqz2_rn06_v8_keras_model.h5", "more/denseCNN_2.hdf5"})
            QTest::newRow(file) << file;
    }
    void roundTrip() {
        QFETCH(QString, file);
        FLIPSCOPE_REQUIRE_SHARED(path, "models/" + file.toStdString());
        const LoadedModel original = loadKerasModel(path.string());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string copy = dir.filePath("model.h5").toStdString();
        writeKerasModel(*original.model, copy);
        const LoadedModel reloaded = loadKerasModel(copy);

        Shape shape = original.model->modelInputShapes().at(0);
        shape.insert(shape.begin(), 20);
        Tensor x(shape);
        std::mt19937_64 rng(4);
        std::uniform_real_distribution<float> dist(0.0f, 1.0f);
        for (float& v : x.values()) v = dist(rng);
        const Tensor a = original.model->predict(x, 2), b = reloaded.model->predict(x, 2);
        QCOMPARE(a.shape(), b.shape());
        for (int64_t i = 0; i < a.size(); ++i)
            QVERIFY2(a[i] == b[i], qPrintable(QString("output %1: %2 vs %3").arg(i).arg(a[i]).arg(b[i])));
    }
};

QTEST_APPLESS_MAIN(TestKerasWriterRoundTrip)
#include "tst_keras_writer_roundtrip.moc"
