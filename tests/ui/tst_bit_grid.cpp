// The bit grid widget on a synthetic bit space: rows = parameters and columns = bits per tensor,
// hit testing both ways, hover and click select the bit under the mouse, double-click activates,
// colours follow the colouring, zooming keeps the bit under the cursor in place.
#include "ui/bitgrid/bit_grid_widget.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QtTest>

using namespace flipscope;
using namespace flipscope::ui;

Q_DECLARE_METATYPE(flipscope::BitRef)

namespace {

FlippableTensor tensor(const std::string& layer, const std::string& name, Shape shape, int bits) {
    FlippableTensor t;
    t.layerPath = layer;
    t.tensor = name;
    t.shape = shape;
    t.params = shapeSize(shape);
    t.bits = bits;
    t.quantizer = "quantized_bits(" + std::to_string(bits) + ",0,alpha=1)";
    return t;
}

// value = bit number + 10 * index: every bit has its own value.
class IndexColouring : public BitColouring {
public:
    std::string name() const override { return "index"; }
    std::string description() const override { return "test values"; }
    BitValueRange range() const override { return {0.0, 1000.0}; }
    double value(const BitRef& b) const override { return b.bit + 10.0 * b.index; }
};

}  // namespace

class TestBitGrid : public QObject {
    Q_OBJECT

    std::unique_ptr<BitGridWidget> grid_;
    IndexColouring colouring_;

private slots:
    void init() {
        grid_ = std::make_unique<BitGridWidget>();
        grid_->resize(700, 500);
        grid_->setTensors({tensor("enc/conv", "kernel", {3, 3, 1, 8}, 6), tensor("enc/conv", "bias", {8}, 6),
                           tensor("dense", "kernel", {64, 16}, 8)});
        grid_->setColouring(&colouring_);
        grid_->show();
        QVERIFY(QTest::qWaitForWindowExposed(grid_.get()));
    }

    void rowsAreParametersAndColumnsAreBits() {
        const BitGridLayout& L = grid_->gridLayout();
        QCOMPARE(L.tensorCount(), 3);
        const int64_t rows[] = {72, 8, 1024};
        const int cols[] = {6, 6, 8};
        for (int t = 0; t < 3; ++t) {
            QCOMPARE(L.tensors()[t].params, rows[t]);
            QCOMPARE(L.tensors()[t].bits, cols[t]);
            QCOMPARE(L.rowsBottom(t) - L.rowsTop(t), rows[t] * grid_->cellHeight());
            // Column 0 is the MSB, the last column the LSB.
            QCOMPARE(L.cellRect({t, 0, cols[t] - 1}).left(), L.cellsLeft());
            QCOMPARE(L.cellRect({t, 0, 0}).left(), L.cellsLeft() + (cols[t] - 1) * grid_->cellWidth());
        }
        QVERIFY(L.headerRect(1).top() > L.rowsBottom(0));  // stacked, each with its header
    }

    void hitTestingFindsEveryVisibleBit() {
        for (int64_t index : {0, 5, 20})
            for (int bit = 0; bit < 6; ++bit) {
                const BitRef ref{0, index, bit};
                const QRect cell = grid_->cellRect(ref);
                QVERIFY(grid_->bitAt(cell.center()) == ref);
            }
        // Headers and the gutter hold no bit.
        QVERIFY(!grid_->bitAt(QPoint(5, 5)));
        const QRect first = grid_->cellRect({0, 0, 5});
        QVERIFY(!grid_->bitAt(QPoint(first.left() - 10, first.center().y())));
    }

    void hoverAndClickSelectTheBitUnderTheMouse() {
        QSignalSpy selected(grid_.get(), &BitGridWidget::bitSelected);
        QSignalSpy activated(grid_.get(), &BitGridWidget::bitActivated);
        const BitRef ref{0, 3, 2};
        const QPoint p = grid_->cellRect(ref).center();
        QTest::mouseMove(grid_->viewport(), p);
        QTRY_VERIFY(grid_->hoveredBit() == ref);
        QVERIFY(grid_->toolTipFor(ref).contains("enc/conv"));
        QVERIFY(grid_->toolTipFor(ref).contains("[0, 0, 0, 3]"));  // kernel (3,3,1,8): flat 3
        QTest::mouseClick(grid_->viewport(), Qt::LeftButton, {}, p);
        QCOMPARE(selected.count(), 1);
        QVERIFY(selected.at(0).at(0).value<BitRef>() == ref);
        QVERIFY(grid_->selectedBit() == ref);
        QTest::mouseDClick(grid_->viewport(), Qt::LeftButton, {}, p);
        QCOMPARE(activated.count(), 1);
        QVERIFY(activated.at(0).at(0).value<BitRef>() == ref);
    }

    void scrolledBitsAreHitToo() {
        const BitRef far{2, 900, 7};
        grid_->selectBit(far);  // scrolls it into view
        QVERIFY(grid_->verticalScrollBar()->value() > 0);
        QVERIFY(grid_->viewport()->rect().contains(grid_->cellRect(far)));
        QVERIFY(grid_->bitAt(grid_->cellRect(far).center()) == far);
    }

    void keysMoveTheSelection() {
        grid_->selectBit({1, 7, 5});
        QTest::keyClick(grid_.get(), Qt::Key_Down);  // past the last bias row: into the next tensor
        QVERIFY(grid_->selectedBit() == (BitRef{2, 0, 7}));
        QTest::keyClick(grid_.get(), Qt::Key_Right);
        QVERIFY(grid_->selectedBit() == (BitRef{2, 0, 6}));
    }

    void coloursFollowTheColouring() {
        grid_->setCellHeight(20);
        const BitRef ref{0, 40, 1};
        grid_->selectBit({1, 0, 0});  // keep the selection frame away from `ref`
        grid_->ensureVisible(ref);
        const QImage shot = grid_->viewport()->grab().toImage();
        const QRect cell = grid_->cellRect(ref);
        const QRgb expected = grid_->colourScale().rgb(colouring_.value(ref));
        QCOMPARE(shot.pixel(cell.left() + 3, cell.top() + 3) & 0xffffff, expected & 0xffffff);
    }

    void zoomKeepsTheBitUnderTheCursor() {
        const BitRef ref{2, 300, 4};
        grid_->ensureVisible(ref);
        const QPointF anchor = grid_->cellRect(ref).center();
        grid_->setCellHeight(grid_->cellHeight() * 2, anchor);
        QVERIFY(grid_->bitAt(anchor.toPoint()) == ref);
        grid_->setCellHeight(grid_->cellHeight() / 4, anchor);
        QVERIFY(grid_->bitAt(anchor.toPoint()) == ref);
        grid_->zoomToFit();
        const auto& L = grid_->gridLayout();
        QVERIFY(L.contentHeight() <= grid_->viewport()->height() + 1);
    }
};

QTEST_MAIN(TestBitGrid)
#include "tst_bit_grid.moc"
