// The ECON-T 8x8 image <-> 48 trigger-cell maps: against the `arrange` table printed in the
// reference (section 1.1), round trips, batches and tensor shapes.
#include "core/common/error.h"
#include "core/metrics/econt_remap.h"

#include <QtTest>

#include <set>
#include <vector>

using namespace flipscope;

class TestEcontRemap : public QObject {
    Q_OBJECT
private slots:
    void pixelTableMatchesReferenceArrange() {
        // econt-and-metrics.md 1.1, rows 0-7 of the image; -1 = masked lower-right quadrant.
        const int arrange[64] = {
            28, 29, 30, 31, 0,  4,  8,  12,  //
            24, 25, 26, 27, 1,  5,  9,  13,  //
            20, 21, 22, 23, 2,  6,  10, 14,  //
            16, 17, 18, 19, 3,  7,  11, 15,  //
            47, 43, 39, 35, -1, -1, -1, -1,  //
            46, 42, 38, 34, -1, -1, -1, -1,  //
            45, 41, 37, 33, -1, -1, -1, -1,  //
            44, 40, 36, 32, -1, -1, -1, -1,
        };
        for (int p = 0; p < 64; ++p) QCOMPARE(econtPixelCells()[p], arrange[p]);
        // The inverse, spot-checked against the printed inverse map.
        QCOMPARE(econtCellPixels()[0], 4);
        QCOMPARE(econtCellPixels()[16], 24);
        QCOMPARE(econtCellPixels()[32], 59);
        QCOMPARE(econtCellPixels()[47], 32);
        std::set<int> pixels(econtCellPixels().begin(), econtCellPixels().end());
        QCOMPARE(pixels.size(), size_t(48));
        for (int p : pixels) QVERIFY2(!(p / 8 >= 4 && p % 8 >= 4), "a cell maps into the masked quadrant");
    }

    void roundTrips() {
        std::vector<double> cells(48);
        for (int c = 0; c < 48; ++c) cells[c] = 0.5 + c;  // exactly representable in float
        std::vector<float> image(64, -7.0f);
        cellsToImage(cells, image);
        for (int p = 0; p < 64; ++p)
            if (p / 8 >= 4 && p % 8 >= 4) QCOMPARE(image[p], 0.0f);
        QCOMPARE(image[0], 28.5f);  // pixel (0,0) shows CALQ 28
        QCOMPARE(image[4], 0.5f);   // pixel (0,4) shows CALQ 0
        std::vector<double> back(48, -1.0);
        imageToCells(image, back);
        QCOMPARE(back, cells);

        // image -> cells -> image keeps every unmasked pixel and clears the masked quadrant.
        std::vector<float> noisy(64);
        for (int p = 0; p < 64; ++p) noisy[p] = 0.25f * p + 1.0f;
        std::vector<double> fromImage(48);
        imageToCells(noisy, fromImage);
        std::vector<float> again(64);
        cellsToImage(fromImage, again);
        for (int p = 0; p < 64; ++p) QCOMPARE(again[p], econtPixelCells()[p] < 0 ? 0.0f : noisy[p]);
    }

    void batchesAndShapes() {
        const int count = 3;
        std::vector<double> cells(48 * count);
        for (size_t k = 0; k < cells.size(); ++k) cells[k] = static_cast<double>(k % 97) / 8.0;
        const Tensor images = cellsToImages(cells);
        QCOMPARE(images.shape(), (Shape{count, 8, 8, 1}));
        QCOMPARE(imagesToCells(images), cells);
        QCOMPARE(imagesToCells(images.data(), count), cells);
        Tensor flat = images;
        flat.reshape({count, 64});
        QCOMPARE(imagesToCells(flat), cells);
        Tensor square = images;
        square.reshape({count, 8, 8});
        QCOMPARE(imagesToCells(square), cells);

        QVERIFY_THROWS_EXCEPTION(InputError, imagesToCells(Tensor({2, 48})));
        QVERIFY_THROWS_EXCEPTION(InputError, imagesToCells(Tensor({2, 8, 8, 3})));
        QVERIFY_THROWS_EXCEPTION(InputError, cellsToImages(std::vector<double>(47)));
        std::vector<float> shortImage(63);
        std::vector<double> out(48);
        QVERIFY_THROWS_EXCEPTION(InputError, imageToCells(shortImage, out));
    }
};

QTEST_APPLESS_MAIN(TestEcontRemap)
#include "tst_econt_remap.moc"
