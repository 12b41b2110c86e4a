#include "ui/main/command_line.h"

#include "core/faults/bit_access.h"
#include "ui/bitgrid/bit_grid_widget.h"
#include "ui/main/startup_files.h"
#include "ui/main_window.h"
#include "ui/panels/grid_panel.h"
#include "ui/panels/inspector_panel.h"
#include "ui/panels/log_panel.h"
#include "ui/session/dataset_spec_text.h"
#include "ui/session/workbench.h"

#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QFileInfo>
#include <QSettings>
#include <QSpinBox>

#include <utility>

namespace flipscope::ui {

StartupOptions parseCommandLine(const QApplication& app) {
    QCommandLineParser p;
    p.setApplicationDescription("Flipscope: how sensitive is a quantized neural network to bit flips in its weights?");
    p.addHelpOption();
    p.addVersionOption();
    p.addPositionalArgument("file", "Keras / QKeras model to open (.h5; full model or weights with a .json beside), or a session (.flipscope)", "[MODEL.h5 | SESSION.flipscope]");
    const QCommandLineOption data("data", "Samples to run through the model (NPY, CSV, HDF5, IDX).", "DATA");
    const QCommandLineOption labels("labels", "Class labels of the samples (the metric becomes accuracy).", "LABELS");
    const QCommandLineOption config("config", "Architecture JSON for a weights-only .h5 file.", "ARCH.json");
    // Not "--session": QGuiApplication takes -session/--session for the desktop's session manager
    // and removes it from the arguments before they reach this parser.
    const QCommandLineOption session("open-session", "Session to open (.flipscope): model, data, results, rankings, plots.", "FILE");
    const QCommandLineOption results("results", "Campaign results file to show in the plots (repeatable).", "RESULTS.h5");
    p.addOptions({data, labels, config, session, results});
    auto hidden = [&](const QString& name, const QString& value) {
        QCommandLineOption o(name, name, value);
        o.setFlags(QCommandLineOption::HiddenFromHelp);
        p.addOption(o);
        return o;
    };
    const auto flip = hidden("flip", "BIT"), select = hidden("select", "BIT"), colourBy = hidden("colour-by", "NAME");
    const auto zoom = hidden("zoom", "PX"), sample = hidden("sample", "N"), size = hidden("size", "WxH");
    const auto show = hidden("show", "VIEW"), raise = hidden("raise", "DOCK");
    const auto screenshot = hidden("screenshot", "FILE"), parts = hidden("screenshot-parts", "DIR");
    QCommandLineOption logScale("log-scale", "log scale");
    logScale.setFlags(QCommandLineOption::HiddenFromHelp);
    p.addOption(logScale);
    p.process(app);

    StartupOptions o;
    if (p.positionalArguments().size() > 1) p.showHelp(1);
    if (!p.positionalArguments().isEmpty()) o.model = p.positionalArguments().first();
    if (o.model.endsWith(".flipscope", Qt::CaseInsensitive)) o.session = std::exchange(o.model, QString());
    o.data = p.value(data);
    o.labels = p.value(labels);
    o.config = p.value(config);
    if (p.isSet(session)) o.session = p.value(session);
    o.results = p.values(results);
    o.show = p.value(show);
    o.raise = p.value(raise);
    o.flips = p.values(flip);
    o.select = p.value(select);
    o.colourBy = p.value(colourBy);
    o.logScale = p.isSet(logScale);
    if (p.isSet(zoom)) o.zoom = p.value(zoom).toDouble();
    if (p.isSet(sample)) o.sample = p.value(sample).toInt();
    if (p.isSet(size)) {
        const QStringList wh = p.value(size).split('x');
        if (wh.size() == 2) o.size = QSize(wh[0].toInt(), wh[1].toInt());
    }
    o.screenshot = p.value(screenshot);
    o.screenshotParts = p.value(parts);
    return o;
}

namespace {

void openStartupModel(MainWindow& w, const StartupOptions& o, const QString& appDir, const QString& sourceDir) {
    // A model's own samples (its recipe's test set) when no dataset is given.
    auto openData = [&w](const QString& model, QString data, QString labels) {
        if (data.isEmpty()) {
            const CompanionData companion = companionData(model);
            data = companion.inputs;
            if (labels.isEmpty()) labels = companion.labels;
        }
        if (!data.isEmpty() && w.openDataset(data) && !labels.isEmpty()) w.openLabels(labels);
    };
    if (!o.model.isEmpty()) {
        if (w.openModel(o.model, o.config)) openData(o.model, o.data, o.labels);
        return;
    }
    QSettings settings;
    const QStringList recent = settings.value("recent/models").toStringList();
    if (!recent.isEmpty() && QFileInfo::exists(recent.first())) {
        if (w.openModel(recent.first())) {
            const QStringList data = settings.value("recent/datasets").toStringList();
            if (!data.isEmpty() && QFileInfo::exists(DatasetSpecText::split(data.first()).file)) w.openDataset(data.first());
        }
        return;
    }
    const QString sample = findSampleModel("econt-medium.h5", appDir, sourceDir);
    if (!sample.isEmpty() && w.openModel(sample)) {
        openData(sample, {}, {});
        return;
    }
    w.setEmptyStateDetail("The sample model econt-medium.h5 was not found in: " +
                          sampleModelDirs(appDir, sourceDir).join(", "));
}

}  // namespace

void applyStartupOptions(MainWindow& w, const StartupOptions& o, const QString& appDir, const QString& sourceDir) {
    if (o.size) w.resize(*o.size);
    if (!o.session.isEmpty()) w.openSession(o.session);
    else openStartupModel(w, o, appDir, sourceDir);
    for (const QString& r : o.results) w.openResults(r);
    Workbench* wb = w.workbench();
    BitGridWidget* grid = w.gridPanel()->grid();
    if (!o.colourBy.isEmpty() && !w.gridPanel()->selectColouring(o.colourBy))
        w.logPanel()->append("No colouring named '" + o.colourBy + "'");
    if (o.logScale) w.gridPanel()->logBox()->setChecked(true);
    if (o.zoom) grid->setCellHeight(*o.zoom);
    auto resolve = [&](const QString& text) -> std::optional<BitRef> {
        try {
            if (wb->bits()) return wb->bits()->find(parseWeightBit(text.toStdString()));
        } catch (const std::exception& e) {
            w.logPanel()->append(QString::fromStdString(e.what()));
        }
        return std::nullopt;
    };
    for (const QString& f : o.flips)
        if (const auto ref = resolve(f)) w.flipBit(*ref);
    if (!o.select.isEmpty())
        if (const auto ref = resolve(o.select)) grid->selectBit(*ref);
    if (o.sample) w.inspector()->sampleBox()->setValue(*o.sample);
    if (o.show == "plots") w.showPlots();
    else if (o.show == "grid") w.showGrid();
    for (QDockWidget* d : w.docks())
        if (!o.raise.isEmpty() && d->objectName().compare(o.raise + "Dock", Qt::CaseInsensitive) == 0) d->raise();
}

}  // namespace flipscope::ui
