// flipscope-cli synth-hgcal and train end to end: a tiny recipe (the Small ECON-T architecture,
// 2 epochs on 600 synthetic modules) trains, writes a loadable model, reports progress on stderr
// and a test score on stdout; the same seed gives the same model.
#include "common/cli_process.h"
#include "core/io/dataset.h"
#include "core/io/keras_h5_loader.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdlib>
#include <fstream>

using namespace flipscope;

class TestCliTrain : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!std::getenv("FLIPSCOPE_CLI")) QSKIP("FLIPSCOPE_CLI is not set (ctest sets it)");
    }

    void synthesizeAndTrain() {
        QTemporaryDir dir;
        const QString data = dir.filePath("heldout.h5");
        const test::CliRun synth = test::runCli({"synth-hgcal", "--samples", "200", "--seed", "3", "--out", data});
        QVERIFY2(synth.code == 0, qPrintable(synth.err));
        QCOMPARE(loadDataset(data.toStdString() + ":/images").shape(), (Shape{200, 8, 8, 1}));
        QCOMPARE(loadDataset(data.toStdString() + ":/cells").shape(), (Shape{200, 48}));

        std::ofstream(dir.filePath("recipe.json").toStdString()) << R"({
            "architecture": "econt-small", "loss": "telescope",
            "train": {"synth_hgcal": {"samples": 600, "seed": 1}},
            "test": {"inputs": "heldout.h5:/images"},
            "epochs": 2, "batch_size": 64, "learning_rate": 0.005, "seed": 4, "validation_split": 0.25})";
        Tensor outputs[2];
        for (int i = 0; i < 2; ++i) {
            const QString model = dir.filePath(QString("model%1.h5").arg(i));
            const test::CliRun run = test::runCli({"train", "--recipe", dir.filePath("recipe.json"), "--out", model, "--threads", i ? "1" : "2"});
            QVERIFY2(run.code == 0, qPrintable(run.err));
            QVERIFY2(run.err.contains("epoch 2/2") && run.err.contains("val_loss"), qPrintable(run.err));
            QVERIFY2(run.out.contains("kernel signature [(1280, 8)]") && run.out.contains("mean EMD"), qPrintable(run.out));
            const LoadedModel loaded = loadKerasModel(model.toStdString());
            outputs[i] = loaded.model->predict(loadDataset(data.toStdString() + ":/images"));
        }
        QVERIFY(std::equal(outputs[0].values().begin(), outputs[0].values().end(), outputs[1].values().begin()));
    }

    void badRecipesAreNamed() {
        QTemporaryDir dir;
        std::ofstream(dir.filePath("bad.json").toStdString()) << R"({"architecture": "econt-small", "epoch": 3,
            "train": {"synth_hgcal": {"samples": 10}}})";
        const test::CliRun run = test::runCli({"train", "--recipe", dir.filePath("bad.json"), "--out", dir.filePath("m.h5")});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("bad.json") && run.err.contains("'epoch'"), qPrintable(run.err));
    }
};

QTEST_APPLESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
