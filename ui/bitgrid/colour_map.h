#pragma once
// A colour map: 256 colours over [0, 1]. viridis (sequential) for unsigned values, a diverging
// blue-grey-red map for signed ones (0.5 = zero). Perceptually uniform (see colour_map_tables).
#include <QColor>
#include <QRgb>

#include <array>
#include <cstdint>

namespace flipscope::ui {

class ColourMap {
public:
    static const ColourMap& viridis();
    static const ColourMap& diverging();

    // t outside [0, 1] is clamped; NaN gives the neutral "no value" grey.
    QRgb rgb(double t) const;
    QColor colour(double t) const { return QColor::fromRgb(rgb(t)); }
    static QRgb noValue() { return qRgb(128, 128, 128); }

private:
    explicit ColourMap(const std::array<uint32_t, 256>& table);
    std::array<QRgb, 256> table_{};
};

// Black or white, whichever reads better on `background`.
QColor contrastingText(QRgb background);

}  // namespace flipscope::ui
