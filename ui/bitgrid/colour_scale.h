#pragma once
// Maps a colouring's values to colours: linear or logarithmic, sequential (viridis) for unsigned
// values, diverging and centred on zero for signed ones (log = symmetric log).
#include "core/faults/bit_colouring.h"
#include "ui/bitgrid/colour_map.h"

#include <QString>
#include <vector>

namespace flipscope::ui {

class ColourScale {
public:
    ColourScale() = default;
    ColourScale(BitValueRange range, bool isSigned, bool discrete, bool log);
    static ColourScale forColouring(const BitColouring& colouring, bool log);

    // Position in [0, 1] of a value on the colour axis (NaN stays NaN).
    double position(double value) const;
    QRgb rgb(double value) const { return map().rgb(position(value)); }
    // The value at a colour-axis position (inverse of position()).
    double valueAt(double position) const;
    const ColourMap& map() const { return isSigned_ ? ColourMap::diverging() : ColourMap::viridis(); }

    BitValueRange range() const { return range_; }
    bool isSigned() const { return isSigned_; }
    bool isDiscrete() const { return discrete_; }
    bool isLog() const { return log_; }
    // Labelled ticks for a colour bar: positions in [0, 1] with their values.
    struct Tick {
        double position;
        double value;
    };
    std::vector<Tick> ticks() const;

private:
    double logFloor() const;  // smallest magnitude shown distinctly on a log axis

    BitValueRange range_;
    bool isSigned_ = false;
    bool discrete_ = false;
    bool log_ = false;
};

// A value for a label: up to 4 significant digits, no trailing noise ("0.375", "1.2e-05").
QString formatValue(double value);

}  // namespace flipscope::ui
