#include "ui/bitgrid/colour_map.h"

#include "ui/bitgrid/colour_map_tables.h"

#include <cmath>

namespace flipscope::ui {

ColourMap::ColourMap(const std::array<uint32_t, 256>& table) {
    for (size_t i = 0; i < table.size(); ++i) table_[i] = 0xff000000u | table[i];
}

const ColourMap& ColourMap::viridis() {
    static const ColourMap map(tables::kViridis);
    return map;
}

const ColourMap& ColourMap::diverging() {
    static const ColourMap map(tables::kCoolWarm);
    return map;
}

QRgb ColourMap::rgb(double t) const {
    if (std::isnan(t)) return noValue();
    const int i = static_cast<int>(std::lround(std::clamp(t, 0.0, 1.0) * 255.0));
    return table_[static_cast<size_t>(i)];
}

QColor contrastingText(QRgb background) {
    const double luminance = 0.2126 * qRed(background) + 0.7152 * qGreen(background) + 0.0722 * qBlue(background);
    return luminance > 140 ? QColor(Qt::black) : QColor(Qt::white);
}

}  // namespace flipscope::ui
