// flipscope [MODEL.h5] [--data DATA] [--config ARCH.json]: the desktop explorer.
#include "ui/main/command_line.h"
#include "ui/main/screenshot.h"
#include "ui/main_window.h"

#include <QApplication>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("Flipscope");
    QApplication::setOrganizationName("Flipscope");
    QApplication::setApplicationVersion(FLIPSCOPE_VERSION);
    const flipscope::ui::StartupOptions options = flipscope::ui::parseCommandLine(app);

    flipscope::ui::MainWindow window;
    if (options.screenshotting()) window.setInteractiveErrors(false);
    window.show();
    flipscope::ui::applyStartupOptions(window, options, QApplication::applicationDirPath(), FLIPSCOPE_SOURCE_DIR);
    if (options.screenshotting()) flipscope::ui::scheduleScreenshots(window, options.screenshot, options.screenshotParts);
    return app.exec();
}
