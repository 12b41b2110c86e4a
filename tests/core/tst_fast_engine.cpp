// The fast (incremental) campaign engine must give exactly the reference engine's numbers: on
// every bundled sample model, over a stratified sample of bits in every layer, and for kernels
// and biases. Its building blocks are checked against the reference arithmetic too.
#include "common/test_paths.h"
#include "core/common/radix_sort.h"
#include "core/common/random.h"
#include "core/faults/campaign_job.h"
#include "core/faults/exact_dot.h"
#include "core/faults/fault_group_sums.h"
#include "core/faults/layer_chain.h"
#include "core/faults/model_evaluator.h"
#include "core/io/dataset.h"
#include "core/faults/incremental_engine.h"
#include "core/faults/packed_conv_transpose.h"
#include "core/faults/packed_dense.h"
#include "core/faults/packed_run.h"
#include "core/faults/sample_lanes.h"
#include "core/metrics/econt_remap.h"
#include "core/model/layers/simple_layers.h"
#include "core/io/npy.h"

#include <QtTest>

#include <bit>
#include <cmath>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

using namespace flipscope;

namespace {

// Sparse, shower-like 8x8 maps: a few non-zero cells with positive charges, in the ECON-T
// input range (sums of order 1), plus some all-dense ones.
std::string writeMaps(const QTemporaryDir& dir, int samples) {
    SplitMix64 rng(2024);
    std::vector<float> maps(samples * 64, 0.0f);
    for (int s = 0; s < samples; ++s) {
        const int hits = 3 + static_cast<int>(rng.below(12));
        for (int h = 0; h < hits; ++h) {
            const int row = static_cast<int>(rng.below(8)), col = static_cast<int>(rng.below(8));
            if (row >= 4 && col >= 4) continue;  // the ECON-T layout leaves this quadrant empty
            maps[s * 64 + row * 8 + col] += static_cast<float>(rng.uniform() * 0.5);
        }
    }
    const std::string path = dir.filePath("maps.npy").toStdString();
    writeNpyFloat32(path, {samples, 8, 8, 1}, maps.data());
    return path;
}

std::string sampleModel(const std::string& file) {
    return (test::sourceDir() / "sample_models" / file).string();
}

CampaignResults run(const std::string& model, const std::string& data, const std::string& engine,
                    const std::string& out, const std::string& metric = "emd", const std::string& labels = {},
                    const std::string& plan = "stratified:0.08:0.9", const std::vector<std::string>& layers = {},
                    int64_t samples = 48) {
    CampaignSetup setup;
    setup.modelPath = model;
    setup.dataSpec = data;
    setup.dataOptions.limit = samples;
    setup.labelsSpec = labels;
    setup.metric = metric;
    setup.plan = CampaignPlan::parse(plan);
    setup.filter.layers = layers;
    setup.filter.tensors = {"kernel", "bias"};
    setup.engine = engine;
    setup.outPath = out;
    CampaignJob job(setup);
    CampaignControl control;
    job.run(control, {});
    return readCampaignResults(out);
}

}  // namespace

class TestFastEngine : public QObject {
    Q_OBJECT
private slots:
    void matchesReferenceOnSampleModels_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("small") << "econt-small.h5";
        QTest::newRow("medium") << "econt-medium.h5";
        QTest::newRow("large") << "econt-large.h5";
    }
    void matchesReferenceOnSampleModels() {
        QFETCH(QString, model);
        const std::string path = sampleModel(model.toStdString());
        QVERIFY2(std::filesystem::exists(path), path.c_str());
        QTemporaryDir dir;
        const std::string data = writeMaps(dir, 48);
        compareEngines(path, data, dir, "emd", {});
    }

    void matchesReferenceOnClassifier() {
        const std::string data = sampleModel("data/fmnist-test.h5");
        QTemporaryDir dir;
        compareEngines(sampleModel("fmnist-cnn.h5"), data + ":/x", dir, "ce", data + ":/y");
    }

    // Every bit of a Conv2D layer at once, so that the faults of each output channel are evaluated
    // as one group (conv_channel_faults.h): on the ECON-T encoder's convolution with EMD and on the
    // classifier's first convolution with cross-entropy.
    void convChannelGroupsMatchReference() {
        QTemporaryDir dir;
        compareEngines(sampleModel("econt-medium.h5"), writeMaps(dir, 48), dir, "emd", {}, "exhaustive", {"conv2d_0_m"});
        const std::string data = sampleModel("data/fmnist-test.h5");
        compareEngines(sampleModel("fmnist-cnn.h5"), data + ":/x", dir, "ce", data + ":/y", "exhaustive", {"conv1"});
    }

    // With enough samples a group's work goes in parts by samples, on several threads at once,
    // the later parts' per-sample metrics added in order at the end (incremental_engine.h):
    // still the reference's results, for a Conv2D layer's channels and a Dense layer's units.
    void groupsInPartsMatchReference() {
        QTemporaryDir dir;
        const std::string data = writeMaps(dir, 200);  // three parts of 66 or 67 samples
        const std::string model = sampleModel("econt-medium.h5");
        compareEngines(model, data, dir, "emd", {}, "exhaustive", {"conv2d_0_m"}, 200);
        compareEngines(model, data, dir, "emd", {}, "stratified:0.03:0.9", {"encoded_vector"}, 200);
    }

    // The clean cache is built on threads by chunks of samples: the same bits for any count.
    void cleanCacheDoesNotDependOnThreads() {
        QTemporaryDir dir;
        const LoadedModel loaded = loadKerasModel(sampleModel("econt-medium.h5"));
        const int samples = 3 * static_cast<int>(ModelEvaluator::kChunk) / 2;  // two chunks, the last one short
        const ModelEvaluator evaluator("emd", loadDataset(writeMaps(dir, samples)), {}, *loaded.model);
        const auto one = buildCleanCache(*loaded.model, evaluator, 1);
        const auto two = buildCleanCache(*loaded.model, evaluator, 2);
        QVERIFY(one && two);
        QCOMPARE(two->outputs.size(), one->outputs.size());
        for (size_t l = 0; l < one->outputs.size(); ++l) {
            QCOMPARE(two->outputs[l].shape(), one->outputs[l].shape());
            QVERIFY(std::memcmp(two->outputs[l].data(), one->outputs[l].data(), one->outputs[l].size() * sizeof(float)) == 0);
        }
        QCOMPARE(static_cast<int>(one->perSample.size()), samples);
        QVERIFY(std::memcmp(two->perSample.data(), one->perSample.data(), samples * sizeof(double)) == 0);
        QCOMPARE(static_cast<int>(one->emdBases.size()), samples);
        for (int s = 0; s < samples; ++s) {
            QCOMPARE(two->emdBases[s].cells, one->emdBases[s].cells);
            QCOMPARE(two->emdBases[s].potentials, one->emdBases[s].potentials);
        }
        // And the same clean metric as the model run sample by sample.
        QCOMPARE(one->perSample, evaluator.perSample(*loaded.model));
    }

    // Exhaustive and sampled plans go unit by unit, so the fast engine's work units (a Dense unit's
    // or a Conv2D channel's faults) follow one another in plan order: each unit's results can be
    // handed over and saved when it is done, not only when the whole window of faults is.
    void groupsFollowThePlanOrder() {
        QTemporaryDir dir;
        for (const char* file : {"econt-medium.h5", "econt-large.h5", "fmnist-cnn.h5"}) {
            const LoadedModel loaded = loadKerasModel(sampleModel(file));
            const bool econt = std::string(file).rfind("econt", 0) == 0;
            const std::string images = sampleModel("data/fmnist-test.h5");
            DatasetOptions eight;
            eight.limit = 8;
            const ModelEvaluator evaluator(econt ? "emd" : "ce",
                                           econt ? loadDataset(writeMaps(dir, 8)) : loadDataset(images + ":/x", eight),
                                           econt ? std::vector<int64_t>{} : loadLabels(images + ":/y", 8),
                                           *loaded.model);
            const auto cache = buildCleanCache(*loaded.model, evaluator, 1);
            QVERIFY(cache);
            Model model(*loaded.model);
            const BitSpace space(model);
            const auto bound = bindBitSpace(space, model);
            const IncrementalEvaluator engine(model, bound, *cache, evaluator, 0.0);
            for (const char* plan : {"exhaustive", "sample", "stratified"}) {
                const auto faults = planFaults(CampaignPlan::parse(plan), space);
                const CampaignWork work = engine.planWork(faults, 0, 2);
                int64_t groups = 0;
                for (int64_t u = 0; u < work.units(); ++u) {
                    groups += work.unit(u).size() > 1;
                    for (size_t k = 0; k < work.unit(u).size(); ++k)
                        QCOMPARE(work.unit(u)[k], work.begins[u] + static_cast<int64_t>(k));
                }
                QVERIFY2(groups >= 8, file);  // (grouping did happen)
            }
        }
    }

    // A Dense unit's faulty values are ordered by a radix sort on their bits (the high halves of
    // keys whose low halves are fault indices): the order of a full sort of the keys, for values
    // spread over every byte, values sharing their high bytes (the usual case), many ties, and
    // the sizes where nothing or one key is left.
    void radixSortMatchesFullSort() {
        SplitMix64 rng(11);
        std::vector<uint64_t> scratch;
        for (const uint64_t highMask : {0xffffffffull, 0x000003ffull, 0x00000007ull})
            for (size_t n : {0, 1, 2, 17, 365, 5000}) {
                std::vector<uint64_t> keys;
                for (size_t f = 0; f < n; ++f) keys.push_back(((rng.next() & highMask) | 0x40000000ull) << 32 | f);
                std::vector<uint64_t> expected = keys;
                std::sort(expected.begin(), expected.end());
                sortByHigh32(keys, scratch);
                QCOMPARE(keys, expected);
            }
    }

    // Large fault groups run in slices (bounded memory): the slices cover every fault once, in
    // order, and a slice whose sums are not exact makes the whole group fall back.
    void faultSlicesCoverTheGroup() {
        std::vector<std::pair<int64_t, int64_t>> calls;
        QVERIFY(inFaultSlices(10, 4, [&](int64_t first, int64_t count) {
            calls.emplace_back(first, count);
            return true;
        }));
        QCOMPARE(calls, (std::vector<std::pair<int64_t, int64_t>>{{0, 4}, {4, 4}, {8, 2}}));
        QVERIFY(!inFaultSlices(10, 4, [](int64_t first, int64_t) { return first != 4; }));
    }

    // A group's metrics of a block of samples: added to each fault's sum in sample order, or kept
    // per sample (a later part of the samples) at the block's place in its range; a slice of the
    // group writes its own faults' share.
    void blockMetricsAddOrKeep() {
        const std::vector<double> clean = {0.5, 0.25, 0.125};
        const std::vector<std::pair<uint64_t, int32_t>> changes = {{uint64_t{1} << 32, 0}, {uint64_t{2} << 32, 1}};
        const std::vector<int32_t> rowOfChange = {0, 1};
        const std::vector<double> rowMetrics = {4.0, 8.0};
        std::vector<double> scratch, sums = {1.0, 2.0};
        addBlockMetrics(10, clean, changes, rowOfChange, rowMetrics, scratch, {{10, 13}, sums, {}});
        QCOMPARE(sums[0], ((1.0 + 0.5) + 4.0) + 0.125);
        QCOMPARE(sums[1], ((2.0 + 0.5) + 0.25) + 8.0);
        std::vector<double> kept(2 * 5, -1.0);  // two faults, samples 8..12; the block is 10..12
        const GroupMetrics out{{8, 13}, {}, kept};
        addBlockMetrics(10, clean, changes, rowOfChange, rowMetrics, scratch, out);
        QCOMPARE(kept, (std::vector<double>{-1, -1, 0.5, 4.0, 0.125, -1, -1, 0.5, 0.25, 8.0}));
        const GroupMetrics second = out.slice(1, 1);
        QCOMPARE(second.kept.data(), kept.data() + 5);
        QCOMPARE(static_cast<int64_t>(second.kept.size()), int64_t{5});
    }

    // The SIMD transposed convolution gives the layer's own outputs bit for bit, on real decoder
    // layers and inputs with zeros, negatives and a wide range of magnitudes, and on inputs and
    // weights that expose any change in the order of the sums, for sample counts that fill the
    // eight-sample groups exactly and that leave a short last group (or a short only group).
    void packedConvTransposeMatchesLayer() {
        const int checked = forEachPackedLayer<Conv2DTransposeLayer>(
            [](const Conv2DTransposeLayer& layer, const Tensor& x) { return PackedConvTranspose(layer).forward(x); });
        QVERIFY(checked >= 5);  // small 1, medium 2, large 2
    }

    // The transposed convolutions with eight or more filters (the decoders' first) are computed
    // output by output, leaving out the input channels that are zero in every sample of a group
    // (conv_transpose_gather.h). Still the layer's values bit for bit, with inputs whose channels
    // are +0.0 or -0.0 in all samples of a group, or in all samples but one, with the models'
    // weights and with order-sensitive ones.
    void convTransposeLeavesOutZeroChannelsExactly() {
        int checked = 0;
        for (const char* file : {"econt-small.h5", "econt-medium.h5", "econt-large.h5"}) {
            const LoadedModel loaded = loadKerasModel(sampleModel(file));
            const auto chain = flattenChain(*loaded.model);
            QVERIFY(chain.has_value());
            SplitMix64 rng(11);
            for (Layer* layer : *chain) {
                auto* transpose = dynamic_cast<Conv2DTransposeLayer*>(layer);
                if (!transpose || transpose->filters() < 8) continue;
                for (bool orderSensitive : {false, true}) {
                    if (orderSensitive)
                        for (float& w : transpose->parameter("kernel")->effective.values()) w = signedPowerOfTwo(rng);
                    const PackedConvTranspose packed(*transpose);
                    for (int64_t n : {8, 13, 16}) {
                        Tensor x = variedInput(transpose->inputShapes().at(0), n, rng, orderSensitive);
                        const int64_t width = x.rowSize();
                        for (int64_t group = 0; group < n; group += 8)
                            for (int64_t v = 0; v < width; ++v) {
                                const int64_t kind = rng.below(3);  // zero in all, in all but one, or left
                                if (kind == 2) continue;
                                const int64_t spared = group + static_cast<int64_t>(rng.below(8));
                                for (int64_t r = group; r < std::min(n, group + 8); ++r)
                                    if (kind == 0 || r != spared) x[r * width + v] = rng.below(4) == 0 ? -0.0f : 0.0f;
                            }
                        const std::string where = std::string(file) + " " + transpose->name() +
                                                  (orderSensitive ? " (order)" : "");
                        auto run = [&](const Conv2DTransposeLayer&, const Tensor& in) { return packed.forward(in); };
                        QVERIFY(packedMatches(*transpose, run, x, where));
                    }
                }
                ++checked;
            }
        }
        QCOMPARE(checked, 2);  // medium (8 filters) and large (32); small's decoder has only the last one
    }

    // Restricted to the 48 ECON-T cell pixels (what the EMD reads), the final transposed
    // convolution of each decoder still gives exactly the layer's values there, with the models'
    // weights and with order-sensitive ones; the other pixels keep the bias alone. It then reads
    // only the input pixels with a tap on a cell (so the layer before need not compute the others).
    void restrictedConvTransposeMatchesLayerOnCells() {
        int checked = 0;
        for (const char* file : {"econt-small.h5", "econt-medium.h5", "econt-large.h5"}) {
            const LoadedModel loaded = loadKerasModel(sampleModel(file));
            const auto chain = flattenChain(*loaded.model);
            QVERIFY(chain.has_value());
            Conv2DTransposeLayer* last = nullptr;
            for (Layer* layer : *chain)
                if (auto* transpose = dynamic_cast<Conv2DTransposeLayer*>(layer)) last = transpose;
            QVERIFY(last && shapeSize(last->outputShape()) == kEcontPixels);
            const auto& pixels = econtCellPixels();
            std::vector<char> isCell(kEcontPixels, 0);
            for (const int p : pixels) isCell[p] = 1;
            const float bias = last->parameter("bias") ? last->parameter("bias")->effective[0] : 0.0f;
            SplitMix64 rng(5);
            for (bool orderSensitive : {false, true}) {
                if (orderSensitive)
                    for (float& w : last->parameter("kernel")->effective.values()) w = signedPowerOfTwo(rng);
                PackedConvTranspose packed(*last);
                packed.restrictOutputs(std::vector<int64_t>(pixels.begin(), pixels.end()));
                // What it still reads: every channel of the input pixels with a tap on a cell
                // (an output lands at input * stride + tap - padding).
                const Shape& in = last->inputShapes().at(0);
                int64_t feeding = 0;
                for (int64_t ih = 0; ih < in[0]; ++ih)
                    for (int64_t iw = 0; iw < in[1]; ++iw) {
                        bool feeds = false;
                        for (int64_t di = 0; di < last->kernelSize()[0]; ++di)
                            for (int64_t dj = 0; dj < last->kernelSize()[1]; ++dj) {
                                const int64_t oh = ih * last->strides()[0] + di - last->rowWindow().padBefore;
                                const int64_t ow = iw * last->strides()[1] + dj - last->colWindow().padBefore;
                                feeds = feeds || (oh >= 0 && oh < 8 && ow >= 0 && ow < 8 && isCell[oh * 8 + ow]);
                            }
                        feeding += feeds;
                    }
                QVERIFY(feeding < in[0] * in[1]);  // some pixels feed no cell
                QCOMPARE(static_cast<int64_t>(packed.neededInputs().size()), feeding * in[2]);
                for (int64_t n : {1, 8, 17}) {
                    const Tensor x = variedInput(last->inputShapes().at(0), n, rng, orderSensitive);
                    const Tensor expected = last->forward({&x});
                    const Tensor actual = packed.forward(x);
                    for (int64_t r = 0; r < n; ++r)
                        for (int p = 0; p < kEcontPixels; ++p) {
                            const float want = isCell[p] ? expected[r * kEcontPixels + p] : 0.0f + bias;
                            const float got = actual[r * kEcontPixels + p];
                            if (std::memcmp(&want, &got, sizeof got) != 0)
                                QFAIL(qPrintable(QString("%1 %2 row %3 pixel %4: %5, expected %6")
                                                     .arg(file).arg(QString::fromStdString(last->name())).arg(r).arg(p)
                                                     .arg(got, 0, 'g', 9).arg(want, 0, 'g', 9)));
                        }
                }
            }
            ++checked;
        }
        QCOMPARE(checked, 3);
    }

    // The same for the SIMD Dense on every Dense layer of the ECON-T models (encoder and decoder).
    void packedDenseMatchesLayer() {
        const int checked = forEachPackedLayer<DenseLayer>(
            [](const DenseLayer& layer, const Tensor& x) { return PackedDense(layer).forward(x); });
        QVERIFY(checked >= 8);  // small 4, medium 2, large 2
    }

    // A run of packed layers kept in the SIMD lanes (the ECON-T decoders: Dense, Reshape,
    // Conv2DTranspose, with ReLU or linear activations) gives the layers' own outputs one after
    // another bit for bit, with the models' weights and with weights and inputs that expose the
    // order of the sums; among the inputs are zeros, -0.0 and negatives, which ReLU must treat as
    // the layers do.
    void packedRunMatchesLayers() {
        int runs = 0;
        for (const char* file : {"econt-small.h5", "econt-medium.h5", "econt-large.h5"}) {
            const LoadedModel loaded = loadKerasModel(sampleModel(file));
            const auto chain = flattenChain(*loaded.model);
            QVERIFY(chain.has_value());
            // The decoder: before the final activation layer, the longest tail of Dense (on rows),
            // Reshape and Conv2DTranspose layers, without reshapes at its ends.
            size_t end = chain->size();
            while (end > 0 && dynamic_cast<const ActivationLayer*>((*chain)[end - 1])) --end;
            size_t first = end;
            while (first > 0) {
                const Layer* layer = (*chain)[first - 1];
                if (!PackedDense::packs(*layer) && !dynamic_cast<const Conv2DTransposeLayer*>(layer) &&
                    !dynamic_cast<const ReshapeLayer*>(layer))
                    break;
                --first;
            }
            while (first < end && dynamic_cast<const ReshapeLayer*>((*chain)[first])) ++first;
            const std::vector<Layer*> layers(chain->begin() + static_cast<std::ptrdiff_t>(first),
                                             chain->begin() + static_cast<std::ptrdiff_t>(end));
            SplitMix64 rng(11);
            for (bool orderSensitive : {false, true}) {
                if (orderSensitive)  // weights whose sums depend on their order
                    for (Layer* layer : layers)
                        if (LayerParameter* kernel = layer->parameter("kernel"))
                            for (float& w : kernel->effective.values()) w = signedPowerOfTwo(rng);
                // The packed layers copy the weights when built, so they are built after the change.
                std::vector<std::unique_ptr<PackedDense>> denses;
                std::vector<std::unique_ptr<PackedConvTranspose>> transposes;
                std::vector<PackedRun::Step> steps;
                for (Layer* layer : layers) {
                    if (auto* dense = dynamic_cast<DenseLayer*>(layer)) {
                        denses.push_back(std::make_unique<PackedDense>(*dense));
                        QVERIFY(denses.back()->lanesFusable());
                        steps.push_back({denses.back().get(), nullptr});
                    } else if (auto* transpose = dynamic_cast<Conv2DTransposeLayer*>(layer)) {
                        transposes.push_back(std::make_unique<PackedConvTranspose>(*transpose));
                        QVERIFY(transposes.back()->lanesFusable());
                        steps.push_back({nullptr, transposes.back().get()});
                    }
                }
                QVERIFY2(steps.size() >= 2, file);
                const PackedRun run(steps, layers.back()->outputShape());
                for (int64_t n : {1, 7, 8, 9, 17}) {
                    const Tensor x = variedInput(layers.front()->inputShapes().at(0), n, rng, orderSensitive);
                    Tensor expected = x;
                    for (Layer* layer : layers) expected = layer->forward({&expected});
                    Tensor actual;
                    run.forward(x, actual);
                    const std::string where = std::string(file) + (orderSensitive ? " (order)" : "") + ", " +
                                              std::to_string(n) + " rows";
                    QVERIFY2(actual.shape() == expected.shape(), where.c_str());
                    QVERIFY2(std::memcmp(actual.data(), expected.data(), expected.size() * sizeof(float)) == 0,
                             where.c_str());
                }
                checkDenseDeltaSums(*dynamic_cast<DenseLayer*>(layers.front()), layers, run, rng, orderSensitive,
                                    std::string(file) + (orderSensitive ? " (order)" : ""));
            }
            ++runs;
        }
        QCOMPARE(runs, 3);
    }

    // The exactness test behind the fast Dense path: fixed-point values pass, values whose
    // products span more than a double's significand do not.
    void exactSumBound() {
        ValueGrid inputs, weights;
        for (float v : {0.5f, 0.001953125f, 7.998046875f}) inputs.add(v);  // quantized_relu(12,3)-like
        for (float v : {0.0625f, -2.0f, 1.9375f}) weights.add(v);           // quantized_bits(6,1)-like
        QCOMPARE(inputs.quantumExponent, -9);
        QCOMPARE(weights.quantumExponent, -4);
        QVERIFY(doubleSumsAreExact(inputs, weights, 128 * 8.0 * 2.0));
        ValueGrid fine;
        fine.add(1e-30f);
        QVERIFY(!doubleSumsAreExact(fine, weights, 128 * 8.0 * 2.0));
        ValueGrid infinite;
        infinite.add(std::numeric_limits<float>::infinity());
        QVERIFY(!doubleSumsAreExact(infinite, weights, 1.0));
    }

    // A float's quantum from its bits: v / 2^q is an odd integer, for normal and subnormal floats
    // of both signs (every 4099th bit pattern, and the ends of the ranges).
    void quantumExponentFromBits() {
        std::vector<float> values = {1.0f, -1.0f, 0.75f, 3.0f, std::numeric_limits<float>::max(),
                                     std::numeric_limits<float>::min(), std::numeric_limits<float>::denorm_min(),
                                     -std::numeric_limits<float>::denorm_min(), 6e-39f};
        for (uint64_t bits = 1; bits < 0xffffffffull; bits += 4099) {
            const float v = std::bit_cast<float>(static_cast<uint32_t>(bits));
            if (std::isfinite(v) && v != 0.0f) values.push_back(v);
        }
        int subnormal = 0;
        for (const float v : values) {
            const int q = quantumExponentOf(v);
            const double odd = std::ldexp(static_cast<double>(v), -q);  // exact: a power-of-two scaling
            QCOMPARE(std::fmod(std::fabs(odd), 2.0), 1.0);
            subnormal += std::fpclassify(v) == FP_SUBNORMAL;
        }
        QVERIFY(subnormal > 1000);
    }

private:
    // Rows of a few samples that each move one input away from the sample's clean row (as a Dense
    // unit's faults move one latent value), in groups of one sample and input, through the run
    // with the first layer's sums from the clean ones (dense_delta_sums.h): bit for bit the
    // layers' forwards. Clean inputs on the latent's grid (multiples of 2^-8 in [0, 2)) take the
    // shortcut; with order-sensitive weights the sums are not exact and it must stand aside.
    static void checkDenseDeltaSums(const DenseLayer& first, const std::vector<Layer*>& layers, const PackedRun& run,
                                    SplitMix64& rng, bool orderSensitive, const std::string& where) {
        const int64_t in = first.inFeatures(), samples = 3, perSample = 19;
        auto gridValue = [&] { return rng.below(4) == 0 ? 0.0f : static_cast<float>(rng.below(512)) / 256.0f; };
        Tensor clean({samples, in});
        for (float& v : clean.values()) v = gridValue();
        DenseDeltaSums deltas(first, clean);
        Tensor rows({samples * perSample, in});
        std::vector<int64_t> rowSamples;
        for (int64_t s = 0; s < samples; ++s)
            for (int64_t r = 0; r < perSample; ++r) {
                float* row = rows.data() + rowSamples.size() * in;
                std::copy_n(clean.data() + s * in, in, row);
                const int64_t changed = (s * 5 + (r >= 8 ? 1 : 0)) % in;  // groups of 8 share one input
                do row[changed] = gridValue();
                while (row[changed] == clean[s * in + changed]);
                rowSamples.push_back(s);
            }
        Tensor expected = rows;
        for (Layer* layer : layers) expected = layer->forward({&expected});
        Tensor actual;
        run.forward(rows, actual, &deltas, rowSamples.data());
        QVERIFY2(std::memcmp(actual.data(), expected.data(), expected.size() * sizeof(float)) == 0, where.c_str());
        int shortcuts = 0;
        std::vector<double> sums(first.units() * sample_lanes::kGroup);
        for (int64_t g = 0; g < rows.dim(0); g += sample_lanes::kGroup)
            shortcuts += deltas.groupSums(rows.data() + g * in, rowSamples.data() + g,
                                          std::min<int64_t>(sample_lanes::kGroup, rows.dim(0) - g), sums.data());
        if (orderSensitive) QVERIFY2(shortcuts == 0, where.c_str());
        else QVERIFY2(shortcuts >= 3, where.c_str());
    }

    // Runs `packed` on every chain layer of type L of the three ECON-T models, for 1, 7, 8, 9 and
    // 17 samples, and compares with the layer's forward bit for bit: first with the model's weights
    // and varied inputs, then with weights and inputs that make the double sums depend on their
    // order (see signedPowerOfTwo), then with some of those weights made infinite. Returns the
    // layers checked.
    template <class L, class Packed>
    int forEachPackedLayer(Packed packed) {
        int checked = 0;
        for (const char* file : {"econt-small.h5", "econt-medium.h5", "econt-large.h5"}) {
            const LoadedModel loaded = loadKerasModel(sampleModel(file));
            const auto chain = flattenChain(*loaded.model);
            if (!chain) {
                QTest::qFail("not a chain", __FILE__, __LINE__);
                return 0;
            }
            SplitMix64 rng(7);
            int found = 0;
            for (Layer* layer : *chain) {
                auto* typed = dynamic_cast<L*>(layer);
                if (!typed) continue;
                ++found;
                const std::string where = std::string(file) + " " + layer->name();
                const Shape& sample = typed->inputShapes().at(0);
                const auto matchesForAllCounts = [&](bool orderSensitive, const std::string& what) {
                    for (int64_t n : {1, 7, 8, 9, 17})
                        if (!packedMatches(*typed, packed, variedInput(sample, n, rng, orderSensitive), where + what))
                            return false;
                    return true;
                };
                if (!matchesForAllCounts(false, "")) return checked;
                // Done last: these overwrite the layer's weights.
                std::span<float> weights = typed->parameter("kernel")->effective.values();
                for (float& w : weights) w = signedPowerOfTwo(rng);
                if (!matchesForAllCounts(true, " (order)")) return checked;
                // Infinite weights: a zero input times one is a NaN, which Dense must skip.
                const float infinity = std::numeric_limits<float>::infinity();
                for (float& w : weights)
                    if (rng.below(16) == 0) w = rng.below(2) == 0 ? infinity : -infinity;
                if (!matchesForAllCounts(true, " (infinite weights)")) return checked;
                ++checked;
            }
            if (found == 0) {
                QTest::qFail((std::string("no layer of the type in ") + file).c_str(), __FILE__, __LINE__);
                return checked;
            }
        }
        return checked;
    }

    // Whether packed(layer, x) equals layer.forward(x) bit for bit (a test failure if not).
    template <class L, class Packed>
    static bool packedMatches(const L& layer, Packed& packed, const Tensor& x, const std::string& where) {
        const Tensor expected = layer.forward({&x});
        const Tensor actual = packed(layer, x);
        if (actual.shape() == expected.shape() &&
            std::memcmp(actual.data(), expected.data(), expected.size() * sizeof(float)) == 0)
            return true;
        const std::string message = where + ", " + std::to_string(x.dim(0)) + " samples";
        QTest::qFail(message.c_str(), __FILE__, __LINE__);
        return false;
    }

    // +-2^e, e in {-27, 0, 27}. With such inputs and weights the products are powers of two 27 or
    // more binades apart or equal, so a double sum of them often rounds away a small term or
    // cancels large ones depending on the order of the additions (2^54 + 1 - 2^54 is 0, while
    // 2^54 - 2^54 + 1 is 1), and a sum done in another order than the reference's shows in the
    // float32 result.
    static float signedPowerOfTwo(SplitMix64& rng) {
        const float magnitude = std::ldexp(1.0f, 27 * (static_cast<int>(rng.below(3)) - 1));
        return rng.below(2) == 0 ? magnitude : -magnitude;
    }

    // n samples of `sample` shape: about a quarter exact zeros (some of them -0.0, which Dense
    // skips too), negatives, and (from two samples on) a second sample that is entirely zero. The
    // other values have magnitudes 1e-3..1e3, or are signed powers of two when `orderSensitive`.
    static Tensor variedInput(const Shape& sample, int64_t n, SplitMix64& rng, bool orderSensitive) {
        Shape shape = sample;
        shape.insert(shape.begin(), n);
        Tensor x(shape);
        for (int64_t i = 0; i < x.size(); ++i) {
            if (rng.below(4) == 0) x[i] = rng.below(8) == 0 ? -0.0f : 0.0f;
            else if (orderSensitive) x[i] = signedPowerOfTwo(rng);
            else x[i] = static_cast<float>((rng.uniform() - 0.3) * std::pow(10.0, rng.below(7) - 3.0));
        }
        if (n > 1) std::fill_n(x.data() + x.rowSize(), x.rowSize(), 0.0f);
        return x;
    }

    void compareEngines(const std::string& path, const std::string& data, const QTemporaryDir& dir,
                        const std::string& metric, const std::string& labels,
                        const std::string& plan = "stratified:0.08:0.9", const std::vector<std::string>& layers = {},
                        int64_t samples = 48) {
        const std::string tag = layers.empty() ? "" : "-" + layers.front();
        const auto reference = run(path, data, "reference", dir.filePath(QString::fromStdString("ref" + tag + ".h5")).toStdString(),
                                   metric, labels, plan, layers, samples);
        const auto fast = run(path, data, "fast", dir.filePath(QString::fromStdString("fast" + tag + ".h5")).toStdString(),
                              metric, labels, plan, layers, samples);
        QCOMPARE(fast.info.baseline, reference.info.baseline);
        QCOMPARE(fast.faults.size(), reference.faults.size());
        QVERIFY(fast.faults.size() > 50);
        std::set<int> tensorsSeen;
        for (size_t i = 0; i < fast.faults.size(); ++i) {
            const FaultResult& a = reference.faults[i];
            const FaultResult& b = fast.faults[i];
            QCOMPARE(b.globalBit, a.globalBit);
            if (b.metric != a.metric)
                QFAIL(qPrintable(QString("fault %1 (tensor %2, param %3, bit %4): fast %5, reference %6")
                                     .arg(i).arg(a.tensor).arg(a.param).arg(a.bit)
                                     .arg(b.metric, 0, 'g', 17).arg(a.metric, 0, 'g', 17)));
            QCOMPARE(b.protect, a.protect);
            tensorsSeen.insert(a.tensor);
        }
        // Every kernel and bias in the bit space was sampled.
        QCOMPARE(tensorsSeen.size(), fast.info.bitSpace.size());
    }
};

QTEST_APPLESS_MAIN(TestFastEngine)
#include "tst_fast_engine.moc"
