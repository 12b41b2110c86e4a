// bench_bitgrid: how long one repaint of the visible bit grid takes with 100,000 parameters x 8
// bits, while panning and zooming. Builds the widget offscreen and times N renders of the
// visible area into a QImage. Target: well under 16 ms per repaint (60 frames per second).
//   bench_bitgrid [N]        (default N = 200)
#include "ui/bitgrid/bit_grid_widget.h"

#include <QApplication>
#include <QImage>
#include <QScrollBar>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace flipscope;

namespace {

// A synthetic colouring: a smooth pattern with signed values, like a sensitivity ranking.
class PatternColouring : public BitColouring {
public:
    std::string name() const override { return "pattern"; }
    std::string description() const override { return "synthetic values"; }
    bool isSigned() const override { return true; }
    BitValueRange range() const override { return {-1.0, 1.0}; }
    double value(const BitRef& b) const override { return std::sin(b.index * 0.01 + b.bit) * (b.bit + 1) / 8.0; }
};

double timeRepaints(ui::BitGridWidget& grid, int n, const std::function<void(int)>& step) {
    QImage image(grid.size(), QImage::Format_ARGB32_Premultiplied);
    grid.render(&image);  // warm-up
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
        step(i);
        grid.render(&image);
    }
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / n;
}

}  // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;

    FlippableTensor t;
    t.layerPath = "dense_big";
    t.tensor = "kernel";
    t.shape = {1000, 100};
    t.quantizer = "quantized_bits(8,0,alpha=1)";
    t.bits = 8;
    t.params = 100000;
    PatternColouring colouring;

    ui::BitGridWidget grid;
    grid.resize(900, 700);
    const auto build = std::chrono::steady_clock::now();
    grid.setTensors({t});
    grid.setColouring(&colouring);
    const double buildMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - build).count();
    // Digits and values in the cells, as with a real model.
    grid.setDescriber([](const BitRef& r) -> std::optional<BitState> {
        BitState s;
        s.value = static_cast<float>((r.index % 64) - 32) / 32.0f;
        s.word = "01101001";
        s.bits = 8;
        return s;
    });
    grid.setWeightReader([](int, int64_t i) -> std::optional<float> { return static_cast<float>((i % 64) - 32) / 32.0f; }, 1.0);
    grid.selectBit({0, 500, 3});
    std::set<BitRef> flips;
    for (int64_t i = 0; i < 100000; i += 997) flips.insert({0, i, static_cast<int>(i % 8)});
    grid.setFlipped(flips);
    grid.show();
    app.processEvents();

    std::printf("bit grid: 1 tensor, 100000 parameters x 8 bits = 800000 bits, viewport %dx%d, %d repaints each\n",
                grid.viewport()->width(), grid.viewport()->height(), n);
    std::printf("  colour cache build (setColouring):        %8.2f ms\n", buildMs);
    auto* v = grid.verticalScrollBar();
    grid.zoomToCells();
    std::printf("  pan, cells at %4.1f px (digits, values):  %8.3f ms/repaint\n", grid.cellHeight(),
                timeRepaints(grid, n, [&](int i) { v->setValue((i * 37) % std::max(1, v->maximum())); }));
    grid.setCellHeight(4.0);
    std::printf("  pan, cells at %4.1f px (value bars):      %8.3f ms/repaint\n", grid.cellHeight(),
                timeRepaints(grid, n, [&](int i) { v->setValue((i * 1013) % std::max(1, v->maximum())); }));
    grid.setCellHeight(0.5);
    std::printf("  pan, cells at %4.1f px (overview):        %8.3f ms/repaint\n", grid.cellHeight(),
                timeRepaints(grid, n, [&](int i) { v->setValue((i * 997) % std::max(1, v->maximum())); }));
    grid.zoomToFit();
    std::printf("  whole tensor in view (%.4f px rows):    %8.3f ms/repaint\n", grid.cellHeight(),
                timeRepaints(grid, n, [&](int) { grid.viewport()->update(); }));
    double worst = 0;
    const double zoomMs = timeRepaints(grid, n, [&](int i) {
        grid.setCellHeight(std::pow(1.25, (i % 60) - 40) * 18.0, QPointF(300, 300));
        worst = std::max(worst, grid.cellHeight());
    });
    std::printf("  zooming in and out (wheel steps):         %8.3f ms/repaint\n", zoomMs);
    return 0;
}
