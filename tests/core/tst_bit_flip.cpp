// Flipping single bits of a real model's weights: exactly one weight changes, by the codec's
// rule; flipping again or restoring from a pristine copy gives the model back; the flip changes
// what the model computes.
#include "common/model_weights.h"
#include "common/test_paths.h"
#include "core/common/error.h"
#include "core/faults/bit_access.h"
#include "core/faults/bit_flip.h"
#include "core/faults/flip_outcome.h"
#include "core/io/dataset.h"
#include "core/io/keras_h5_loader.h"
#include "core/model/input_fit.h"

#include <QtTest>

using namespace flipscope;

namespace {

using test::allWeights;

}  // namespace

class TestBitFlip : public QObject {
    Q_OBJECT

    std::unique_ptr<Model> load(const std::filesystem::path& path) { return loadKerasModel(path.string()).model; }

private slots:
    void parsesAndPrintsAddresses() {
        const WeightBit b{"encoder/conv2d_0_m", "kernel", 12, 5};
        QCOMPARE(toString(b), std::string("encoder/conv2d_0_m:kernel[12].b5"));
        QVERIFY(parseWeightBit(toString(b)) == b);
        QVERIFY_THROWS_EXCEPTION(InputError, parseWeightBit("encoder/conv2d_0_m:kernel[12]"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseWeightBit("kernel[1].b2"));
        QVERIFY_THROWS_EXCEPTION(InputError, parseWeightBit("a:kernel[x].b2"));
    }

    void listsTheFlippableTensors() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/econt-study/medium.hdf5");
        const auto model = load(path);
        const auto tensors = flippableTensors(*model);
        QCOMPARE(tensors.size(), size_t(4));
        QCOMPARE(tensors[0].layerPath, std::string("encoder/conv2d_0_m"));
        QCOMPARE(tensors[0].tensor, std::string("kernel"));
        QCOMPARE(tensors[0].params, int64_t(72));
        QCOMPARE(tensors[2].layerPath, std::string("encoder/encoded_vector"));
        QCOMPARE(tensors[2].params, int64_t(2048));
        for (const auto& t : tensors) {
            QCOMPARE(t.bits, 6);
            QVERIFY(t.isSigned);
        }
        QCOMPARE(unflattenIndex(71, tensors[0].shape), (std::vector<int64_t>{2, 2, 0, 7}));
    }

    void flipChangesExactlyOneWeightAndFlipsBack() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/econt-study/medium.hdf5");
        auto model = load(path);
        const std::vector<float> before = allWeights(*model);
        const WeightBit bit{"encoder/encoded_vector", "kernel", 100, 5};  // the sign bit
        const BitState s = inspectBit(*model, bit);
        QCOMPARE(s.bits, 6);
        QCOMPARE(s.word.size(), size_t(6));
        QCOMPARE(s.bitSet, s.word[0] == '1');
        QCOMPARE(s.flippedCode, s.code + (s.bitSet ? 32 : -32));  // sign bit of a 6-bit two's complement

        const BitState old = flipBit(*model, bit);
        QCOMPARE(old.value, s.value);
        const std::vector<float> after = allWeights(*model);
        int changed = 0;
        for (size_t i = 0; i < before.size(); ++i) changed += before[i] != after[i];
        QCOMPARE(changed, 1);
        QCOMPARE(flippableParameter(*model, bit.layerPath, bit.tensor).effective[bit.index], s.flippedValue);
        QCOMPARE(inspectBit(*model, bit).bitSet, !s.bitSet);

        flipBit(*model, bit);
        QVERIFY(allWeights(*model) == before);
    }

    void rejectsBitsOutsideTheModel() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/econt-study/medium.hdf5");
        auto model = load(path);
        QVERIFY_THROWS_EXCEPTION(InputError, flipBit(*model, {"encoder/conv2d_0_m", "kernel", 72, 0}));
        QVERIFY_THROWS_EXCEPTION(InputError, flipBit(*model, {"encoder/conv2d_0_m", "kernel", 0, 6}));
        QVERIFY_THROWS_EXCEPTION(InputError, flipBit(*model, {"encoder/conv2d_0_m", "gamma", 0, 0}));
        QVERIFY_THROWS_EXCEPTION(InputError, flipBit(*model, {"decoder/de_dense_final", "kernel", 0, 0}));  // float
        QVERIFY_THROWS_EXCEPTION(InputError, flipBit(*model, {"no_such_layer", "kernel", 0, 0}));
    }

    void restoresFromPristineCopy() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/econt-study/medium.hdf5");
        auto model = load(path);
        const Model pristine(*model);
        BitAccess access(*model);
        const float* kernel = access.parameter(0).effective.data();
        access.flip({0, 3, 5});
        access.flip({2, 2047, 0});
        QVERIFY(allWeights(*model) != allWeights(pristine));
        restoreWeights(*model, pristine);
        QVERIFY(allWeights(*model) == allWeights(pristine));
        QCOMPARE(access.parameter(0).effective.data(), kernel);  // pointers into the model stay valid
        QVERIFY(access.find({"encoder/encoded_vector", "bias", 3, 1}) == (BitRef{3, 3, 1}));
        QVERIFY(!access.find({"encoder/encoded_vector", "bias", 16, 1}));
    }

    void signBitFlipChangesTheOutcome() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/econt-study/medium.hdf5");
        FLIPSCOPE_REQUIRE_SHARED(data, "models/econt-study/golden-pynq/hgcal_test_input.npy");
        auto model = load(path);
        const Model pristine(*model);
        const Tensor inputs = fitToModelInput(loadDataset(data.string()), model->modelInputShapes().at(0), "inputs");
        QCOMPARE(chooseOutcomeMetric(*model, false), OutcomeMetric::Emd);
        // The largest-magnitude conv kernel weight's sign bit: the first layer, every sample sees it.
        BitAccess access(*model);
        int64_t biggest = 0;
        for (int64_t i = 0; i < access.tensors()[0].params; ++i)
            if (std::fabs(access.weight(0, i)) > std::fabs(access.weight(0, biggest))) biggest = i;
        access.flip({0, biggest, 5});
        const FlipComparison c = compareModels(pristine, *model, inputs, {}, OutcomeMetric::Emd);
        QCOMPARE(c.before.perSample.size(), size_t(10));
        QVERIFY(c.before.outputs.shape() == c.after.outputs.shape());
        QVERIFY(c.after.value != c.before.value);
        const FlipComparison same = compareModels(pristine, pristine, inputs, {}, OutcomeMetric::Emd);
        QCOMPARE(same.after.value, same.before.value);
        // Without labels a classifier-like comparison measures the change of the outputs.
        const Outcome moved = evaluateOutcome(*model, inputs, {}, OutcomeMetric::MeanAbsChange, &c.before.outputs);
        QVERIFY(moved.value > 0);
    }
};

QTEST_MAIN(TestBitFlip)
#include "tst_bit_flip.moc"
