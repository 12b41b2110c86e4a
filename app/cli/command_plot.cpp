// flipscope-cli plot --kind KIND --results a.h5 [b.h5 ...] --out fig.pdf|svg|png [...]
// The GUI's figures, headless: the same buildFigure/exportFigure/writeFigureCsv (ui/plots) on an
// offscreen Qt platform, so a paper's figures can be rebuilt from scripts.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/faults/bit_space_json.h"
#include "core/sensitivity/ranking_csv.h"
#include "ui/plots/figure.h"

#include <QApplication>
#include <qcustomplot.h>

#include <cstdio>
#include <iostream>

namespace flipscope::cli {

static const char* kHelp =
    "Usage: flipscope-cli plot --kind KIND --results a.h5 [b.h5 ...] --out fig.pdf|svg|png [options]\n\n"
    "Draws one of the study's figures from campaign results files, as the GUI's Plots panel does,\n"
    "and writes it as PDF or SVG (vector) or PNG, optionally with the plotted data as CSV.\n\n"
    "Kinds:\n"
    "  bits-to-protect  normalized bits to protect vs baseline metric, one labelled point per results file\n"
    "  distribution     bits to protect per layer and per bit position (first results file)\n"
    "  ranking          bits to protect found vs bits protected for each --rankings file, with the oracle\n"
    "  histogram        histogram of metric deltas (first results file)\n"
    "  ber              metric vs bit-error rate with the min..max band over trials (a ber campaign)\n\n"
    "Options:\n"
    "  --results a.h5 [b.h5 ...]   campaign results files (flipscope-cli campaign --out)\n"
    "  --rankings r.csv [...]      rankings (flipscope-cli rank --out) for the ranking figure, read\n"
    "                              against the first results file's bit space\n"
    "  --labels \"A\" [\"B\" ...]      point labels, one per results file (default: model file name and\n"
    "                              kernel signature, e.g. \"econt-medium [(2120, 6)]\")\n"
    "  --out FILE                  .pdf, .svg or .png\n"
    "  --csv FILE                  also write the plotted data as CSV\n"
    "  --preset paper|screen       paper: 8.8 x 6.6 cm, 8 pt, thin lines; screen (default): 16 x 10 cm, 9 pt\n"
    "  --dpi N                     PNG resolution (default 300)\n"
    "  --normalized on|off         ranking and distribution axes as fractions (default on)\n"
    "  --log-counts                histogram: logarithmic count axis\n";

namespace {

// `--results a b c` means `--results a --results b --results c`: the list options take every
// value up to the next option.
CommandArgs expandListOptions(const CommandArgs& argv) {
    static const std::set<std::string> lists{"--results", "--rankings", "--labels"};
    CommandArgs out;
    std::string list;
    for (const std::string& arg : argv) {
        if (arg.rfind("--", 0) == 0) {
            const std::string name = arg.substr(0, arg.find('='));
            list = lists.count(name) ? name : std::string();
            out.push_back(arg);
        } else if (!list.empty() && !out.empty() && out.back() != list) {
            out.push_back(list);
            out.push_back(arg);
        } else {
            out.push_back(arg);
        }
    }
    return out;
}

bool onOff(const std::string& option, const std::string& value) {
    if (value == "on" || value == "true" || value == "1") return true;
    if (value == "off" || value == "false" || value == "0") return false;
    throw UsageError("--" + option + ": expected on or off, got '" + value + "'");
}

// QCustomPlot is a widget: it needs a QApplication, which needs a platform. Without a display the
// offscreen platform draws into memory.
std::unique_ptr<QApplication> headlessApplication() {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "flipscope-cli";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QApplication>(argc, argv);
}

}  // namespace

int runPlot(const CommandArgs& rawArgs) {
    Args args(expandListOptions(rawArgs),
              {"kind", "results", "rankings", "labels", "out", "csv", "preset", "dpi", "normalized"}, {"log-counts"});
    if (args.helpRequested()) {
        std::cout << kHelp;
        return 0;
    }
    if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals().front() + "'");
    const QString kindName = QString::fromStdString(args.required("kind"));
    const auto kind = ui::figureKindFromName(kindName);
    if (!kind)
        throw UsageError("--kind: unknown figure '" + kindName.toStdString() + "' (available: " +
                         ui::figureKindNames().join(", ").toStdString() + ")");
    const std::vector<std::string> resultsPaths = args.values("results");
    if (resultsPaths.empty()) throw UsageError("missing required option --results");
    const std::vector<std::string> labels = args.values("labels");
    if (!labels.empty() && labels.size() != resultsPaths.size())
        throw UsageError("--labels: " + std::to_string(labels.size()) + " labels for " +
                         std::to_string(resultsPaths.size()) + " results files");
    const QString out = QString::fromStdString(args.required("out"));
    const auto style = ui::FigureStyle::byName(QString::fromStdString(args.value("preset").value_or("screen")));
    if (!style) throw UsageError("--preset: expected paper or screen");
    const int dpi = static_cast<int>(args.integer("dpi").value_or(300));

    ui::FigureInputs inputs;
    inputs.normalizedAxes = onOff("normalized", args.value("normalized").value_or("on"));
    inputs.logCounts = args.flag("log-counts");
    for (size_t i = 0; i < resultsPaths.size(); ++i)
        inputs.campaigns.push_back({labels.empty() ? QString() : QString::fromStdString(labels[i]),
                                    readCampaignResults(resultsPaths[i])});
    const std::vector<std::string> rankingPaths = args.values("rankings");
    if (!rankingPaths.empty()) {
        const BitSpace space = bitSpaceFromJson(inputs.campaigns.front().results.info.bitSpace, resultsPaths.front());
        for (const std::string& path : rankingPaths) inputs.rankings.push_back(readRankingCsv(path, space));
    }

    const auto application = headlessApplication();
    QCustomPlot plot;
    const ui::FigureTable table = ui::buildFigure(plot, *kind, inputs, *style);
    ui::exportFigure(plot, out, *style, dpi);
    std::fprintf(stderr, "wrote %s\n", out.toUtf8().constData());
    if (auto csv = args.value("csv")) {
        ui::writeFigureCsv(table, QString::fromStdString(*csv));
        std::fprintf(stderr, "wrote %s (%zu rows)\n", csv->c_str(), table.rows.size());
    }
    return 0;
}

}  // namespace flipscope::cli
