// The HDF5 wrapper: numeric datasets, groups, string attributes of both HDF5 string kinds and
// Keras's split form, appendable datasets, error messages, and real Keras files from ../shared.
#include "common/test_paths.h"
#include "core/common/error.h"
#include "core/io/hdf5_file.h"

#include <hdf5.h>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace flipscope;

namespace {

// The message of the InputError `action` throws, or a marker that makes the caller's check fail.
template <class Action>
QString inputErrorOf(Action&& action) {
    try {
        action();
    } catch (const InputError& error) {
        return QString::fromStdString(error.what());
    } catch (const std::exception& error) {
        return "not an InputError: " + QString::fromStdString(error.what());
    }
    return "no error thrown";
}

#define EXPECT_INPUT_ERROR(action, ...)                                                            \
    do {                                                                                           \
        const QString message = inputErrorOf([&] { action; });                                     \
        for (const char* part : {__VA_ARGS__})                                                     \
            QVERIFY2(message.contains(part), qPrintable("'" + QString(part) + "' not in: " + message)); \
    } while (0)

// Writes a string attribute with the raw C API, so the reader is tested on kinds and paddings the
// wrapper's own writer does not produce.
void writeRawStringAttribute(const std::string& file, const char* name, const std::vector<std::string>& values,
                             size_t fixedSize, H5T_str_t pad) {
    const hid_t id = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    QVERIFY(id >= 0);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, fixedSize);
    H5Tset_strpad(type, pad);
    const hsize_t count = values.size();
    const hid_t space = H5Screate_simple(1, &count, nullptr);
    std::vector<char> buffer(values.size() * fixedSize, pad == H5T_STR_SPACEPAD ? ' ' : '\0');
    for (size_t i = 0; i < values.size(); ++i) std::copy(values[i].begin(), values[i].end(), buffer.begin() + i * fixedSize);
    const hid_t attribute = H5Acreate2(id, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    QVERIFY(attribute >= 0);
    QVERIFY(H5Awrite(attribute, type, buffer.data()) >= 0);
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(id);
}

// Whether an attribute of the root group is stored as a variable-length string.
bool isVariableLengthString(const std::string& file, const char* name) {
    const hid_t id = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t attribute = H5Aopen(id, name, H5P_DEFAULT);
    const hid_t type = H5Aget_type(attribute);
    const bool variable = H5Tis_variable_str(type) > 0;
    H5Tclose(type);
    H5Aclose(attribute);
    H5Fclose(id);
    return variable;
}

}  // namespace

class TestHdf5 : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::string file(const char* name) const { return dir_.filePath(name).toStdString(); }

    // A small file with every numeric kind, used by several tests.
    std::string writeSample() {
        const std::string path = file("sample.h5");
        h5::File out = h5::File::create(path);
        const std::vector<float> floats{1.5f, -2.25f, 3.0f, 0.0f, 1e-7f, -1e6f};
        out.writeFloats("/a/b/x", {2, 3}, floats);
        const std::vector<double> doubles{0.1, -1e300, 42.0};
        out.writeDoubles("/d", {3}, doubles);
        const std::vector<int64_t> ints{-7, int64_t{1} << 40, 0, 3};
        out.writeInts("/g/i", {2, 2}, ints);
        const std::vector<float> scalar{9.0f};
        out.writeFloats("/s", {}, scalar);
        return path;
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void numericDatasetsRoundTrip() {
        const h5::File in = h5::File::openRead(writeSample());
        QCOMPARE(in.datasetShape("/a/b/x"), (Shape{2, 3}));
        QCOMPARE(in.readFloats("/a/b/x"), (std::vector<float>{1.5f, -2.25f, 3.0f, 0.0f, 1e-7f, -1e6f}));
        QCOMPARE(in.readDoubles("/d"), (std::vector<double>{0.1, -1e300, 42.0}));
        QCOMPARE(in.readInts("/g/i"), (std::vector<int64_t>{-7, int64_t{1} << 40, 0, 3}));
        QCOMPARE(in.datasetShape("/s"), Shape{});
        QCOMPARE(in.readFloats("/s"), std::vector<float>{9.0f});
        QCOMPARE(in.datasetTypeName("/a/b/x"), std::string("float32"));
        QCOMPARE(in.datasetTypeName("/d"), std::string("float64"));
        QCOMPARE(in.datasetTypeName("/g/i"), std::string("int64"));
    }

    void readersConvertStoredTypes() {
        const h5::File in = h5::File::openRead(writeSample());
        QCOMPARE(in.readDoubles("/a/b/x")[1], -2.25);
        QCOMPARE(in.readFloats("/g/i")[0], -7.0f);
        QCOMPARE(in.readInts("/a/b/x")[2], int64_t{3});
    }

    void groupsAndPaths() {
        h5::File out = h5::File::openReadWrite(writeSample());
        QVERIFY(out.exists("/") && out.exists("/a") && out.exists("/a/b/x") && out.exists("a/b"));
        QVERIFY(!out.exists("/nope") && !out.exists("/a/nope/x") && !out.exists("/a/b/x/deeper"));
        QVERIFY(out.isGroup("/a/b") && !out.isGroup("/a/b/x") && !out.isGroup("/nope"));
        QVERIFY(out.isDataset("/a/b/x") && !out.isDataset("/a") && !out.isDataset("/nope"));
        QCOMPARE(out.children("/"), (std::vector<std::string>{"a", "d", "g", "s"}));
        QCOMPARE(out.children("/a/b"), std::vector<std::string>{"x"});
        QCOMPARE(out.datasetPaths(), (std::vector<std::string>{"/a/b/x", "/d", "/g/i", "/s"}));
        QCOMPARE(out.datasetPaths("/g"), std::vector<std::string>{"/g/i"});

        out.createGroup("/new/deep/group");
        out.createGroup("/new/deep/group");  // existing: no-op
        QVERIFY(out.isGroup("/new/deep"));
        EXPECT_INPUT_ERROR(out.createGroup("/d"), "sample.h5", "'/d'", "not a group");
        EXPECT_INPUT_ERROR(out.children("/d"), "sample.h5", "'/d' is not a group");
        EXPECT_INPUT_ERROR(out.children("/nope"), "sample.h5", "no group '/nope'");
        const std::vector<float> one{1.0f};
        EXPECT_INPUT_ERROR(out.writeFloats("/d", {1}, one), "sample.h5", "'/d' already exists");
    }

    void fixedAndVariableStringAttributes() {
        const std::string path = file("strings.h5");
        {
            h5::File out = h5::File::create(path);
            out.writeStringAttribute("/", "fixed", "tensorflow", h5::StringKind::Fixed);
            out.writeStringAttribute("/", "variable", "{\"class_name\": \"Sequential\"}", h5::StringKind::Variable);
            out.writeStringListAttribute("/", "fixedList", {"fc1", "relu1", "output"}, h5::StringKind::Fixed);
            out.writeStringListAttribute("/", "variableList", {"input_1", "q_dense"}, h5::StringKind::Variable);
            out.writeStringAttribute("/", "utf8", "µ-bit", h5::StringKind::Fixed);
        }
        QVERIFY(!isVariableLengthString(path, "fixed"));
        QVERIFY(isVariableLengthString(path, "variable"));
        QVERIFY(!isVariableLengthString(path, "fixedList"));
        QVERIFY(isVariableLengthString(path, "variableList"));
        writeRawStringAttribute(path, "spacePadded", {"ab", "cdef"}, 6, H5T_STR_SPACEPAD);
        writeRawStringAttribute(path, "nullTerminated", {"xyz"}, 8, H5T_STR_NULLTERM);

        const h5::File in = h5::File::openRead(path);
        QCOMPARE(in.stringAttribute("/", "fixed"), std::string("tensorflow"));
        QCOMPARE(in.stringAttribute("/", "variable"), std::string("{\"class_name\": \"Sequential\"}"));
        QCOMPARE(in.stringAttribute("/", "utf8"), std::string("µ-bit"));
        QCOMPARE(in.stringListAttribute("/", "fixedList"), (std::vector<std::string>{"fc1", "relu1", "output"}));
        QCOMPARE(in.stringListAttribute("/", "variableList"), (std::vector<std::string>{"input_1", "q_dense"}));
        QCOMPARE(in.stringListAttribute("/", "spacePadded"), (std::vector<std::string>{"ab", "cdef"}));
        QCOMPARE(in.stringAttribute("/", "nullTerminated"), std::string("xyz"));
        // A scalar is a one-entry list; a one-entry list is a string.
        QCOMPARE(in.stringListAttribute("/", "fixed"), std::vector<std::string>{"tensorflow"});
        EXPECT_INPUT_ERROR(in.stringAttribute("/", "fixedList"), "strings.h5",
                           "attribute 'fixedList' of '/' holds 3 strings, expected one");
        EXPECT_INPUT_ERROR(in.stringAttribute("/", "missing"), "strings.h5", "no attribute 'missing' of '/'");
        EXPECT_INPUT_ERROR(in.stringListAttribute("/", "missing"), "strings.h5", "'missing0'");
        EXPECT_INPUT_ERROR(in.hasAttribute("/nope", "x"), "strings.h5", "no object '/nope'");
    }

    void splitListAttributes() {
        const std::string path = file("split.h5");
        h5::File out = h5::File::create(path);
        out.createGroup("/model_weights");
        // Keras's split form written by hand, as a Keras 2 file with many layers has it.
        out.writeStringListAttribute("/model_weights", "layer_names0", {"input_1", "conv"});
        out.writeStringListAttribute("/model_weights", "layer_names1", {"dense"});
        QVERIFY(!out.hasAttribute("/model_weights", "layer_names"));
        QCOMPARE(out.stringListAttribute("/model_weights", "layer_names"),
                 (std::vector<std::string>{"input_1", "conv", "dense"}));

        // The writer splits by itself once the list passes 64512 bytes: 3000 x 30 bytes -> 2 parts.
        std::vector<std::string> many;
        for (int i = 0; i < 3000; ++i) many.push_back("layer_" + std::string(20, 'x') + std::to_string(1000 + i));
        out.writeStringListAttribute("/", "weight_names", many);
        QVERIFY(!out.hasAttribute("/", "weight_names"));
        QVERIFY(out.hasAttribute("/", "weight_names0") && out.hasAttribute("/", "weight_names1"));
        QVERIFY(!out.hasAttribute("/", "weight_names2"));
        QCOMPARE(out.stringListAttribute("/", "weight_names"), many);

        // Rewriting a short list removes the stale parts.
        out.writeStringListAttribute("/", "weight_names", {"kernel:0"});
        QVERIFY(out.hasAttribute("/", "weight_names") && !out.hasAttribute("/", "weight_names0"));
        QCOMPARE(out.stringListAttribute("/", "weight_names"), std::vector<std::string>{"kernel:0"});
    }

    void numberAttributesAndTypeMismatches() {
        const std::string path = file("model.h5");
        h5::File out = h5::File::create(path);
        out.createGroup("/model_weights");
        out.writeNumberAttribute("/model_weights", "layer_names", 3.5);
        out.writeStringAttribute("/", "backend", "tensorflow");
        QCOMPARE(out.numberAttribute("/model_weights", "layer_names"), 3.5);
        QCOMPARE(inputErrorOf([&] { out.stringListAttribute("/model_weights", "layer_names"); }),
                 QString("%1: attribute 'layer_names' of '/model_weights' is not a string list (found float64 ())")
                     .arg(QString::fromStdString(path)));
        EXPECT_INPUT_ERROR(out.numberAttribute("/", "backend"), "model.h5", "'backend'", "is not a number (found string)");
        EXPECT_INPUT_ERROR(out.stringAttribute("/model_weights", "layer_names"), "model.h5", "is not a string");
    }

    void emptyNumericArrayIsEmptyNameList() {
        // Keras stores the weight_names of a weightless layer as an empty float64 array.
        const std::string path = file("weightless.h5");
        h5::File::create(path);
        const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        const hsize_t zero = 0;
        const hid_t space = H5Screate_simple(1, &zero, nullptr);
        H5Aclose(H5Acreate2(id, "weight_names", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT));
        H5Sclose(space);
        H5Fclose(id);
        QVERIFY(h5::File::openRead(path).stringListAttribute("/", "weight_names").empty());
    }

    void openErrorsNameTheFile() {
        EXPECT_INPUT_ERROR(h5::File::openRead(file("missing.h5")), "missing.h5: no such file");
        EXPECT_INPUT_ERROR(h5::File::openRead(dir_.path().toStdString()), "is a directory");

        const std::string foreign = file("foreign.h5");
        std::ofstream(foreign) << "this is a text file, not HDF5\n";
        EXPECT_INPUT_ERROR(h5::File::openRead(foreign), "foreign.h5: not an HDF5 file");

        // A valid file cut to half its size keeps its signature but cannot be opened.
        const std::string whole = file("whole.h5");
        {
            h5::File out = h5::File::create(whole);
            const std::vector<double> values(20000, 1.25);
            out.writeDoubles("/values", {20000}, values);
        }
        const std::string truncated = file("truncated.h5");
        std::filesystem::copy_file(whole, truncated);
        std::filesystem::resize_file(truncated, std::filesystem::file_size(whole) / 2);
        EXPECT_INPUT_ERROR(h5::File::openRead(truncated), "truncated.h5: cannot be read as HDF5 (truncated or damaged?)");
        EXPECT_INPUT_ERROR(h5::File::openReadWrite(truncated), "truncated.h5", "truncated or damaged");

        EXPECT_INPUT_ERROR(h5::File::create(file("no-such-dir/new.h5")), "new.h5: cannot be created");
    }

    void datasetErrorsNameFileAndPath() {
        const h5::File in = h5::File::openRead(writeSample());
        EXPECT_INPUT_ERROR(in.readFloats("/a/nope"), "sample.h5", "no dataset '/a/nope'");
        EXPECT_INPUT_ERROR(in.readFloats("/a/b"), "sample.h5", "'/a/b' is a group, not a dataset");
        EXPECT_INPUT_ERROR(in.datasetShape("/zzz"), "sample.h5", "'/zzz'");
    }

    void appendableDatasetsGrow() {
        const std::string path = file("results.h5");
        {
            h5::File out = h5::File::create(path);
            out.createAppendable("/results/flips", {3}, h5::NumberType::Float64, 4);
            out.createAppendable("/results/bits", {}, h5::NumberType::Int64, 2);
            out.createAppendable("/results/maps", {2, 2}, h5::NumberType::Float32);
            QCOMPARE(out.datasetShape("/results/flips"), (Shape{0, 3}));

            const std::vector<double> first{1, 2, 3, 4, 5, 6};
            out.appendRows("/results/flips", first.data(), 2);
            std::vector<double> more(15);
            for (int i = 0; i < 15; ++i) more[i] = 7 + i;
            out.appendRows("/results/flips", more.data(), 5);  // crosses a chunk boundary
            const std::vector<int64_t> bits{5, -1, 1LL << 50};
            out.appendRows("/results/bits", bits.data(), 3);
            const std::vector<float> map{0.5f, 1.5f, 2.5f, 3.5f};
            out.appendRows("/results/maps", map.data(), 1);
            out.flush();
            QCOMPARE(out.datasetShape("/results/flips"), (Shape{7, 3}));
        }
        {
            h5::File out = h5::File::openReadWrite(path);
            const std::vector<int64_t> bit{9};
            out.appendRows("/results/bits", bit.data(), 1);
            out.appendRows("/results/bits", bit.data(), 0);  // nothing
            const std::vector<double> one{0};
            EXPECT_INPUT_ERROR(out.appendRows("/results", one.data(), 1), "results.h5", "'/results' is a group");
            out.writeDoubles("/fixed", {1}, one);
            EXPECT_INPUT_ERROR(out.appendRows("/fixed", one.data(), 1), "results.h5", "'/fixed' is not appendable");
        }
        const h5::File in = h5::File::openRead(path);
        std::vector<double> expected(21);
        for (int i = 0; i < 21; ++i) expected[i] = 1 + i;
        QCOMPARE(in.readDoubles("/results/flips"), expected);
        QCOMPARE(in.datasetShape("/results/bits"), Shape{4});
        QCOMPARE(in.readInts("/results/bits"), (std::vector<int64_t>{5, -1, 1LL << 50, 9}));
        QCOMPARE(in.datasetShape("/results/maps"), (Shape{1, 2, 2}));
        QCOMPARE(in.readFloats("/results/maps"), (std::vector<float>{0.5f, 1.5f, 2.5f, 3.5f}));
    }

    void filesMoveAndCloseOnce() {
        const std::string path = file("moved.h5");
        h5::File first = h5::File::create(path);
        h5::File second = std::move(first);
        second.createGroup("/g");
        h5::File third = h5::File::create(file("other.h5"));
        third = std::move(second);  // closes other.h5, takes moved.h5
        QCOMPARE(third.path(), path);
        QVERIFY(third.isGroup("/g"));
    }

    void concurrentReadersAreSerialized() {
        const std::string path = writeSample();
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 50; ++i) {
                    const h5::File in = h5::File::openRead(path);
                    if (in.readInts("/g/i")[1] != (int64_t{1} << 40) || in.children("/").size() != 4) ++mismatches;
                }
            });
        for (std::thread& thread : threads) thread.join();
        QCOMPARE(mismatches.load(), 0);
    }

    void realKeras2WeightsFile() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/hls4ml-examples/qkeras_3layer_weights.h5");
        const h5::File in = h5::File::openRead(path.string());
        QCOMPARE(in.stringListAttribute("/", "layer_names"),
                 (std::vector<std::string>{"fc1", "relu1", "fc2", "relu2", "fc3", "relu3", "output", "softmax"}));
        QCOMPARE(in.stringAttribute("/", "keras_version"), std::string("2.4.0"));
        QCOMPARE(in.stringListAttribute("/fc1", "weight_names"),
                 (std::vector<std::string>{"fc1/kernel:0", "fc1/bias:0"}));
        QVERIFY(in.stringListAttribute("/relu1", "weight_names").empty());
        QCOMPARE(in.datasetShape("/fc1/fc1/kernel:0"), (Shape{16, 64}));
        const std::vector<float> kernel = in.readFloats("/fc1/fc1/kernel:0");
        // Values cross-checked with h5py.
        QCOMPARE(kernel.front(), -0.11841583251953125f);
        QCOMPARE(kernel.back(), 0.015743806958198547f);
    }

    void realKeras29ModelFile() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/more/pynqz2_rn06_v8_keras_model.h5");
        const h5::File in = h5::File::openRead(path.string());
        const std::string config = in.stringAttribute("/", "model_config");
        QCOMPARE(config.size(), size_t{10323});
        QVERIFY(config.starts_with("{\"class_name\": \"Functional\""));
        QCOMPARE(in.stringAttribute("/", "keras_version"), std::string("2.9.0"));
        const std::vector<std::string> layers = in.stringListAttribute("/model_weights", "layer_names");
        QCOMPARE(layers.size(), size_t{9});
        QCOMPARE(layers.front(), std::string("input_1"));
        QCOMPARE(layers.back(), std::string("q_dense"));
    }
};

QTEST_GUILESS_MAIN(TestHdf5)
#include "tst_hdf5.moc"
