#pragma once
// 256-entry 0xRRGGBB tables of the colour maps (generated; see scripts/generate_colour_maps.py).
#include <array>
#include <cstdint>

namespace flipscope::ui::tables {

extern const std::array<uint32_t, 256> kViridis;   // sequential, perceptually uniform
extern const std::array<uint32_t, 256> kCoolWarm;  // diverging, blue - grey - red

}  // namespace flipscope::ui::tables
