#include "ui/widgets/save_file_dialog.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

namespace flipscope::ui {

QString askSaveFilePath(QWidget* parent, const QString& title, const QString& suggested, const QString& filter,
                        const QString& suffix) {
    QString path = QFileDialog::getSaveFileName(parent, title, suggested, filter);
    if (path.isEmpty()) return {};
    if (QFileInfo(path).suffix().compare(suffix, Qt::CaseInsensitive) != 0) {
        path += "." + suffix;  // a name the dialog did not ask about
        if (QFileInfo::exists(path) &&
            QMessageBox::question(parent, title, QFileInfo(path).fileName() + " exists. Replace it?") != QMessageBox::Yes)
            return {};
    }
    return path;
}

}  // namespace flipscope::ui
