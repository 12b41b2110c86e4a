// The explorer window on a real model: opening fills the tree and the grid (rows = parameters,
// columns = bits, per tensor); clicking a bit selects it; flipping changes exactly that weight and
// the metric computed in the background; reset restores; a foreign file is reported without
// blocking and leaves the open model alone.
#include "common/model_weights.h"
#include "common/test_paths.h"
#include "ui/bitgrid/bit_grid_widget.h"
#include "ui/main_window.h"
#include "ui/panels/grid_panel.h"
#include "ui/panels/inspector_panel.h"
#include "ui/panels/model_tree.h"
#include "ui/panels/sample_view.h"
#include "ui/session/workbench.h"

#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace flipscope;
using namespace flipscope::ui;

namespace {

using test::allWeights;

QString shared(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir settingsDir_;
    std::unique_ptr<MainWindow> window_;

    bool waitForEvaluation() {
        Workbench* wb = window_->workbench();
        QSignalSpy done(wb, &Workbench::evaluationFinished);
        return QTest::qWaitFor([&] { return !wb->evaluating() && wb->comparison(); }, 30000);
    }

private slots:
    void initTestCase() {
        // Never touch the user's settings.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
        QCoreApplication::setOrganizationName("FlipscopeTests");
    }

    void init() {
        window_ = std::make_unique<MainWindow>();
        window_->setInteractiveErrors(false);
        window_->resize(1400, 900);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    }

    void cleanup() { window_.reset(); }

    void openingFillsTreeAndGrid() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        QVERIFY(window_->openModel(shared(model)));
        QVERIFY(window_->windowTitle().contains("medium.hdf5"));
        QVERIFY(window_->statusSummary()->text().contains("12,864") || window_->statusSummary()->text().contains("12864"));

        ModelTree* tree = window_->modelTree();
        QCOMPARE(tree->topLevelItemCount(), 3);  // input_1, encoder, decoder
        QTreeWidgetItem* conv = tree->itemFor("encoder/conv2d_0_m");
        QVERIFY(conv);
        QCOMPARE(conv->parent()->text(ModelTree::Name), QString("encoder"));
        QCOMPARE(conv->text(ModelTree::Class), QString("FQConv2D"));
        QCOMPARE(conv->text(ModelTree::Params), QString("80"));
        QCOMPARE(conv->text(ModelTree::Bits), QString("480"));
        QTreeWidgetItem* kernel = tree->itemFor("encoder/encoded_vector", "kernel");
        QVERIFY(kernel);
        QCOMPARE(kernel->text(ModelTree::Shape), QString("(128, 16)"));
        QVERIFY(kernel->text(ModelTree::Quantizer).startsWith("quantized_bits(6,1"));

        const BitGridLayout& L = window_->gridPanel()->grid()->gridLayout();
        QCOMPARE(L.tensorCount(), 4);
        const int64_t params[] = {72, 8, 2048, 16};
        for (int t = 0; t < 4; ++t) {
            QCOMPARE(L.tensors()[t].params, params[t]);
            QCOMPARE(L.tensors()[t].bits, 6);
            QVERIFY(L.bitAt(L.cellsLeft() + 0.5, L.rowsBottom(t) - 0.5).has_value());
            QVERIFY(!L.bitAt(L.cellsLeft() + 6 * L.metrics().cellWidth + 0.5, L.rowsTop(t) + 0.5));  // no 7th column
        }
    }

    void choosingALayerScrollsTheGrid() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        QVERIFY(window_->openModel(shared(model)));
        BitGridWidget* grid = window_->gridPanel()->grid();
        QCOMPARE(grid->verticalScrollBar()->value(), 0);
        window_->modelTree()->setCurrentItem(window_->modelTree()->itemFor("encoder/encoded_vector"));
        const double top = grid->gridLayout().headerRect(2).top();
        QVERIFY(std::abs(grid->verticalScrollBar()->value() - top) <= grid->gridLayout().metrics().margin + 1);
    }

    void clickSelectsAndFlipChangesOnlyThatWeight() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        FLIPSCOPE_REQUIRE_SHARED(data, "models/econt-study/golden-pynq/hgcal_test_input.npy");
        QVERIFY(window_->openModel(shared(model)));
        QVERIFY(window_->openDataset(shared(data)));
        QVERIFY(waitForEvaluation());
        Workbench* wb = window_->workbench();
        const double before = wb->comparison()->before.value;
        QCOMPARE(wb->comparison()->after.value, before);
        QCOMPARE(window_->inspector()->sampleView()->mode(), SampleView::Mode::EcontMaps);

        // Click the sign bit of conv kernel weight 4 (tensor 0, column 0).
        BitGridWidget* grid = window_->gridPanel()->grid();
        const BitRef ref{0, 4, 5};
        grid->ensureVisible(ref);
        QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->cellRect(ref).center());
        QVERIFY(window_->inspector()->selectedBit() == ref);
        QVERIFY(window_->inspector()->bitDetailsText().contains("encoder/conv2d_0_m"));

        const std::vector<float> pristine = allWeights(*wb->model());
        const BitState state = wb->bits()->state(ref);
        window_->inspector()->flipButton()->click();
        QVERIFY(wb->isFlipped(ref));
        QVERIFY(grid->flipped().count(ref));
        QCOMPARE(wb->bits()->weight(0, 4), state.flippedValue);
        const std::vector<float> flipped = allWeights(*wb->model());
        int changed = 0;
        for (size_t i = 0; i < pristine.size(); ++i) changed += pristine[i] != flipped[i];
        QCOMPARE(changed, 1);
        QVERIFY(allWeights(*wb->pristineModel()) == pristine);  // the pristine copy is untouched
        QVERIFY(window_->windowTitle().contains("1 flipped"));

        QVERIFY(waitForEvaluation());
        QCOMPARE(wb->comparison()->before.value, before);
        QVERIFY(wb->comparison()->after.value != before);
        QVERIFY(window_->inspector()->metricLabel()->text().contains(formatValue(wb->comparison()->after.value)));

        // Double-clicking the bit flips it back.
        QTest::mouseDClick(grid->viewport(), Qt::LeftButton, {}, grid->cellRect(ref).center());
        QVERIFY(!wb->isFlipped(ref));
        QVERIFY(allWeights(*wb->model()) == pristine);
    }

    void resetRestoresTheModel() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        QVERIFY(window_->openModel(shared(model)));
        Workbench* wb = window_->workbench();
        const std::vector<float> pristine = allWeights(*wb->model());
        QVERIFY(window_->flipBit({2, 100, 5}));
        QVERIFY(window_->flipBit({2, 101, 0}));
        QVERIFY(window_->flipBit({3, 15, 3}));
        QCOMPARE(wb->flips().size(), size_t(3));
        QVERIFY(allWeights(*wb->model()) != pristine);
        QVERIFY(window_->inspector()->resetButton()->isEnabled());
        window_->inspector()->resetButton()->click();
        QVERIFY(wb->flips().empty());
        QVERIFY(window_->gridPanel()->grid()->flipped().empty());
        QVERIFY(allWeights(*wb->model()) == pristine);
        QVERIFY(!window_->flipBit({2, 2048, 0}));  // outside the tensor: refused
    }

    void foreignFileIsReportedAndChangesNothing() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/econt-study/medium.hdf5");
        QVERIFY(window_->openModel(shared(model)));
        const Model* open = window_->workbench()->model();
        const QString title = window_->windowTitle();
        QTemporaryDir dir;
        const QString text = dir.filePath("notes.h5");
        {
            QFile f(text);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("These are my notes, not a model.\n");
        }
        QSignalSpy errors(window_.get(), &MainWindow::errorReported);
        QVERIFY(!window_->openModel(text));
        QCOMPARE(errors.count(), 1);
        QVERIFY(window_->lastError().contains("notes.h5"));
        QCOMPARE(window_->workbench()->model(), open);
        QCOMPARE(window_->windowTitle(), title);
        QCOMPARE(window_->gridPanel()->grid()->gridLayout().tensorCount(), 4);
        // A dataset that does not fit the model is refused the same way.
        QVERIFY(!window_->openDataset(text));
        QCOMPARE(errors.count(), 2);
        QVERIFY(!window_->workbench()->hasDataset());
    }

    void classifierShowsImageAndBars() {
        FLIPSCOPE_REQUIRE_SHARED(model, "models/hls4ml-examples/qkeras_mnist_cnn_weights.h5");
        QVERIFY(window_->openModel(shared(model)));
        QCOMPARE(window_->gridPanel()->grid()->gridLayout().tensorCount(), 6);
        // 3 made-up 28x28 images: the metric is the mean change of the outputs (no labels).
        QTemporaryDir dir;
        const QString csv = dir.filePath("three.csv");
        {
            QFile f(csv);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int s = 0; s < 3; ++s) {
                QStringList row;
                for (int i = 0; i < 784; ++i) row << QString::number(((i / 28 + s * 5) % 11 == 0) ? 1.0 : 0.0);
                f.write(row.join(',').toUtf8() + "\n");
            }
        }
        QVERIFY(window_->openDataset(csv));
        QVERIFY(waitForEvaluation());
        QCOMPARE(window_->workbench()->metric(), OutcomeMetric::MeanAbsChange);
        QCOMPARE(window_->inspector()->sampleView()->mode(), SampleView::Mode::Bars);
        QCOMPARE(window_->workbench()->comparison()->after.value, 0.0);
        QVERIFY(window_->flipBit({5, 3, 5}));  // the dense kernel's sign bit
        QVERIFY(waitForEvaluation());
        QVERIFY(window_->workbench()->comparison()->after.value > 0.0);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
