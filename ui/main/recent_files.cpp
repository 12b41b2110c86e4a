#include "ui/main/recent_files.h"

#include "ui/session/dataset_spec_text.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace flipscope::ui {

namespace {
// "file.h5:/dataset" names a dataset inside a file: the file is what must exist.
bool specExists(const QString& spec) { return QFileInfo::exists(DatasetSpecText::split(spec).file); }
}  // namespace

RecentFiles::RecentFiles(QString settingsKey, QMenu* menu, QObject* parent)
    : QObject(parent), key_(std::move(settingsKey)), menu_(menu) {
    rebuildMenu();
}

QStringList RecentFiles::files() const { return QSettings().value(key_).toStringList(); }

void RecentFiles::add(const QString& path) {
    const DatasetSpecText parts = DatasetSpecText::split(path);
    const QString absolute = parts.withFile(QFileInfo(parts.file).absoluteFilePath());
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxFiles) list.removeLast();
    QSettings().setValue(key_, list);
    rebuildMenu();
}

void RecentFiles::rebuildMenu() {
    menu_->clear();
    const QStringList list = files();
    int n = 0;
    for (const QString& path : list) {
        if (!specExists(path)) continue;
        QAction* a = menu_->addAction(QString("&%1  %2").arg(++n).arg(QFileInfo(path).fileName()));
        a->setToolTip(QDir::toNativeSeparators(path));
        a->setStatusTip(QDir::toNativeSeparators(path));
        connect(a, &QAction::triggered, this, [this, path] { emit chosen(path); });
    }
    menu_->setEnabled(n > 0);
    if (n > 0) {
        menu_->addSeparator();
        connect(menu_->addAction("Clear list"), &QAction::triggered, this, [this] {
            QSettings().remove(key_);
            rebuildMenu();
        });
    }
}

}  // namespace flipscope::ui
