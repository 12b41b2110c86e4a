#pragma once
// Colours of every figure: the Okabe-Ito palette (Okabe & Ito 2008), distinguishable with the
// common colour-vision deficiencies and in greyscale print, on a white background.
#include <QColor>

namespace flipscope::ui::figure {

// The i-th data series (wraps around). Yellow comes last: it is hard to see on white.
QColor seriesColour(int index);
QColor referenceColour();  // the oracle, the baseline: black
QColor neutralColour();    // "the rest" in stacked bars: light grey
QColor gridColour();

}  // namespace flipscope::ui::figure
