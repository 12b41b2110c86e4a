// flipscope-cli end to end: the real binary (env FLIPSCOPE_CLI) run through QProcess on the shared
// model files. Help texts, `info --json`, `quantize` rows computed by hand, `predict` to NPY and
// CSV against the golden TF/QKeras outputs, stopping at a nested layer, and bad inputs, which must
// end with a non-zero exit code (never a crash) and one stderr line naming what is wrong.
#include "common/test_paths.h"
#include "core/io/npy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace flipscope;

namespace {

struct CliRun {
    int exitCode = -1;
    bool crashed = false;
    QString out;
    QString err;
    QStringList errLines() const { return err.trimmed().split('\n', Qt::SkipEmptyParts); }
};

QString cliPath() {
    const char* path = std::getenv("FLIPSCOPE_CLI");
    return path ? QString::fromLocal8Bit(path) : QString();
}

CliRun runCli(const QStringList& arguments) {
    QProcess process;
    process.start(cliPath(), arguments);
    CliRun run;
    if (!process.waitForStarted(30000)) {
        run.err = "could not start " + cliPath();
        return run;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(300000)) {
        process.kill();
        process.waitForFinished();
        run.err = "timed out";
        run.crashed = true;
        return run;
    }
    run.crashed = process.exitStatus() != QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QString shared(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

QString describe(const CliRun& run) {
    return QString("exit %1%2\nstdout: %3\nstderr: %4")
        .arg(run.exitCode)
        .arg(run.crashed ? " (crashed)" : "")
        .arg(run.out.left(2000), run.err.left(2000));
}

// A failed run: normal exit (no signal), non-zero code, exactly one stderr line containing `parts`.
#define EXPECT_CLEAN_FAILURE(run, ...)                                                                  \
    do {                                                                                                \
        const CliRun& r_ = (run);                                                                       \
        QVERIFY2(!r_.crashed, qPrintable(describe(r_)));                                                \
        QVERIFY2(r_.exitCode != 0 && r_.exitCode < 128, qPrintable(describe(r_)));                      \
        QVERIFY2(r_.errLines().size() == 1, qPrintable("expected one stderr line\n" + describe(r_)));   \
        for (const QString& part_ : QStringList{__VA_ARGS__})                                           \
            QVERIFY2(r_.err.contains(part_), qPrintable("stderr lacks '" + part_ + "'\n" + describe(r_))); \
    } while (0)

#define EXPECT_SUCCESS(run) QVERIFY2(!(run).crashed && (run).exitCode == 0, qPrintable(describe(run)))

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (cliPath().isEmpty() || !QFileInfo(cliPath()).isExecutable()) {
            if (flipscope::test::runningInCi()) QFAIL("FLIPSCOPE_CLI does not name the flipscope-cli binary");
            QSKIP("FLIPSCOPE_CLI is not set (ctest sets it to the built flipscope-cli)");
        }
    }

    // ---------------------------------------------------------------- help
    void helpOfToolAndEverySubcommand() {
        const CliRun help = runCli({"--help"});
        EXPECT_SUCCESS(help);
        QVERIFY(help.out.startsWith("Usage: flipscope-cli"));
        // Every command the tool lists has a --help of its own.
        QStringList commands;
        bool inList = false;
        for (const QString& line : help.out.split('\n')) {
            if (line.startsWith("Commands:")) { inList = true; continue; }
            if (inList && line.startsWith("  ")) commands << line.trimmed().section(' ', 0, 0);
        }
        for (const char* expected : {"info", "quantize", "predict"}) QVERIFY(commands.contains(expected));
        for (const QString& command : commands) {
            const CliRun sub = runCli({command, "--help"});
            EXPECT_SUCCESS(sub);
            QVERIFY2(sub.out.startsWith("Usage: flipscope-cli " + command), qPrintable(sub.out));
        }
        QCOMPARE(runCli({"-h"}).exitCode, 0);
    }

    void noArgumentsOrUnknownCommand() {
        const CliRun none = runCli({});
        QVERIFY(!none.crashed);
        QCOMPARE(none.exitCode, 2);
        QVERIFY(none.out.contains("Commands:"));
        EXPECT_CLEAN_FAILURE(runCli({"frobnicate"}), "frobnicate");
    }

    // ---------------------------------------------------------------- info
    void infoJsonOnMedium() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        const CliRun run = runCli({"info", shared(model), "--json"});
        EXPECT_SUCCESS(run);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(run.out.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject root = doc.object();
        QCOMPARE(root["input_shape"].toArray(), (QJsonArray{8, 8, 1}));
        // Encoder kernels 3*3*1*8 = 72 and 128*16 = 2048, biases 8 and 16, all quantized_bits(6,1):
        // 2144 quantized parameters, 2144 * 6 = 12864 bits. Float decoder: Dense 16*128 + 128,
        // Conv2DTranspose 3*3*8*8 + 8 and 3*3*1*8 + 1 -> 2176 + 584 + 73 = 2833.
        QCOMPARE(root["total_params"].toInteger(), qint64(2144));
        QCOMPARE(root["total_bits"].toInteger(), qint64(12864));
        QCOMPARE(root["float_params"].toInteger(), qint64(2833));
        QCOMPARE(root["kernel_signature"].toString(), QString("[(2120, 6)]"));
        const QJsonArray layers = root["layers"].toArray();
        QCOMPARE(layers.size(), 16);  // 3 outer + 7 encoder + 6 decoder
        qint64 params = 0, bits = 0;
        bool sawConvKernel = false;
        for (const QJsonValue& value : layers) {
            const QJsonObject layer = value.toObject();
            QVERIFY(layer.contains("name") && layer.contains("class") && layer.contains("output_shape"));
            QVERIFY(layer["tensors"].isArray());
            for (const QJsonValue& t : layer["tensors"].toArray()) {
                const QJsonObject tensor = t.toObject();
                for (const char* key : {"tensor", "shape", "quantizer", "params", "bits", "flippable"})
                    QVERIFY2(tensor.contains(key), key);
                params += tensor["params"].toInteger();
                bits += tensor["params"].toInteger() * tensor["bits"].toInteger();
                if (layer["name"].toString() == "encoder/conv2d_0_m" && tensor["tensor"].toString() == "kernel") {
                    sawConvKernel = true;
                    QCOMPARE(tensor["shape"].toArray(), (QJsonArray{3, 3, 1, 8}));
                    QCOMPARE(tensor["params"].toInteger(), qint64(72));
                    QCOMPARE(tensor["bits"].toInteger(), qint64(6));
                    QVERIFY(tensor["flippable"].toBool());
                    QCOMPARE(tensor["quantizer"].toString(), QString("quantized_bits(6,1,0,alpha=1)"));
                }
            }
        }
        QVERIFY(sawConvKernel);
        QCOMPARE(params, root["total_params"].toInteger());
        QCOMPARE(bits, root["total_bits"].toInteger());
    }

    void infoText() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/large.hdf5");
        const CliRun run = runCli({"info", shared(model)});
        EXPECT_SUCCESS(run);
        QVERIFY2(run.out.contains("Kernel bit signature: [(800, 5), (8192, 7)]"), qPrintable(run.out));
        QVERIFY(run.out.contains("large.json"));  // says where the architecture came from
    }

    // ---------------------------------------------------------------- quantize
    void quantizeKnownRows() {
        // quantized_bits(6,0,alpha=1): m = 2^5 = 32, step 1/32, codes -32..31.
        //  0.3f  -> 9.6 -> 10 -> 0.3125,  code 10  = 001010
        // -0.3f  -> -9.6 -> -10 -> -0.3125, code -10 = 64-10 = 54 = 110110
        //  0.9921875 -> 31.75 -> 32 -> clipped 31 -> 0.96875, 011111
        //  1.5   -> 48 -> 31 -> 0.96875, 011111
        // Inputs are printed as the float32 value with 9 significant digits.
        const CliRun run = runCli({"quantize", "--quantizer", "quantized_bits(6,0,alpha=1)", "--values",
                                   "0.3,-0.3,0.9921875,1.5"});
        EXPECT_SUCCESS(run);
        QCOMPARE(run.out.trimmed().split('\n'), (QStringList{"input,output,code,bits", "0.300000012,0.3125,10,001010",
                                                             "-0.300000012,-0.3125,-10,110110",
                                                             "0.9921875,0.96875,31,011111", "1.5,0.96875,31,011111"}));
    }

    void quantizeWithoutFixedPointCodes() {
        // quantized_po2(4,1): 0.3 -> 0.25, -0.36 -> -0.5 (reference 2.2); no code, no bits.
        const CliRun run = runCli({"quantize", "--quantizer", "quantized_po2(4,1)", "--values", "0.3,-0.36"});
        EXPECT_SUCCESS(run);
        QCOMPARE(run.out.trimmed().split('\n'),
                 (QStringList{"input,output,code,bits", "0.300000012,0.25,,", "-0.360000014,-0.5,,"}));
    }

    void quantizeBadInputs() {
        EXPECT_CLEAN_FAILURE(runCli({"quantize", "--quantizer", "quantized_tanh(4)", "--values", "1"}), "quantized_tanh");
        EXPECT_CLEAN_FAILURE(runCli({"quantize", "--quantizer", "quantized_bits(4,0)", "--values", "1,abc"}), "abc");
        EXPECT_CLEAN_FAILURE(runCli({"quantize", "--values", "1"}), "--quantizer");
    }

    // ---------------------------------------------------------------- predict
    void predictGoldenToNpyAndCsv() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/golden-pynq/encoder_keras_model.h5");
        FLIPSCOPE_REQUIRE_SHARED(input, "models/econt-study/golden-pynq/hgcal_test_input.npy");
        FLIPSCOPE_REQUIRE_SHARED(output, "models/econt-study/golden-pynq/hgcal_test_output.npy");
        const Tensor expected = readNpy(output.string());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        const QString npy = dir.path() + "/out.npy";
        EXPECT_SUCCESS(runCli({"predict", shared(model), "--data", shared(input), "--out", npy}));
        const Tensor got = readNpy(npy.toStdString());
        QCOMPARE(got.shape(), Shape({10, 16}));
        for (int64_t i = 0; i < got.size(); ++i)
            QVERIFY2(got[i] == expected[i], qPrintable(QString("value %1: %2 vs %3").arg(i).arg(got[i], 0, 'g', 9)
                                                           .arg(expected[i], 0, 'g', 9)));

        const QString csv = dir.path() + "/out.csv";
        EXPECT_SUCCESS(runCli({"predict", shared(model), "--data", shared(input), "--out", csv, "--threads", "2"}));
        std::ifstream in(csv.toStdString());
        std::string line;
        int row = 0;
        while (std::getline(in, line)) {
            const QStringList cells = QString::fromStdString(line).split(',');
            QCOMPARE(cells.size(), 16);
            for (int c = 0; c < 16; ++c) {
                bool ok = false;
                const float v = cells[c].toFloat(&ok);  // %.9g round-trips float32 exactly
                QVERIFY(ok);
                QCOMPARE(v, expected[row * 16 + c]);
            }
            ++row;
        }
        QCOMPARE(row, 10);
    }

    void predictStopsAtNestedLayer() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        FLIPSCOPE_REQUIRE_SHARED(input, "models/econt-study/golden-pynq/hgcal_test_input.npy");
        QTemporaryDir dir;
        const QString out = dir.path() + "/latent.npy";
        EXPECT_SUCCESS(runCli({"predict", shared(model), "--data", shared(input), "--layer", "encoder/encoded_vector",
                               "--out", out}));
        QCOMPARE(readNpy(out.toStdString()).shape(), Shape({10, 16}));
        EXPECT_SUCCESS(runCli({"predict", shared(model), "--data", shared(input), "--limit", "4", "--out", out}));
        QCOMPARE(readNpy(out.toStdString()).shape(), Shape({4, 8, 8, 1}));
        EXPECT_CLEAN_FAILURE(runCli({"predict", shared(model), "--data", shared(input), "--layer", "nope", "--out", out}),
                             "'nope'");
    }

    // ---------------------------------------------------------------- bad inputs
    void missingModelFile() {
        EXPECT_CLEAN_FAILURE(runCli({"info", "/nonexistent/dir/absent_model.h5"}), "absent_model.h5");
    }

    void foreignModelFile() {
        QTemporaryDir dir;
        const QString path = dir.path() + "/foreign.h5";
        std::ofstream(path.toStdString()) << "name,value\na,1\n";
        EXPECT_CLEAN_FAILURE(runCli({"info", path}), "foreign.h5");
        EXPECT_CLEAN_FAILURE(runCli({"predict", path, "--data", path, "--out", dir.path() + "/x.npy"}), "foreign.h5");
    }

    void unknownOption() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        const CliRun run = runCli({"info", shared(model), "--bogus"});
        EXPECT_CLEAN_FAILURE(run, "--bogus");
        QCOMPARE(run.exitCode, 2);  // usage errors
    }

    void missingDataOption() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        QTemporaryDir dir;
        EXPECT_CLEAN_FAILURE(runCli({"predict", shared(model), "--out", dir.path() + "/x.npy"}), "--data");
        EXPECT_CLEAN_FAILURE(runCli({"predict", shared(model), "--data", "/nonexistent/samples.npy", "--out",
                                     dir.path() + "/x.npy"}),
                             "samples.npy");
    }

    void wrongInputShape() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        QTemporaryDir dir;
        const std::string data = (dir.path() + "/five.npy").toStdString();
        const std::vector<float> values(15, 0.5f);
        writeNpyFloat32(data, {3, 5}, values.data());
        EXPECT_CLEAN_FAILURE(runCli({"predict", shared(model), "--data", QString::fromStdString(data), "--out",
                                     dir.path() + "/x.npy"}),
                             "five.npy", "(5,)", "(8, 8, 1)");
        QVERIFY(!QFile::exists(dir.path() + "/x.npy"));
    }
};

QTEST_APPLESS_MAIN(TestCli)
#include "tst_cli.moc"
