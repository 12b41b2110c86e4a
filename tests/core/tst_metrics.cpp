// MSE, cross-entropy and accuracy on known answers, and the metric registry: names, errors, and
// that each registered metric gives what the underlying function gives (with the ECON-T mapping
// for emd and telescope).
#include "core/common/error.h"
#include "core/metrics/basic_metrics.h"
#include "core/metrics/econt_remap.h"
#include "core/metrics/emd.h"
#include "core/metrics/metric_registry.h"
#include "core/metrics/telescope.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <vector>

using namespace flipscope;

namespace {

bool near(double a, double b, double tolerance = 1e-12) { return std::abs(a - b) <= tolerance; }

MetricInput compareRows(std::span<const float> outputs, int64_t dim, std::span<const float> targets) {
    MetricInput input;
    input.outputs = outputs;
    input.dim = dim;
    input.targets = targets;
    return input;
}

MetricInput compareLabels(std::span<const float> outputs, int64_t dim, std::span<const int64_t> labels) {
    MetricInput input;
    input.outputs = outputs;
    input.dim = dim;
    input.labels = labels;
    return input;
}

// Two ECON-T samples as 8x8 images (64 floats per row): an input and a decoder-like output.
struct EcontImages {
    std::vector<float> inputs, outputs;
};

EcontImages econtImages(int count) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    EcontImages images;
    for (int n = 0; n < count; ++n) {
        std::vector<double> input(48, 0.0), output(48);
        for (int k = 0; k < 6; ++k) input[rng() % 48] = unit(rng);
        for (double& v : output) v = unit(rng);
        std::vector<float> inputImage(64), outputImage(64);
        cellsToImage(input, inputImage);
        cellsToImage(output, outputImage);
        outputImage[63] = 0.75f;  // a decoder writes into the masked quadrant too; it must be ignored
        images.inputs.insert(images.inputs.end(), inputImage.begin(), inputImage.end());
        images.outputs.insert(images.outputs.end(), outputImage.begin(), outputImage.end());
    }
    return images;
}

}  // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void meanSquaredError() {
        const std::vector<float> outputs = {1, 2, 3, 0.5f, 0.5f, 0.5f};
        const std::vector<float> targets = {1, 0, 0, 0.5f, 0.5f, 1.5f};
        const std::vector<double> mse = mseRows(outputs, targets, 3);
        QCOMPARE(mse.size(), size_t(2));
        QVERIFY(near(mse[0], 13.0 / 3.0));  // (0 + 4 + 9) / 3
        QVERIFY(near(mse[1], 1.0 / 3.0));
        QVERIFY(near(meanOf(mse), 7.0 / 3.0));
        QVERIFY_THROWS_EXCEPTION(InputError, mseRows(outputs, std::vector<float>(5), 3));
        QVERIFY_THROWS_EXCEPTION(InputError, mseRows(outputs, targets, 4));
    }

    void crossEntropyFromProbabilities() {
        const std::vector<float> probabilities = {
            0.7f, 0.2f, 0.1f,  // label 0
            1.4f, 0.4f, 0.2f,  // label 0, not normalized: Keras divides by the row sum first
            1.0f, 0.0f, 0.0f,  // label 1: probability 0 is clipped to 1e-7
            0.0f, 1.0f, 0.0f,  // label 1: probability 1 is clipped to 1 - 1e-7
        };
        const std::vector<int64_t> labels = {0, 0, 1, 1};
        const std::vector<double> ce = crossEntropyRows(probabilities, labels, 3);
        // Computed in double from the float inputs; the row sum of the floats is not exactly 1.
        const double rowSum = static_cast<double>(0.7f) + 0.2f + 0.1f;
        QVERIFY(near(ce[0], -std::log(0.7f / rowSum)));
        QVERIFY(near(ce[1], ce[0], 1e-7));
        QVERIFY(near(ce[2], -std::log(1e-7)));  // 16.118...
        QVERIFY(near(ce[3], -std::log(1.0 - 1e-7)));
        // The same with one-hot rows, and soft targets weigh the log-probabilities.
        std::vector<float> oneHot(12, 0.0f);
        for (int r = 0; r < 4; ++r) oneHot[3 * r + labels[r]] = 1.0f;
        QCOMPARE(crossEntropyRows(probabilities, oneHot, 3), ce);
        const std::vector<float> soft = {0.5f, 0.5f, 0.0f};
        const std::vector<double> softCe = crossEntropyRows(std::span(probabilities).first(3), soft, 3);
        QVERIFY(near(softCe[0], -0.5 * std::log(0.7f / rowSum) - 0.5 * std::log(0.2f / rowSum)));
        QVERIFY_THROWS_EXCEPTION(InputError, crossEntropyRows(probabilities, std::vector<int64_t>{0, 0, 3, 1}, 3));
        QVERIFY_THROWS_EXCEPTION(InputError, crossEntropyRows(probabilities, std::vector<int64_t>{0, 0, 1}, 3));
    }

    void crossEntropyFromLogits() {
        const std::vector<float> logits = {2, 1, 0, 1000, 0, -5};
        const std::vector<int64_t> labels = {0, 1};
        const std::vector<double> ce = crossEntropyFromLogitsRows(logits, labels, 3);
        // -log softmax_0 = log(1 + e^-1 + e^-2)
        QVERIFY(near(ce[0], std::log(1.0 + std::exp(-1.0) + std::exp(-2.0))));
        QVERIFY(near(ce[1], 1000.0, 1e-9));  // no overflow
        std::vector<float> oneHot = {1, 0, 0, 0, 1, 0};
        QCOMPARE(crossEntropyFromLogitsRows(logits, oneHot, 3), ce);
    }

    void topOneAccuracy() {
        const std::vector<float> outputs = {
            0.1f, 0.7f, 0.2f,  // arg-max 1
            0.4f, 0.4f, 0.2f,  // tie: the first maximum (0) counts
            0.3f, 0.3f, 0.4f,  // arg-max 2
        };
        const std::vector<double> accuracy = accuracyRows(outputs, std::vector<int64_t>{1, 1, 0}, 3);
        QCOMPARE(accuracy, (std::vector<double>{1.0, 0.0, 0.0}));
        const std::vector<float> oneHot = {0, 1, 0, 1, 0, 0, 0, 0, 1};
        QCOMPARE(accuracyRows(outputs, oneHot, 3), (std::vector<double>{1.0, 1.0, 1.0}));
        QVERIFY(std::isnan(meanOf({})));
    }

    void registryNamesAndErrors() {
        QStringList names;
        for (const MetricInfo& info : metricInfos()) names << QString::fromStdString(info.name);
        QCOMPARE(names, (QStringList{"emd", "telescope", "mse", "ce", "accuracy"}));
        QVERIFY(metricInfo("emd").lowerIsBetter);
        QVERIFY(!metricInfo("accuracy").lowerIsBetter);
        QVERIFY(!metricInfo("ce").description.empty());
        try {
            (void)metricInfo("f1");
            QFAIL("unknown metric accepted");
        } catch (const InputError& error) {
            const QString message = error.what();
            QVERIFY(message.contains("\"f1\""));
            for (const QString& name : names) QVERIFY2(message.contains(name), error.what());
        }
        QVERIFY_THROWS_EXCEPTION(InputError, evaluateMetric("top5", MetricInput{}));
    }

    void registryEmdMapsEcontImages() {
        const int count = 5;
        const EcontImages images = econtImages(count);
        MetricInput input;
        input.outputs = images.outputs;
        input.targets = images.inputs;
        input.dim = 64;
        input.threads = 2;
        const MetricResult result = evaluateMetric("emd", input);
        QCOMPARE(result.perSample.size(), size_t(count));
        const std::vector<double> inputCells = imagesToCells(images.inputs.data(), count);
        const std::vector<double> outputCells = imagesToCells(images.outputs.data(), count);
        const Geometry econt = Geometry::econt();
        double sum = 0.0;
        for (int n = 0; n < count; ++n) {
            const double expected = emd(econt, std::span<const double>(inputCells.data() + 48 * n, 48),
                                        std::span<const double>(outputCells.data() + 48 * n, 48));
            QCOMPARE(result.perSample[n], expected);
            QVERIFY(expected > 0.0);
            sum += expected;
        }
        QVERIFY(near(result.value, sum / count));

        // The same maps as 48-cell rows give the same values.
        const std::vector<float> inputRows(inputCells.begin(), inputCells.end());
        const std::vector<float> outputRows(outputCells.begin(), outputCells.end());
        const MetricInput cells = compareRows(outputRows, 48, inputRows);
        QCOMPARE(evaluateMetricPerSample("emd", cells), result.perSample);

        // An all-zero input row gives the study's -1 sentinel, included in the mean.
        std::vector<float> inputs = images.inputs;
        std::fill_n(inputs.begin(), 64, 0.0f);
        input.targets = inputs;
        QCOMPARE(evaluateMetricPerSample("emd", input)[0], -1.0);

        // Other row sizes need an explicit geometry.
        const std::vector<float> line = {0, 1, 0, 0, 0, 0, 0, 0, 1, 0};
        const std::vector<float> shifted = {0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
        MetricInput lineInput = compareRows(shifted, 10, line);
        QVERIFY_THROWS_EXCEPTION(InputError, evaluateMetric("emd", lineInput));
        const Geometry grid = Geometry::grid1d(10);
        lineInput.geometry = &grid;
        QVERIFY(near(evaluateMetric("emd", lineInput).value, 1.5));  // half the mass moves 2, half moves 1
        lineInput.geometry = &econt;
        QVERIFY_THROWS_EXCEPTION(InputError, evaluateMetric("emd", lineInput));
        // EMD compares maps, not labels.
        const std::vector<int64_t> labels(count, 0);
        const MetricInput withLabels = compareLabels(images.outputs, 64, labels);
        QVERIFY_THROWS_EXCEPTION(InputError, evaluateMetric("emd", withLabels));
    }

    void registryTelescopeMapsEcontImages() {
        const int count = 4;
        const EcontImages images = econtImages(count);
        const MetricInput input = compareRows(images.outputs, 64, images.inputs);
        const std::vector<double> perSample = evaluateMetricPerSample("telescope", input);
        const std::vector<double> inputCells = imagesToCells(images.inputs.data(), count);
        const std::vector<double> outputCells = imagesToCells(images.outputs.data(), count);
        QCOMPARE(perSample, telescopeLossRows(inputCells.data(), outputCells.data(), count));
        const MetricInput wrongSize = compareRows(std::span(images.outputs).first(60), 60, std::span(images.inputs).first(60));
        QVERIFY_THROWS_EXCEPTION(InputError, evaluateMetric("telescope", wrongSize));
    }

    void registryClassifierMetrics() {
        const std::vector<float> probabilities = {0.7f, 0.2f, 0.1f, 0.2f, 0.3f, 0.5f};
        const std::vector<int64_t> labels = {0, 1};
        MetricInput input = compareLabels(probabilities, 3, labels);
        const MetricResult ce = evaluateMetric("ce", input);
        QCOMPARE(ce.perSample, crossEntropyRows(probabilities, labels, 3));
        QVERIFY(near(ce.value, (ce.perSample[0] + ce.perSample[1]) / 2));
        const MetricResult accuracy = evaluateMetric("accuracy", input);
        QCOMPARE(accuracy.perSample, (std::vector<double>{1.0, 0.0}));
        QCOMPARE(accuracy.value, 0.5);
        input.outputsAreLogits = true;
        QCOMPARE(evaluateMetricPerSample("ce", input), crossEntropyFromLogitsRows(probabilities, labels, 3));
        QVERIFY_THROWS_EXCEPTION(InputError, evaluateMetric("mse", input));  // mse needs target rows

        const std::vector<float> targets = {1, 0, 0, 0, 0, 1};
        const MetricInput regression = compareRows(probabilities, 3, targets);
        QCOMPARE(evaluateMetricPerSample("mse", regression), mseRows(probabilities, targets, 3));
    }
};

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
