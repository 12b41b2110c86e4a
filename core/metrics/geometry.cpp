#include "core/metrics/geometry.h"

#include "core/common/error.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace flipscope {

namespace {

// The dense distance matrix grows with the square of the cell count; past this it stops being a
// sensible ground cost for an exact EMD (4096 cells = 128 MiB of distances).
constexpr int kMaxCells = 4096;

// hexCoords of the 48 trigger cells, verbatim from fastml-science
// sensor-data-compression/utils/metrics.py (CALQ order 0..47).
constexpr std::array<std::array<double, 2>, 48> kEcontRawCoords = {{
    {0.0, 0.0},           {0.0, -2.4168015},     {0.0, -4.833603},      {0.0, -7.2504044},
    {2.09301, -1.2083969}, {2.09301, -3.6251984}, {2.09301, -6.042},     {2.09301, -8.458794},
    {4.18602, -2.4168015}, {4.18602, -4.833603},  {4.18602, -7.2504044}, {4.18602, -9.667198},
    {6.27903, -3.6251984}, {6.27903, -6.042},     {6.27903, -8.458794},  {6.27903, -10.875603},
    {-8.37204, -10.271393},   {-6.27903, -9.063004},    {-4.18602, -7.854599},    {-2.0930138, -6.6461945},
    {-8.37204, -7.854599},    {-6.27903, -6.6461945},   {-4.18602, -5.4377975},   {-2.0930138, -4.229393},
    {-8.37204, -5.4377975},   {-6.27903, -4.229393},    {-4.18602, -3.020996},    {-2.0930138, -1.8125992},
    {-8.37204, -3.020996},    {-6.27903, -1.8125992},   {-4.18602, -0.6042023},   {-2.0930138, 0.6042023},
    {4.7092705, -12.386101},  {2.6162605, -11.177696},  {0.5232506, -9.969299},   {-1.5697594, -8.760895},
    {2.6162605, -13.594498},  {0.5232506, -12.386101},  {-1.5697594, -11.177696}, {-3.6627693, -9.969299},
    {0.5232506, -14.802895},  {-1.5697594, -13.594498}, {-3.6627693, -12.386101}, {-5.7557793, -11.177696},
    {-1.5697594, -16.0113},   {-3.6627693, -14.802895}, {-5.7557793, -13.594498}, {-7.848793, -12.386101},
}};

// oneHexCell = 0.5 * 2.4168015 in the same file: the unit the study's distances are measured in.
constexpr double kEcontUnit = 1.20840075;

int parsePositive(std::string_view text, std::string_view spec) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value <= 0)
        throw InputError("geometry \"" + std::string(spec) + "\": \"" + std::string(text) +
                         "\" is not a positive whole number");
    return value;
}

void checkCellCount(int64_t cells, std::string_view what) {
    if (cells <= 0 || cells > kMaxCells)
        throw InputError(std::string(what) + " has " + std::to_string(cells) + " cells; an EMD geometry needs 1 to " +
                         std::to_string(kMaxCells));
}

}  // namespace

Geometry::Geometry(std::string name, std::vector<CellPosition> cells)
    : name_(std::move(name)), cells_(std::move(cells)) {
    checkCellCount(static_cast<int64_t>(cells_.size()), "geometry \"" + name_ + "\"");
    const size_t n = cells_.size();
    distances_.resize(n * n);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j) {
            const double dx = cells_[i].x - cells_[j].x;
            const double dy = cells_[i].y - cells_[j].y;
            distances_[i * n + j] = std::sqrt(dx * dx + dy * dy);
            largestDistance_ = std::max(largestDistance_, distances_[i * n + j]);
        }
    if (n > static_cast<size_t>(kMaxCellsForDistanceRanks)) return;
    std::vector<double> distinct(distances_);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    distanceRanks_.resize(distances_.size());
    for (size_t k = 0; k < distances_.size(); ++k)
        distanceRanks_[k] =
            static_cast<int>(std::lower_bound(distinct.begin(), distinct.end(), distances_[k]) - distinct.begin());
    distinctDistances_ = static_cast<int>(distinct.size());
    tieBreakCosts_.resize(distances_.size());
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j) tieBreakCosts_[i * n + j] = tieBreakCost(static_cast<int>(i), static_cast<int>(j));
}

double Geometry::tieBreakCost(int from, int to) {
    // SplitMix64 of the cell pair; the top 53 bits as a fraction.
    uint64_t z = (static_cast<uint64_t>(static_cast<uint32_t>(from)) << 32 | static_cast<uint32_t>(to)) + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
}

Geometry Geometry::econt() {
    std::vector<CellPosition> cells;
    cells.reserve(kEcontRawCoords.size());
    for (const auto& [x, y] : kEcontRawCoords) cells.push_back({x / kEcontUnit, y / kEcontUnit});
    return Geometry("econt", std::move(cells));
}

Geometry Geometry::grid1d(int n) {
    checkCellCount(n, "grid1d:" + std::to_string(n));
    std::vector<CellPosition> cells(n);
    for (int i = 0; i < n; ++i) cells[i] = {static_cast<double>(i), 0.0};
    return Geometry("grid1d:" + std::to_string(n), std::move(cells));
}

Geometry Geometry::grid2d(int height, int width) {
    const std::string name = "grid2d:" + std::to_string(height) + "x" + std::to_string(width);
    if (height <= 0 || width <= 0) throw InputError(name + ": height and width must be positive");
    checkCellCount(static_cast<int64_t>(height) * width, name);
    std::vector<CellPosition> cells;
    cells.reserve(static_cast<size_t>(height) * width);
    for (int row = 0; row < height; ++row)
        for (int col = 0; col < width; ++col) cells.push_back({static_cast<double>(col), static_cast<double>(row)});
    return Geometry(name, std::move(cells));
}

Geometry geometryByName(std::string_view spec) {
    if (spec == "econt") return Geometry::econt();
    if (spec.starts_with("grid1d:")) return Geometry::grid1d(parsePositive(spec.substr(7), spec));
    if (spec.starts_with("grid2d:")) {
        const std::string_view size = spec.substr(7);
        const size_t cross = size.find('x');
        if (cross != std::string_view::npos)
            return Geometry::grid2d(parsePositive(size.substr(0, cross), spec),
                                    parsePositive(size.substr(cross + 1), spec));
    }
    throw InputError("unknown EMD geometry \"" + std::string(spec) +
                     "\"; expected \"econt\", \"grid1d:N\" (e.g. grid1d:10) or \"grid2d:HxW\" (e.g. grid2d:28x28)");
}

}  // namespace flipscope
