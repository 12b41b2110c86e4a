// The bundled sample models (sample_models/*.h5) load, have the architecture their README line
// states, and reproduce the held-out metric their README line states, computed here from the
// bundled data (sample_models/data/): mean EMD for the ECON-T autoencoders, accuracy for the
// Fashion-MNIST classifier.
#include "common/test_paths.h"
#include "core/io/dataset.h"
#include "core/io/keras_h5_loader.h"
#include "core/metrics/basic_metrics.h"
#include "core/model/input_fit.h"
#include "core/model/model_summary.h"
#include "core/train/evaluation.h"

#include <QtTest>

#include <fstream>
#include <regex>

using namespace flipscope;

namespace {

// The README table row of a model file: "| econt-small.h5 | ... |".
std::string readmeRow(const std::string& file) {
    std::ifstream readme(test::sourceDir() / "sample_models" / "README.md");
    for (std::string line; std::getline(readme, line);)
        if (line.rfind("| " + file + " |", 0) == 0) return line;
    return {};
}

std::string match(const std::string& text, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : std::string();
}

}  // namespace

class TestSampleModels : public QObject {
    Q_OBJECT
private slots:
    void reproducesReadme_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("inputs");
        QTest::addColumn<QString>("labels");
        QTest::addColumn<QString>("signature");  // as the training issue fixes it
        QTest::newRow("econt-small") << "econt-small.h5" << "econt-heldout.h5:/images" << "" << "[(1280, 8)]";
        QTest::newRow("econt-medium") << "econt-medium.h5" << "econt-heldout.h5:/images" << "" << "[(2120, 6)]";
        QTest::newRow("econt-large") << "econt-large.h5" << "econt-heldout.h5:/images" << ""
                                     << "[(800, 5), (8192, 7)]";
        QTest::newRow("fmnist-cnn") << "fmnist-cnn.h5" << "fmnist-test.h5:/x" << "fmnist-test.h5:/y" << "[(5224, 6)]";
    }
    void reproducesReadme() {
        QFETCH(QString, file);
        QFETCH(QString, inputs);
        QFETCH(QString, labels);
        QFETCH(QString, signature);
        const auto dir = test::sourceDir() / "sample_models";
        const std::string row = readmeRow(file.toStdString());
        QVERIFY2(!row.empty(), "no README line for the model");
        const LoadedModel loaded = loadKerasModel((dir / file.toStdString()).string());
        const Model& model = *loaded.model;
        const std::string kernels = summarize(model).kernelSignature;
        QCOMPARE(QString::fromStdString(kernels), signature);
        QVERIFY2(row.find(kernels) != std::string::npos, "the README line states another kernel signature");

        const std::string data = (dir / "data" / inputs.toStdString()).string();
        const Tensor x = fitToModelInput(loadDataset(data), model.modelInputShapes().at(0), data);
        const Tensor y = model.predict(x, 2);
        if (labels.isEmpty()) {
            const std::string stated = match(row, R"(mean EMD ([0-9]+\.[0-9]+))");
            QVERIFY2(!stated.empty(), "the README line states no 'mean EMD'");
            const double emd = meanEcontEmd(x, y, 2);
            qInfo("%s: mean EMD %.4f on %lld held-out modules (README: %s)", qPrintable(file), emd,
                  static_cast<long long>(x.dim(0)), stated.c_str());
            QVERIFY(std::fabs(emd - std::stod(stated)) <= 0.5e-4 + 1e-9);
        } else {
            const std::string stated = match(row, R"(test accuracy ([0-9]+\.[0-9]+) ?%)");
            QVERIFY2(!stated.empty(), "the README line states no 'test accuracy'");
            const std::vector<int64_t> truth = loadLabels((dir / "data" / labels.toStdString()).string());
            const double accuracy = 100.0 * meanOf(accuracyRows(y.values(), truth, y.rowSize()));
            qInfo("%s: test accuracy %.2f%% on %lld held-out images (README: %s%%)", qPrintable(file), accuracy,
                  static_cast<long long>(x.dim(0)), stated.c_str());
            QVERIFY(std::fabs(accuracy - std::stod(stated)) <= 0.005 + 1e-9);
            QVERIFY(accuracy >= 85.0);
        }
    }
};

QTEST_APPLESS_MAIN(TestSampleModels)
#include "tst_sample_models.moc"
