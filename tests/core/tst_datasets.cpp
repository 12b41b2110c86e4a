// Dataset readers: NPY (every dtype, both byte orders, versions 1-3), IDX (plain and gzip), CSV,
// HDF5 datasets chosen by "file.h5:/path", format detection from content, limits, normalization,
// labels, and the error messages for bad input. Fixture files are written byte by byte here.
#include "common/test_paths.h"
#include "core/common/error.h"
#include "core/io/csv_numbers.h"
#include "core/io/dataset.h"
#include "core/io/hdf5_file.h"
#include "core/io/idx.h"
#include "core/io/npy.h"

#include <zlib.h>

#include <QTemporaryDir>
#include "common/expect_error.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>

using namespace flipscope;

namespace {

// Every bad input is an InputError naming the file (and the object or field).
#define EXPECT_INPUT_ERROR(action, ...) EXPECT_THROW_WITH(InputError, action, __VA_ARGS__)

// `values` converted to T and packed in the given byte order.
template <class T>
std::string pack(const QList<double>& values, bool bigEndian) {
    std::string bytes;
    for (double value : values) {
        const T typed = static_cast<T>(value);
        char raw[sizeof(T)];
        std::memcpy(raw, &typed, sizeof(T));
        if (bigEndian != (std::endian::native == std::endian::big)) std::reverse(raw, raw + sizeof(T));
        bytes.append(raw, sizeof(T));
    }
    return bytes;
}

// Packs values as the NPY dtype `descr` ("<i2", ">f8", "|b1", ...) would store them.
std::string packAs(const std::string& descr, const QList<double>& values) {
    using Packer = std::function<std::string(const QList<double>&, bool)>;
    static const std::map<std::string, Packer> packers = {
        {"f4", pack<float>},    {"f8", pack<double>},   {"i1", pack<int8_t>},  {"i2", pack<int16_t>},
        {"i4", pack<int32_t>},  {"i8", pack<int64_t>},  {"u1", pack<uint8_t>}, {"u2", pack<uint16_t>},
        {"u4", pack<uint32_t>}, {"u8", pack<uint64_t>}, {"b1", pack<uint8_t>},
    };
    return packers.at(descr.substr(1))(values, descr[0] == '>');
}

// A complete .npy file: magic, version, header length (2 bytes in v1, 4 in v2/v3), the dict
// padded with blanks to a 64-byte boundary and ended by '\n', then the data.
std::string npyBytes(const std::string& descr, const std::string& shape, const std::string& data, int major = 1,
                     const std::string& fortran = "False") {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
    const size_t lengthBytes = major == 1 ? 2 : 4;
    while ((8 + lengthBytes + dict.size() + 1) % 64 != 0) dict += ' ';
    dict += '\n';
    std::string bytes = "\x93NUMPY";
    bytes += static_cast<char>(major);
    bytes += '\0';
    for (size_t i = 0; i < lengthBytes; ++i) bytes += static_cast<char>((dict.size() >> (8 * i)) & 0xff);
    return bytes + dict + data;
}

// A complete IDX file: 00 00 <type code> <ndim>, big-endian uint32 dimensions, then the data.
std::string idxBytes(unsigned char typeCode, const std::vector<uint32_t>& dims, const std::string& data) {
    std::string bytes{'\0', '\0', static_cast<char>(typeCode), static_cast<char>(dims.size())};
    for (uint32_t dim : dims)
        for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((dim >> shift) & 0xff);
    return bytes + data;
}

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void writeGzip(const std::string& path, const std::string& bytes) {
    gzFile file = gzopen(path.c_str(), "wb");
    QVERIFY(file);
    QCOMPARE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
    QCOMPARE(gzclose(file), Z_OK);
}

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<float> floats(const QList<double>& values) { return std::vector<float>(values.begin(), values.end()); }

}  // namespace

class TestDatasets : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::string file(const char* name) const { return dir_.filePath(name).toStdString(); }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // ----- NPY

    void npyDtypes_data() {
        QTest::addColumn<QString>("descr");
        QTest::addColumn<QList<double>>("values");
        const QList<double> f4{1.5, -2.25, 0.0009765625, 1267650600228229401496703205376.0};  // exact in float32
        const QList<double> f8{0.1, -1e10, 2.5, 1e300};
        const QList<double> i1{-128, 127, 0, -1};
        const QList<double> i2{-32768, 32767, 256, -2};
        const QList<double> i4{-2147483648.0, 2147483647.0, 65536, -3};
        const QList<double> i8{-1099511627776.0, 1099511627776.0, 5, -5};
        const QList<double> u1{0, 255, 128, 1};
        const QList<double> u2{65535, 0, 258, 1};
        const QList<double> u4{4294967295.0, 0, 16909060, 7};
        const QList<double> u8{9007199254740992.0, 0, 3, 9};
        const QList<double> b1{0, 1, 1, 0};
        const std::pair<const char*, QList<double>> cases[] = {
            {"<f4", f4}, {">f4", f4}, {"<f8", f8}, {">f8", f8}, {"|i1", i1}, {"<i1", i1}, {"<i2", i2},
            {">i2", i2}, {"<i4", i4}, {">i4", i4}, {"<i8", i8}, {">i8", i8}, {"|u1", u1}, {"<u2", u2},
            {">u2", u2}, {"<u4", u4}, {">u4", u4}, {"<u8", u8}, {">u8", u8}, {"|b1", b1},
        };
        for (const auto& [descr, values] : cases) QTest::newRow(descr) << QString(descr) << values;
    }

    void npyDtypes() {
        QFETCH(QString, descr);
        QFETCH(QList<double>, values);
        const std::string path = file("dtype.npy");
        writeBytes(path, npyBytes(descr.toStdString(), "(2, 2)", packAs(descr.toStdString(), values)));

        const DoubleArray exact = readNpyDoubles(path);
        QCOMPARE(exact.shape, (Shape{2, 2}));
        QCOMPARE(exact.values, std::vector<double>(values.begin(), values.end()));
        const Tensor tensor = readNpy(path);
        QCOMPARE(tensor.shape(), (Shape{2, 2}));
        for (int i = 0; i < 4; ++i) QCOMPARE(tensor[i], static_cast<float>(values[i]));
    }

    void npyHeaderVersionsAndShapes() {
        const QList<double> values{1, 2, 3};
        for (int major : {1, 2, 3}) {
            const std::string path = file("version.npy");
            writeBytes(path, npyBytes("<f4", "(3,)", packAs("<f4", values), major));
            const Tensor tensor = readNpy(path);
            QCOMPARE(tensor.shape(), Shape{3});
            QCOMPARE(std::vector<float>(tensor.values().begin(), tensor.values().end()), floats(values));
        }
        writeBytes(file("scalar.npy"), npyBytes("<f8", "()", packAs("<f8", {6.5})));
        QCOMPARE(readNpyDoubles(file("scalar.npy")).shape, Shape{});
        QCOMPARE(readNpyDoubles(file("scalar.npy")).values, std::vector<double>{6.5});
        writeBytes(file("empty.npy"), npyBytes("<f4", "(0, 3)", ""));
        QCOMPARE(readNpy(file("empty.npy")).shape(), (Shape{0, 3}));
    }

    void npyWriterRoundTrip() {
        const std::vector<float> f32{1.0f, -0.5f, 3.25f, 1e-8f, 7.0f, -9.0f};
        writeNpyFloat32(file("w32.npy"), {2, 3, 1}, f32.data());
        const Tensor tensor = readNpy(file("w32.npy"));
        QCOMPARE(tensor.shape(), (Shape{2, 3, 1}));
        QCOMPARE(std::vector<float>(tensor.values().begin(), tensor.values().end()), f32);

        // The layout numpy itself writes: v1.0, data 64-byte aligned, header ends in '\n'.
        const std::string bytes = readBytes(file("w32.npy"));
        QVERIFY(bytes.starts_with(std::string("\x93NUMPY\x01\x00", 8)));
        const size_t headerLength = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
        QCOMPARE((10 + headerLength) % 64, size_t{0});
        QCOMPARE(bytes[10 + headerLength - 1], '\n');
        const std::string header = bytes.substr(10, headerLength);
        QVERIFY2(header.find("'descr': '<f4'") != std::string::npos, header.c_str());
        QVERIFY2(header.find("'fortran_order': False") != std::string::npos, header.c_str());
        QVERIFY2(header.find("'shape': (2, 3, 1)") != std::string::npos, header.c_str());
        QCOMPARE(bytes.size(), 10 + headerLength + 6 * sizeof(float));

        const std::vector<double> f64{0.1, -1e300, 1.0 / 3.0};
        writeNpyFloat64(file("w64.npy"), {3}, f64.data());
        QVERIFY(readBytes(file("w64.npy")).find("'shape': (3,)") != std::string::npos);
        QCOMPARE(readNpyDoubles(file("w64.npy")).values, f64);
    }

    void npyErrors() {
        writeBytes(file("trunc.npy"), npyBytes("<f8", "(2, 3)", packAs("<f8", {1, 2, 3, 4, 5})));
        EXPECT_INPUT_ERROR(readNpy(file("trunc.npy")), "trunc.npy: header says 2x3 float64 = 48 bytes of data, file has 40");
        writeBytes(file("fortran.npy"), npyBytes("<f4", "(2, 2)", packAs("<f4", {1, 2, 3, 4}), 1, "True"));
        EXPECT_INPUT_ERROR(readNpy(file("fortran.npy")), "fortran.npy", "Fortran order");
        writeBytes(file("unicode.npy"), npyBytes("<U5", "(2,)", std::string(40, 'a')));
        EXPECT_INPUT_ERROR(readNpy(file("unicode.npy")), "unicode.npy", "unsupported dtype '<U5'");
        writeBytes(file("complex.npy"), npyBytes("<c8", "(1,)", std::string(8, '\0')));
        EXPECT_INPUT_ERROR(readNpy(file("complex.npy")), "complex.npy", "unsupported dtype '<c8'");
        writeBytes(file("magic.npy"), "\x93NUMPZ" + std::string(100, ' '));
        EXPECT_INPUT_ERROR(readNpy(file("magic.npy")), "magic.npy", "bad magic");
        writeBytes(file("v9.npy"), npyBytes("<f4", "(1,)", packAs("<f4", {1}), 9));
        EXPECT_INPUT_ERROR(readNpy(file("v9.npy")), "v9.npy", "version 9.0 is not supported");
        writeBytes(file("cutheader.npy"), npyBytes("<f4", "(1,)", "").substr(0, 30));
        EXPECT_INPUT_ERROR(readNpy(file("cutheader.npy")), "cutheader.npy", "truncated NPY header");
        EXPECT_INPUT_ERROR(readNpy(file("absent.npy")), "absent.npy: no such file");
    }

    void realHgcalInput() {
        FLIPSCOPE_REQUIRE_SHARED(path, "models/econt-study/golden-pynq/hgcal_test_input.npy");
        const DoubleArray exact = readNpyDoubles(path.string());
        QCOMPARE(exact.shape, (Shape{10, 8, 8, 1}));
        // Cross-checked with numpy: a.sum() == 14.359375, a.max() == 1.75.
        double sum = 0;
        for (double v : exact.values) sum += v;
        QCOMPARE(sum, 14.359375);
        QCOMPARE(*std::max_element(exact.values.begin(), exact.values.end()), 1.75);
        QCOMPARE(loadDataset(path.string()).shape(), (Shape{10, 8, 8, 1}));
    }

    // ----- IDX

    void idxTypes_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("descr");  // how the test packs the data (always big-endian)
        QTest::addColumn<QList<double>>("values");
        QTest::newRow("u8") << 0x08 << ">u1" << QList<double>{0, 255, 7, 128, 1, 2};
        QTest::newRow("i8") << 0x09 << ">i1" << QList<double>{-128, 127, -1, 0, 5, -5};
        QTest::newRow("i16") << 0x0B << ">i2" << QList<double>{-32768, 32767, 300, -300, 0, 1};
        QTest::newRow("i32") << 0x0C << ">i4" << QList<double>{-2147483648.0, 2147483647.0, 70000, -1, 0, 2};
        QTest::newRow("f32") << 0x0D << ">f4" << QList<double>{0.5, -1.25, 1e20, -3, 0, 0.75};
        QTest::newRow("f64") << 0x0E << ">f8" << QList<double>{0.1, -1e-5, 2, 3, 4, 5};
    }

    void idxTypes() {
        QFETCH(int, code);
        QFETCH(QString, descr);
        QFETCH(QList<double>, values);
        const std::string bytes = idxBytes(static_cast<unsigned char>(code), {3, 2}, packAs(descr.toStdString(), values));
        writeBytes(file("plain.idx"), bytes);
        writeGzip(file("packed.idx.gz"), bytes);
        for (const char* name : {"plain.idx", "packed.idx.gz"}) {
            const Tensor tensor = readIdx(file(name));
            QCOMPARE(tensor.shape(), (Shape{3, 2}));
            QCOMPARE(std::vector<float>(tensor.values().begin(), tensor.values().end()), floats(values));
        }
    }

    void idxMnistShapeAndErrors() {
        // An MNIST-like image file: 2 images of 3x2 pixels, gzip-compressed, loaded through detection.
        std::string pixels;
        for (int i = 0; i < 12; ++i) pixels += static_cast<char>(i * 20);
        writeGzip(file("images-idx3-ubyte.gz"), idxBytes(0x08, {2, 3, 2}, pixels));
        QCOMPARE(detectDatasetFormat(file("images-idx3-ubyte.gz")), DatasetFormat::Idx);
        const Tensor images = loadDataset(file("images-idx3-ubyte.gz"), {.normalization = Normalization::Scale255});
        QCOMPARE(images.shape(), (Shape{2, 3, 2}));
        QCOMPARE(images[11], 220.0f / 255.0f);

        writeBytes(file("short.idx"), idxBytes(0x08, {2, 3}, "abcd"));
        EXPECT_INPUT_ERROR(readIdx(file("short.idx")), "short.idx: header says 2x3 uint8 = 6 bytes of data, file has 4");
        writeBytes(file("badtype.idx"), idxBytes(0x0A, {1}, "x"));
        EXPECT_INPUT_ERROR(readIdx(file("badtype.idx")), "badtype.idx", "unknown IDX type code 0x0a");
        // A gzip stream cut in the middle.
        std::string big;
        for (int i = 0; i < 200000; ++i) big += static_cast<char>((i * 7919) % 251);
        writeGzip(file("whole.gz"), idxBytes(0x08, {200000}, big));
        const std::string compressed = readBytes(file("whole.gz"));
        writeBytes(file("cut.gz"), compressed.substr(0, compressed.size() / 2));
        EXPECT_INPUT_ERROR(readIdx(file("cut.gz")), "cut.gz", "gzip data is damaged or truncated");
    }

    // ----- CSV

    void csvWithAndWithoutHeader() {
        writeBytes(file("header.csv"), "x, y ,\"z\"\n1,2,3\r\n\n4, 5.5 ,-6e-1\n");
        Tensor table = readCsvNumbers(file("header.csv"));
        QCOMPARE(table.shape(), (Shape{2, 3}));
        QCOMPARE(std::vector<float>(table.values().begin(), table.values().end()),
                 (std::vector<float>{1, 2, 3, 4, 5.5f, -0.6f}));

        writeBytes(file("plain.csv"), "+1.5,.25\n-3,1e3");  // no final newline
        table = readCsvNumbers(file("plain.csv"));
        QCOMPARE(table.shape(), (Shape{2, 2}));
        QCOMPARE(std::vector<float>(table.values().begin(), table.values().end()),
                 (std::vector<float>{1.5f, 0.25f, -3, 1000}));

        // numpy.savetxt's default: blank-separated.
        table = parseCsvNumbers("1.000000000000000000e+00 2.5\n3 4\n", "saved.txt");
        QCOMPARE(table.shape(), (Shape{2, 2}));
        QCOMPARE(table[1], 2.5f);

        table = parseCsvNumbers("\xEF\xBB\xBF" "7\n8\n", "bom.csv");
        QCOMPARE(table.shape(), (Shape{2, 1}));
        QCOMPARE(table[0], 7.0f);
    }

    void csvErrors() {
        writeBytes(file("ragged.csv"), "a,b,c\n1,2,3\n4,5\n");
        EXPECT_INPUT_ERROR(readCsvNumbers(file("ragged.csv")), "ragged.csv line 3: 2 values, expected 3 (as on line 2)");
        writeBytes(file("word.csv"), "1,2\n3,x\n");
        EXPECT_INPUT_ERROR(readCsvNumbers(file("word.csv")), "word.csv line 2: 'x' (column 2) is not a number");
        EXPECT_INPUT_ERROR(parseCsvNumbers("1,2,3\n1,,2\n", "gap.csv"), "gap.csv line 2: '' (column 2) is not a number");
        EXPECT_INPUT_ERROR(parseCsvNumbers("a,b\n", "onlyheader.csv"), "onlyheader.csv: no rows of numbers");
        EXPECT_INPUT_ERROR(parseCsvNumbers(std::string("1,2\0", 4), "binary.csv"), "binary.csv", "binary data");
    }

    // ----- Detection, HDF5 selection, options

    void formatComesFromContentNotExtension() {
        writeBytes(file("really-npy.csv"), npyBytes("<f4", "(2,)", packAs("<f4", {1, 2})));
        writeBytes(file("really-idx.npy"), idxBytes(0x08, {2}, "\x01\x02"));
        writeBytes(file("really-csv.h5"), "1,2\n3,4\n");
        {
            h5::File out = h5::File::create(file("really-h5.txt"));
            const std::vector<float> values{5, 6};
            out.writeFloats("/x", {2}, values);
        }
        QCOMPARE(detectDatasetFormat(file("really-npy.csv")), DatasetFormat::Npy);
        QCOMPARE(detectDatasetFormat(file("really-idx.npy")), DatasetFormat::Idx);
        QCOMPARE(detectDatasetFormat(file("really-csv.h5")), DatasetFormat::Csv);
        QCOMPARE(detectDatasetFormat(file("really-h5.txt")), DatasetFormat::Hdf5);
        QCOMPARE(loadDataset(file("really-npy.csv"))[1], 2.0f);
        QCOMPARE(loadDataset(file("really-idx.npy"))[1], 2.0f);
        QCOMPARE(loadDataset(file("really-csv.h5")).shape(), (Shape{2, 2}));
        QCOMPARE(loadDataset(file("really-h5.txt"))[0], 5.0f);

        writeBytes(file("empty.csv"), "");
        EXPECT_INPUT_ERROR(loadDataset(file("empty.csv")), "empty.csv: empty file");
        writeBytes(file("archive.npz"), std::string("PK\x03\x04", 4) + std::string(30, '\0'));
        EXPECT_INPUT_ERROR(loadDataset(file("archive.npz")), "archive.npz", "zip archive");
        writeGzip(file("text.gz"), "1,2,3\n");
        EXPECT_INPUT_ERROR(loadDataset(file("text.gz")), "text.gz", "not an IDX file");
        EXPECT_INPUT_ERROR(loadDataset(file("nothing.npy")), "nothing.npy: no such file");
    }

    void hdf5DatasetSelection() {
        const std::string path = file("inputs.h5");
        {
            h5::File out = h5::File::create(path);
            const std::vector<float> x{1, 2, 3, 4, 5, 6};
            out.writeFloats("/inputs/x", {2, 3}, x);
            const std::vector<int64_t> labels{2, 0};
            out.writeInts("/labels", {2}, labels);
            const std::vector<float> kernel{0.5f};
            out.writeFloats("/fc1/kernel:0", {1}, kernel);
            h5::File::create(file("single.h5")).writeFloats("/only", {1, 2}, std::span<const float>(x).first(2));
        }
        QCOMPARE(loadDataset(path + ":/inputs/x").shape(), (Shape{2, 3}));
        QCOMPARE(loadDataset(path + ":inputs/x")[5], 6.0f);
        QCOMPARE(loadDataset(path + ":/fc1/kernel:0")[0], 0.5f);  // colons inside the dataset path
        QCOMPARE(loadLabels(path + ":/labels"), (std::vector<int64_t>{2, 0}));
        QCOMPARE(loadDataset(file("single.h5")).shape(), (Shape{1, 2}));

        EXPECT_INPUT_ERROR(loadDataset(path), "inputs.h5 holds 3 datasets: /fc1/kernel:0, /inputs/x, /labels",
                           "choose one with");
        EXPECT_INPUT_ERROR(loadDataset(path + ":/nope"), "inputs.h5: no dataset '/nope'", "/inputs/x, /labels");
        EXPECT_INPUT_ERROR(loadDataset(path + ":/inputs"), "no dataset '/inputs'");
        EXPECT_INPUT_ERROR(loadDataset(file("missing.h5") + ":/x"), "missing.h5: no such file");
        writeBytes(file("foreign.h5"), "plain text pretending to be HDF5\n");
        EXPECT_INPUT_ERROR(loadDataset(file("foreign.h5") + ":/x"), "foreign.h5", "selects a dataset inside an HDF5 file",
                           "CSV");
        writeBytes(file("vector.npy"), npyBytes("<f4", "(1,)", packAs("<f4", {1})));
        EXPECT_INPUT_ERROR(loadDataset(file("vector.npy") + ":/x"), "vector.npy", "but this is a NPY file");

        const DatasetSpec spec = DatasetSpec::parse(file("missing.h5") + ":/a/b:0");
        QCOMPARE(spec.path, file("missing.h5"));
        QCOMPARE(spec.h5Dataset, std::string("/a/b:0"));
        QCOMPARE(DatasetSpec::parse(path).h5Dataset, std::string());
    }

    void limitAndNormalization() {
        const std::string path = file("samples.csv");
        writeBytes(path, "0,255\n10,30\n0,0\n-4,2\n");
        QCOMPARE(loadDataset(path, {.limit = 2}).shape(), (Shape{2, 2}));
        QCOMPARE(loadDataset(path, {.limit = 100}).shape(), (Shape{4, 2}));
        QCOMPARE(loadDataset(path, {.limit = 0}).shape(), (Shape{0, 2}));
        EXPECT_INPUT_ERROR(loadDataset(path, {.limit = -1}), "samples.csv", "negative");

        const auto values = [&](Normalization normalization) {
            const Tensor t = loadDataset(path, {.normalization = normalization});
            return std::vector<float>(t.values().begin(), t.values().end());
        };
        QCOMPARE(values(Normalization::None), (std::vector<float>{0, 255, 10, 30, 0, 0, -4, 2}));
        QCOMPARE(values(Normalization::Scale255), (std::vector<float>{0, 1, 10 / 255.0f, 30 / 255.0f, 0, 0, -4 / 255.0f, 2 / 255.0f}));
        QCOMPARE(values(Normalization::PerSampleSum), (std::vector<float>{0, 1, 0.25f, 0.75f, 0, 0, 2, -1}));
        QCOMPARE(values(Normalization::PerSampleMax), (std::vector<float>{0, 1, 1 / 3.0f, 1, 0, 0, -1, 0.5f}));
    }

    void nonFiniteValuesAreRejected() {
        writeBytes(file("nan.npy"), npyBytes("<f8", "(2, 3)", packAs("<f8", {1, 2, 3, 4, 5, std::nan("")})));
        EXPECT_INPUT_ERROR(loadDataset(file("nan.npy")), "nan.npy: value at index (1, 2) is NaN");
        QCOMPARE(loadDataset(file("nan.npy"), {.limit = 1}).shape(), (Shape{1, 3}));  // the NaN row is not kept
        writeBytes(file("inf.csv"), "1,2\n3,inf\n");
        EXPECT_INPUT_ERROR(loadDataset(file("inf.csv")), "inf.csv: value at index (1, 1) is infinite");
        writeBytes(file("huge.npy"), npyBytes(">f8", "(2,)", packAs(">f8", {1, 1e300})));
        EXPECT_INPUT_ERROR(loadDataset(file("huge.npy")), "huge.npy: value at index (1,)", "float32 range");
        writeBytes(file("scalar.npy"), npyBytes("<f8", "()", packAs("<f8", {1})));
        EXPECT_INPUT_ERROR(loadDataset(file("scalar.npy")), "scalar.npy", "expected samples along the first axis");
    }

    void labelsFromIndicesOrOneHot() {
        writeBytes(file("labels.npy"), npyBytes("<i8", "(3,)", packAs("<i8", {3, 0, 9})));
        QCOMPARE(loadLabels(file("labels.npy")), (std::vector<int64_t>{3, 0, 9}));
        QCOMPARE(loadLabels(file("labels.npy"), 2), (std::vector<int64_t>{3, 0}));
        writeBytes(file("column.csv"), "label\n4\n1\n");
        QCOMPARE(loadLabels(file("column.csv")), (std::vector<int64_t>{4, 1}));
        writeBytes(file("onehot.csv"), "0,0,1\n1,0,0\n0.1,0.7,0.2\n");
        QCOMPARE(loadLabels(file("onehot.csv")), (std::vector<int64_t>{2, 0, 1}));

        writeBytes(file("fraction.csv"), "1\n2.5\n");
        EXPECT_INPUT_ERROR(loadLabels(file("fraction.csv")), "fraction.csv: label 1 is 2.5", "integer class index");
        writeBytes(file("negative.csv"), "-1\n");
        EXPECT_INPUT_ERROR(loadLabels(file("negative.csv")), "negative.csv: label 0 is -1");
        writeBytes(file("cube.npy"), npyBytes("<f4", "(1, 1, 2)", packAs("<f4", {0, 1})));
        EXPECT_INPUT_ERROR(loadLabels(file("cube.npy")), "cube.npy", "found shape (1, 1, 2)");
    }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
