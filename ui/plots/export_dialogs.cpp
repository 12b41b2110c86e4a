#include "ui/plots/export_dialogs.h"

#include "ui/widgets/save_file_dialog.h"

#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QSettings>

namespace flipscope::ui {

QString exportFormatSuffix(ExportFormat format) {
    switch (format) {
    case ExportFormat::Pdf: return "pdf";
    case ExportFormat::Svg: return "svg";
    case ExportFormat::Png: return "png";
    case ExportFormat::Csv: return "csv";
    }
    return {};
}

QString askExportPath(QWidget* parent, ExportFormat format, const QString& suggestedName) {
    static const char* kFilters[] = {"PDF (*.pdf)", "SVG (*.svg)", "PNG image (*.png)", "CSV data (*.csv)"};
    const QString suffix = exportFormatSuffix(format);
    QSettings settings;
    const QString folder = settings.value("plots/exportFolder", QDir::homePath()).toString();
    const QString path = askSaveFilePath(parent, QObject::tr("Export figure"), QDir(folder).filePath(suggestedName + "." + suffix),
                                         QObject::tr(kFilters[static_cast<int>(format)]), suffix);
    if (path.isEmpty()) return {};
    settings.setValue("plots/exportFolder", QFileInfo(path).absolutePath());
    return path;
}

std::optional<int> askPngDpi(QWidget* parent, int defaultDpi) {
    bool ok = false;
    const int dpi = QInputDialog::getInt(parent, QObject::tr("Export PNG"), QObject::tr("Resolution (dots per inch):"),
                                         defaultDpi, 72, 2400, 50, &ok);
    if (!ok) return std::nullopt;
    return dpi;
}

}  // namespace flipscope::ui
