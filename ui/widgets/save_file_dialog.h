#pragma once
// A save-file dialog that always ends with the expected suffix and never replaces a file without
// asking: the dialog itself confirms the name the user typed, and when the suffix has to be
// appended afterwards (a name typed without it) the resulting file is confirmed here.
#include <QString>

class QWidget;

namespace flipscope::ui {

// Empty when the user cancelled (in the dialog or at the replace question).
QString askSaveFilePath(QWidget* parent, const QString& title, const QString& suggested, const QString& filter,
                        const QString& suffix);

}  // namespace flipscope::ui
