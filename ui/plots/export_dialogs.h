#pragma once
// The questions the GUI asks before exporting a figure: where to (a save dialog filtered to the
// format) and, for PNG, at what resolution. Empty / nullopt when the user cancels.
#include <QString>

#include <optional>

class QWidget;

namespace flipscope::ui {

enum class ExportFormat { Pdf, Svg, Png, Csv };

QString exportFormatSuffix(ExportFormat format);  // "pdf", "svg", "png", "csv"
// `suggestedName` without suffix, e.g. "bits-to-protect"; the dialog remembers the last folder.
QString askExportPath(QWidget* parent, ExportFormat format, const QString& suggestedName);
std::optional<int> askPngDpi(QWidget* parent, int defaultDpi = 300);

}  // namespace flipscope::ui
