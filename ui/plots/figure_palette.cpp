#include "ui/plots/figure_palette.h"

#include <array>

namespace flipscope::ui::figure {

QColor seriesColour(int index) {
    // Okabe-Ito: blue, vermillion, bluish green, orange, reddish purple, sky blue, yellow.
    static const std::array<QColor, 7> colours{QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00),
                                               QColor(0x00, 0x9E, 0x73), QColor(0xE6, 0x9F, 0x00),
                                               QColor(0xCC, 0x79, 0xA7), QColor(0x56, 0xB4, 0xE9),
                                               QColor(0xF0, 0xE4, 0x42)};
    return colours[static_cast<size_t>(index < 0 ? 0 : index) % colours.size()];
}

QColor referenceColour() { return QColor(0, 0, 0); }
QColor neutralColour() { return QColor(0xBB, 0xBB, 0xBB); }
QColor gridColour() { return QColor(0xE0, 0xE0, 0xE0); }

}  // namespace flipscope::ui::figure
