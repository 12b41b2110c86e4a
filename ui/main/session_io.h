#pragma once
// Between the window and a session file (ui/session/session_file.h): collects what the window has
// open into a Session (writing each ranking as CSV into the session's rankings folder), and opens
// a Session in the window as far as its files exist.
#include <QString>
#include <QStringList>

namespace flipscope::ui {

class MainWindow;

// Throws flipscope::Error naming the file that cannot be written.
void saveSession(MainWindow& window, const QString& path);

// Opens what the session names; returns one line per file that is missing or cannot be opened
// (naming it). Throws InputError when the session file itself cannot be read.
QStringList openSession(MainWindow& window, const QString& path);

}  // namespace flipscope::ui
