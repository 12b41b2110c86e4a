#pragma once
// The explorer's command line:
//   flipscope [MODEL.h5 | SESSION.flipscope] [--data DATA] [--labels LABELS] [--config ARCH.json]
//             [--open-session FILE.flipscope] [--results RESULTS.h5 ...]
// and hidden options for documentation screenshots and scripted demos:
//   --flip BIT (repeatable; BIT = layer/path:tensor[index].bBIT, bit 0 = LSB), --select BIT,
//   --colour-by NAME, --log-scale, --zoom ROW_PX, --sample N, --size WxH,
//   --show grid|plots (centre tab), --raise campaign|rankings|inspector (dock),
//   --screenshot FILE (grab the main window once everything is computed, then quit),
//   --screenshot-parts DIR (also grab each dock and the centre into DIR).
#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

class QApplication;

namespace flipscope::ui {

class MainWindow;

struct StartupOptions {
    QString model, data, labels, config;
    QString session;
    QStringList results;
    QString show, raise;
    QStringList flips;
    QString select;
    QString colourBy;
    bool logScale = false;
    std::optional<double> zoom;
    std::optional<int> sample;
    std::optional<QSize> size;
    QString screenshot, screenshotParts;
    bool screenshotting() const { return !screenshot.isEmpty() || !screenshotParts.isEmpty(); }
};

// Parses the application's arguments; exits with a usage message on errors (like --help does).
StartupOptions parseCommandLine(const QApplication& app);

// Opens what the options name. Without a model: the most recently used model (and its dataset),
// else on first start the bundled sample model and the dataset beside it, else the empty state.
void applyStartupOptions(MainWindow& window, const StartupOptions& options, const QString& appDir,
                         const QString& sourceDir);

}  // namespace flipscope::ui
