// The two style presets of FigureStyle (figure.h).
#include "ui/plots/figure.h"

namespace flipscope::ui {

FigureStyle FigureStyle::screen() { return {}; }

// A one-column figure of a two-column paper (IEEE/ACM columns are 8.5-8.9 cm wide), with
// 8 pt text like a caption's, and thinner lines that stay visible when printed.
FigureStyle FigureStyle::paper() {
    FigureStyle style;
    style.preset = "paper";
    style.widthCm = 8.8;
    style.heightCm = 6.6;
    style.fontFamily = "DejaVu Sans";
    style.fontPt = 8.0;
    style.lineWidth = 1.0;
    return style;
}

std::optional<FigureStyle> FigureStyle::byName(const QString& name) {
    if (name == "screen") return screen();
    if (name == "paper") return paper();
    return std::nullopt;
}

}  // namespace flipscope::ui
