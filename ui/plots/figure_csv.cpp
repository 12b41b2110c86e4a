// Figure tables as CSV files (writeFigureCsv, readFigureCsv in figure.h) and their number format.
#include "ui/plots/figure_csv.h"

#include "core/common/error.h"
#include "ui/plots/figure.h"

#include <QFile>
#include <QSaveFile>

#include <charconv>
#include <cmath>

namespace flipscope::ui {

namespace figure {

QString tableNumber(double value) {
    if (std::isnan(value)) return QStringLiteral("nan");
    if (std::isinf(value)) return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, static_cast<int>(result.ptr - buffer));
}

QString tableNumber(int64_t value) { return QString::number(static_cast<qlonglong>(value)); }

}  // namespace figure

namespace {

QString csvField(const QString& field) {
    if (!field.contains(',') && !field.contains('"') && !field.contains('\n') && !field.contains('\r')) return field;
    QString quoted = field;
    quoted.replace('"', "\"\"");
    return '"' + quoted + '"';
}

QByteArray csvLine(const QStringList& fields) {
    QStringList out;
    for (const QString& f : fields) out << csvField(f);
    return (out.join(',') + '\n').toUtf8();
}

// Splits one CSV record; quoted fields may hold commas and doubled quotes (not newlines: figure
// tables never contain them).
QStringList parseCsvLine(const QString& line) {
    QStringList fields;
    QString field;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') field += '"', ++i;
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields << field;
            field.clear();
        } else {
            field += c;
        }
    }
    fields << field;
    return fields;
}

}  // namespace

void writeFigureCsv(const FigureTable& table, const QString& path) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw Error(path.toStdString() + ": cannot write the figure's data: " + file.errorString().toStdString());
    file.write(csvLine(table.columns));
    for (const QStringList& row : table.rows) file.write(csvLine(row));
    if (!file.commit())
        throw Error(path.toStdString() + ": cannot write the figure's data: " + file.errorString().toStdString());
}

FigureTable readFigureCsv(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        throw InputError(path.toStdString() + ": cannot open: " + file.errorString().toStdString());
    FigureTable table;
    bool header = true;
    while (!file.atEnd()) {
        QString line = QString::fromUtf8(file.readLine());
        if (line.endsWith('\n')) line.chop(1);
        if (line.isEmpty()) continue;
        if (header) table.columns = parseCsvLine(line);
        else table.rows.push_back(parseCsvLine(line));
        header = false;
    }
    if (header) throw InputError(path.toStdString() + ": empty file, expected a header line");
    return table;
}

}  // namespace flipscope::ui
