#include "ui/bitgrid/colour_scale.h"

#include <algorithm>
#include <cmath>

namespace flipscope::ui {

ColourScale::ColourScale(BitValueRange range, bool isSigned, bool discrete, bool log)
    : range_(range), isSigned_(isSigned), discrete_(discrete), log_(log && !discrete) {
    if (!(range_.max > range_.min)) range_.max = range_.min + 1.0;
}

ColourScale ColourScale::forColouring(const BitColouring& colouring, bool log) {
    return ColourScale(colouring.range(), colouring.isSigned(), colouring.isDiscrete(), log);
}

double ColourScale::logFloor() const {
    const double top = std::max(std::fabs(range_.min), std::fabs(range_.max));
    if (isSigned_) return top * 1e-3;
    return range_.min > 0.0 ? range_.min : top * 1e-3;
}

double ColourScale::position(double v) const {
    if (std::isnan(v)) return v;
    if (isSigned_) {
        const double top = std::max(std::fabs(range_.min), std::fabs(range_.max));
        if (!log_) return 0.5 + 0.5 * std::clamp(v / top, -1.0, 1.0);
        const double c = logFloor();
        const double s = std::log1p(std::fabs(v) / c) / std::log1p(top / c);
        return 0.5 + 0.5 * std::clamp(v < 0 ? -s : s, -1.0, 1.0);
    }
    if (!log_) return std::clamp((v - range_.min) / (range_.max - range_.min), 0.0, 1.0);
    const double lo = std::log10(logFloor()), hi = std::log10(range_.max);
    if (v <= 0.0 || !(hi > lo)) return 0.0;
    return std::clamp((std::log10(v) - lo) / (hi - lo), 0.0, 1.0);
}

double ColourScale::valueAt(double p) const {
    p = std::clamp(p, 0.0, 1.0);
    if (isSigned_) {
        const double top = std::max(std::fabs(range_.min), std::fabs(range_.max));
        const double s = (p - 0.5) * 2.0;
        if (!log_) return s * top;
        const double c = logFloor();
        const double m = c * std::expm1(std::fabs(s) * std::log1p(top / c));
        return s < 0 ? -m : m;
    }
    if (!log_) return range_.min + p * (range_.max - range_.min);
    const double lo = std::log10(logFloor()), hi = std::log10(range_.max);
    return std::pow(10.0, lo + p * (hi - lo));
}

std::vector<ColourScale::Tick> ColourScale::ticks() const {
    std::vector<Tick> ticks;
    if (discrete_) {
        for (double v = std::ceil(range_.min); v <= range_.max; v += 1.0) ticks.push_back({position(v), v});
        return ticks;
    }
    if (isSigned_) {
        for (double p : {0.0, 0.25, 0.5, 0.75, 1.0}) ticks.push_back({p, p == 0.5 ? 0.0 : valueAt(p)});
        return ticks;
    }
    if (log_) {
        const double lo = std::log10(logFloor()), hi = std::log10(range_.max);
        ticks.push_back({0.0, valueAt(0.0)});
        for (double d = std::ceil(lo + 1e-9); d < hi - 1e-9; d += std::max(1.0, std::floor((hi - lo) / 4)))
            ticks.push_back({position(std::pow(10.0, d)), std::pow(10.0, d)});
        ticks.push_back({1.0, range_.max});
        return ticks;
    }
    for (double p : {0.0, 0.25, 0.5, 0.75, 1.0}) ticks.push_back({p, valueAt(p)});
    return ticks;
}

QString formatValue(double value) {
    if (std::isnan(value)) return "–";
    if (value == 0.0) return "0";
    return QString::number(value, 'g', 4);
}

}  // namespace flipscope::ui
