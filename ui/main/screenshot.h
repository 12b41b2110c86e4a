#pragma once
// Documentation screenshots made by the app itself: once the background work is done, grabs the
// main window (QWidget::grab) into a PNG, and optionally each dock and the centre into a folder,
// then quits the application.
#include <QString>

namespace flipscope::ui {

class MainWindow;

// Schedules the grab; `done` exit code 0 when every file was written.
void scheduleScreenshots(MainWindow& window, const QString& file, const QString& partsDir);

}  // namespace flipscope::ui
