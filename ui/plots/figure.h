#pragma once
// The study's figures, built from campaign results and rankings onto a QCustomPlot. One code
// path for the GUI's live plots, the GUI's export and `flipscope-cli plot`: buildFigure() draws
// the figure and returns exactly the data it drew (FigureTable), which is what the CSV export
// writes. Kinds:
//   bits-to-protect  normalized bits to protect vs baseline metric, one labelled point per campaign
//   distribution     bits to protect per layer/tensor and per bit position (stacked bars)
//   ranking          found bits-to-protect vs bits protected for each ranking, with the oracle
//   histogram        histogram of metric deltas (optional log count axis)
//   ber              metric vs bit-error rate, mean line with min..max band over trials
#include "core/faults/results_store.h"
#include "core/sensitivity/bit_ranking.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <vector>

class QCustomPlot;

namespace flipscope::ui {

enum class FigureKind { BitsToProtect, Distribution, Ranking, Histogram, Ber };
const QStringList& figureKindNames();  // "bits-to-protect", "distribution", ...
std::optional<FigureKind> figureKindFromName(const QString& name);
QString figureTitle(FigureKind kind);

// One campaign's results with the label it is shown under.
struct FigureCampaign {
    QString label;            // "econt-medium [(2120, 6)]"; empty: model file name + signature
    CampaignResults results;
};

struct FigureInputs {
    std::vector<FigureCampaign> campaigns;  // ranking/histogram/distribution use the first one
    std::vector<BitRanking> rankings;       // ranking figure
    bool normalizedAxes = true;             // ranking: k/N and found/total
    bool logCounts = false;                 // histogram
    int histogramBins = 60;
};

// Screen (GUI defaults) or publication preset: size in cm, fonts, line widths, the
// colour-blind-safe palette (Okabe-Ito), white background, no UI chrome.
struct FigureStyle {
    QString preset = "screen";  // "screen" | "paper"
    double widthCm = 16.0, heightCm = 10.0;
    QString fontFamily = "DejaVu Sans";
    double fontPt = 9.0;
    double lineWidth = 1.5;
    static FigureStyle screen();
    static FigureStyle paper();
    static std::optional<FigureStyle> byName(const QString& name);
};

// The plotted data, column names first; every row the same length. Written as CSV verbatim.
// Curves longer than kMaxCurvePoints (ranking figure) are drawn decimated; the table holds the
// points drawn, not every k.
struct FigureTable {
    QStringList columns;
    std::vector<QStringList> rows;
};
inline constexpr int kMaxCurvePoints = 2001;

// Clears `plot` and draws the figure. Returns the plotted data. Throws flipscope::InputError when
// the inputs cannot make this figure (no campaign, a ber figure from a single-bit campaign, ...).
FigureTable buildFigure(QCustomPlot& plot, FigureKind kind, const FigureInputs& inputs, const FigureStyle& style);

// Clears `plot` and shows `message` in its middle instead of a figure ("Run a campaign or open a
// results file"): what an empty or unusable figure shows in the GUI.
void drawFigureMessage(QCustomPlot& plot, const QString& message, const FigureStyle& style);

// By the extension of `path`: .pdf and .svg (vector), .png at `dpi` with the style's size.
// Throws flipscope::Error naming the file when it cannot be written.
void exportFigure(QCustomPlot& plot, const QString& path, const FigureStyle& style, int dpi = 300);
// RFC 4180 CSV (fields with commas or quotes are quoted); numbers in their shortest exact form.
void writeFigureCsv(const FigureTable& table, const QString& path);
// Reads a CSV written by writeFigureCsv back (tests, scripts comparing figures).
FigureTable readFigureCsv(const QString& path);

}  // namespace flipscope::ui
