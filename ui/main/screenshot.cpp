#include "ui/main/screenshot.h"

#include "ui/main_window.h"
#include "ui/session/workbench.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QTimer>

#include <memory>

namespace flipscope::ui {

namespace {

bool save(QWidget* widget, const QString& path) {
    if (!widget || !widget->isVisible()) return true;
    const bool ok = widget->grab().save(path, "PNG");
    if (!ok) qWarning("cannot write %s", qPrintable(path));
    return ok;
}

QString partName(const QString& objectName) {
    QString name = objectName;
    name.remove("Dock");
    return name.toLower();
}

}  // namespace

void scheduleScreenshots(MainWindow& window, const QString& file, const QString& partsDir) {
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    auto* timer = new QTimer(&window);
    timer->setInterval(100);
    QObject::connect(timer, &QTimer::timeout, &window, [&window, file, partsDir, clock, timer] {
        Workbench* wb = window.workbench();
        const bool waiting = wb->evaluating() || (wb->hasDataset() && !wb->comparison());
        if (waiting && clock->elapsed() < 60000) return;
        if (clock->elapsed() < 600) return;  // let layouts and docks settle
        timer->stop();
        bool ok = true;
        if (!file.isEmpty()) ok &= save(&window, file);
        if (!partsDir.isEmpty()) {
            QDir().mkpath(partsDir);
            ok &= save(window.centralWidget(), QDir(partsDir).filePath("grid.png"));
            for (QDockWidget* d : window.docks()) ok &= save(d, QDir(partsDir).filePath(partName(d->objectName()) + ".png"));
        }
        QApplication::exit(ok ? 0 : 1);
    });
    timer->start();
}

}  // namespace flipscope::ui
