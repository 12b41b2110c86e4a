#include "ui/panels/sample_view.h"

#include "core/metrics/econt_remap.h"
#include "core/metrics/geometry.h"
#include "ui/widgets/heat_map_widget.h"
#include "ui/widgets/hex_map_widget.h"
#include "ui/widgets/value_bars_widget.h"

#include <QGridLayout>
#include <QLabel>

#include <algorithm>
#include <cmath>

namespace flipscope::ui {

namespace {

// An image layout of a sample shape: (H, W), (H, W, C) with C in 1..4; channels averaged.
std::optional<std::pair<int, int>> imageShape(const Shape& s) {
    if (s.size() == 2 && s[0] >= 2 && s[1] >= 2) return std::pair<int, int>(static_cast<int>(s[0]), static_cast<int>(s[1]));
    if (s.size() == 3 && s[0] >= 2 && s[1] >= 2 && s[2] <= 4)
        return std::pair<int, int>(static_cast<int>(s[0]), static_cast<int>(s[1]));
    return std::nullopt;
}

std::vector<float> toImage(const float* data, const Shape& s) {
    const int64_t pixels = s[0] * s[1];
    const int64_t channels = s.size() == 3 ? s[2] : 1;
    std::vector<float> out(static_cast<size_t>(pixels));
    for (int64_t p = 0; p < pixels; ++p) {
        double sum = 0;
        for (int64_t c = 0; c < channels; ++c) sum += data[p * channels + c];
        out[static_cast<size_t>(p)] = static_cast<float>(sum / channels);
    }
    return out;
}

ColourScale sharedScale(std::initializer_list<const std::vector<float>*> maps) {
    double lo = 0, hi = 0;
    for (const auto* m : maps)
        for (float v : *m) lo = std::min<double>(lo, v), hi = std::max<double>(hi, v);
    if (lo < 0) {
        const double top = std::max(-lo, hi);
        return ColourScale({-top, top}, true, false, false);
    }
    return ColourScale({0.0, hi > 0 ? hi : 1.0}, false, false, false);
}

ColourScale differenceScale(const std::vector<float>& d) {
    double top = 0;
    for (float v : d) top = std::max<double>(top, std::fabs(v));
    return ColourScale({-(top > 0 ? top : 1e-6), top > 0 ? top : 1e-6}, true, false, false);
}

std::vector<float> difference(const std::vector<float>& after, const std::vector<float>& before) {
    std::vector<float> d(after.size());
    for (size_t i = 0; i < d.size(); ++i) d[i] = after[i] - before[i];
    return d;
}

}  // namespace

SampleView::SampleView(QWidget* parent) : QWidget(parent) {
    grid_ = new QGridLayout(this);
    grid_->setContentsMargins(0, 0, 0, 0);
    grid_->setSpacing(6);
}

void SampleView::clearViews() {
    while (QLayoutItem* item = grid_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void SampleView::show(const Tensor* inputs, const FlipComparison* comparison, int64_t sample, std::optional<int64_t> label) {
    clearViews();
    mode_ = Mode::None;
    if (!inputs || !comparison || sample < 0 || sample >= inputs->dim(0) || comparison->before.outputs.empty()) {
        auto* hint = new QLabel(inputs ? "Running the samples…" : "Open a dataset (File ▸ Open dataset…) to see how the flips change the outputs.", this);
        hint->setWordWrap(true);
        hint->setForegroundRole(QPalette::PlaceholderText);
        grid_->addWidget(hint, 0, 0);
        return;
    }
    const int64_t inSize = inputs->rowSize();
    const int64_t outSize = comparison->before.outputs.rowSize();
    const float* input = inputs->data() + sample * inSize;
    const float* before = comparison->before.outputs.data() + sample * outSize;
    const float* after = comparison->after.outputs.data() + sample * outSize;
    const Shape inShape(inputs->shape().begin() + 1, inputs->shape().end());
    const Shape outShape(comparison->before.outputs.shape().begin() + 1, comparison->before.outputs.shape().end());
    if (inShape == outShape && inSize == kEcontPixels && imageShape(inShape)) showEcont(input, before, after);
    else if (inShape == outShape && imageShape(inShape)) showImages(*inputs, input, before, after, outSize);
    else showBars(*inputs, input, before, after, outSize, label);
}

void SampleView::showEcont(const float* input, const float* before, const float* after) {
    mode_ = Mode::EcontMaps;
    // Each map as fractions of its total charge: what the EMD compares (it normalizes both maps).
    auto cells = [](const float* image) {
        std::vector<double> c(kEcontCells);
        imageToCells(std::span<const float>(image, kEcontPixels), c);
        double sum = 0;
        for (double v : c) sum += v;
        if (sum > 0)
            for (double& v : c) v /= sum;
        return c;
    };
    const auto in = cells(input), b = cells(before), a = cells(after);
    double top = 0;
    for (const auto* v : {&in, &b, &a})
        for (double x : *v) top = std::max(top, x);
    const ColourScale charge({0.0, top > 0 ? top : 1.0}, false, false, false);
    std::vector<double> d(a.size());
    double dTop = 0;
    for (size_t i = 0; i < d.size(); ++i) d[i] = a[i] - b[i], dTop = std::max(dTop, std::fabs(d[i]));
    const ColourScale diff({-(dTop > 0 ? dTop : 1e-6), dTop > 0 ? dTop : 1e-6}, true, false, false);
    const auto geometry = Geometry::econt().cells();
    auto add = [&](const QString& title, std::vector<double> values, const ColourScale& scale, int row, int col) {
        auto* map = new HexMapWidget(this);
        map->setMap(title, std::move(values), geometry, scale);
        map->setToolTip(title);
        grid_->addWidget(map, row, col);
    };
    add("Input", in, charge, 0, 0);
    add("Output, no flips", b, charge, 0, 1);
    add("Output, flipped", a, charge, 1, 0);
    setToolTip("Charge of the 48 trigger cells as fractions of each map's total (as the EMD sees them)");
    add(QString("Δ output (±%1)").arg(formatValue(dTop)), d, diff, 1, 1);
}

void SampleView::showImages(const Tensor& inputs, const float* input, const float* before, const float* after, int64_t) {
    mode_ = Mode::ImageMaps;
    const Shape shape(inputs.shape().begin() + 1, inputs.shape().end());
    const auto [h, w] = *imageShape(shape);
    const auto in = toImage(input, shape), b = toImage(before, shape), a = toImage(after, shape);
    const ColourScale scale = sharedScale({&in, &b, &a});
    const auto d = difference(a, b);
    auto add = [&](const QString& title, const std::vector<float>& values, const ColourScale& s, int row, int col) {
        auto* map = new HeatMapWidget(this);
        map->setMap(title, values, h, w, s);
        grid_->addWidget(map, row, col);
    };
    add("Input", in, scale, 0, 0);
    add("Output, no flips", b, scale, 0, 1);
    add("Output, flipped", a, scale, 1, 0);
    add("Δ output", d, differenceScale(d), 1, 1);
}

void SampleView::showBars(const Tensor& inputs, const float* input, const float* before, const float* after,
                          int64_t outSize, std::optional<int64_t> label) {
    mode_ = Mode::Bars;
    const Shape shape(inputs.shape().begin() + 1, inputs.shape().end());
    int row = 0;
    if (const auto image = imageShape(shape)) {
        const auto in = toImage(input, shape);
        auto* map = new HeatMapWidget(this);
        map->setMap("Input", in, image->first, image->second, sharedScale({&in}));
        map->setMinimumHeight(140);
        grid_->addWidget(map, row++, 0);
    }
    auto* bars = new ValueBarsWidget(this);
    const bool probabilities = std::all_of(before, before + outSize, [](float v) { return v >= 0 && v <= 1; });
    bars->setValues(probabilities ? "Class probabilities" : "Outputs", std::vector<float>(before, before + outSize),
                    std::vector<float>(after, after + outSize),
                    label ? std::optional<int>(static_cast<int>(*label)) : std::nullopt);
    bars->setMinimumHeight(150);
    grid_->addWidget(bars, row, 0);
}

}  // namespace flipscope::ui
