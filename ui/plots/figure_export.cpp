// exportFigure (figure.h): the plot drawn at the style's physical size into PDF, SVG or PNG.
//
// QCustomPlot lays a plot out with font metrics of the screen's logical DPI, whatever the target.
// So every target here is given that same DPI as its resolution, and the page or image gets the
// style's size in those units: the layout computed for the screen is then exactly the one drawn,
// and 9 pt text is 9 pt on paper. PNG is drawn at the screen DPI and scaled up to the chosen one.
#include "ui/plots/figure.h"

#include "core/common/error.h"

#include <QFileInfo>
#include <QImage>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include <cmath>

namespace flipscope::ui {

namespace {

constexpr double kCmPerInch = 2.54;

struct LogicalSize {
    double dpi = 96.0;  // the layout's (screen's) logical DPI
    int width = 0, height = 0;
};

LogicalSize logicalSize(const QCustomPlot& plot, const FigureStyle& style) {
    LogicalSize size;
    size.dpi = plot.logicalDpiX() > 0 ? plot.logicalDpiX() : 96.0;
    size.width = static_cast<int>(std::lround(style.widthCm / kCmPerInch * size.dpi));
    size.height = static_cast<int>(std::lround(style.heightCm / kCmPerInch * size.dpi));
    return size;
}

[[noreturn]] void cannotWrite(const QString& path, const QString& why) {
    throw Error(path.toStdString() + ": cannot write the figure: " + why.toStdString());
}

// Vector targets draw with cosmetic pens widened as QCustomPlot's own savePdf does.
void drawVector(QCustomPlot& plot, QPaintDevice& device, const LogicalSize& size) {
    QCPPainter painter;
    if (!painter.begin(&device)) return;
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setMode(QCPPainter::pmNonCosmetic);
    plot.toPainter(&painter, size.width, size.height);
    painter.end();
}

void exportPdf(QCustomPlot& plot, const QString& path, const FigureStyle& style, const LogicalSize& size) {
    QPdfWriter writer(path);
    writer.setCreator("Flipscope");
    writer.setTitle(QFileInfo(path).completeBaseName());
    writer.setResolution(static_cast<int>(std::lround(size.dpi)));
    writer.setPageSize(QPageSize(QSizeF(style.widthCm * 10.0, style.heightCm * 10.0), QPageSize::Millimeter, QString(),
                                 QPageSize::ExactMatch));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    drawVector(plot, writer, size);
}

void exportSvg(QCustomPlot& plot, const QString& path, const LogicalSize& size) {
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setTitle(QFileInfo(path).completeBaseName());
    generator.setDescription("Flipscope figure");
    generator.setResolution(static_cast<int>(std::lround(size.dpi)));
    generator.setSize(QSize(size.width, size.height));
    generator.setViewBox(QRect(0, 0, size.width, size.height));
    drawVector(plot, generator, size);
}

void exportPng(QCustomPlot& plot, const QString& path, const FigureStyle& style, const LogicalSize& size, int dpi) {
    const double dotsPerMeter = 100.0 / kCmPerInch;
    QImage image(static_cast<int>(std::lround(style.widthCm / kCmPerInch * dpi)),
                 static_cast<int>(std::lround(style.heightCm / kCmPerInch * dpi)), QImage::Format_ARGB32);
    if (image.isNull()) cannotWrite(path, QString("a %1 dpi image of this size is too large").arg(dpi));
    image.fill(Qt::white);
    // Fonts are sized by the device's DPI: draw at the screen's, record the chosen one afterwards.
    image.setDotsPerMeterX(static_cast<int>(std::lround(size.dpi * dotsPerMeter)));
    image.setDotsPerMeterY(static_cast<int>(std::lround(size.dpi * dotsPerMeter)));
    {
        QCPPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        painter.setMode(QCPPainter::pmNoCaching);
        painter.scale(double(image.width()) / size.width, double(image.height()) / size.height);
        plot.toPainter(&painter, size.width, size.height);
    }
    image.setDotsPerMeterX(static_cast<int>(std::lround(dpi * dotsPerMeter)));
    image.setDotsPerMeterY(static_cast<int>(std::lround(dpi * dotsPerMeter)));
    if (!image.save(path, "PNG")) cannotWrite(path, "the PNG encoder failed (is the folder writable?)");
}

}  // namespace

void exportFigure(QCustomPlot& plot, const QString& path, const FigureStyle& style, int dpi) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != "pdf" && suffix != "svg" && suffix != "png")
        cannotWrite(path, "unknown format '" + suffix + "' (use .pdf, .svg or .png)");
    if (dpi < 10 || dpi > 2400) cannotWrite(path, QString("%1 dpi is out of range (10 to 2400)").arg(dpi));
    const QFileInfo dir(QFileInfo(path).absolutePath());
    if (!dir.isDir() || !dir.isWritable()) cannotWrite(path, "the folder does not exist or is not writable");
    const LogicalSize size = logicalSize(plot, style);
    if (suffix == "pdf") exportPdf(plot, path, style, size);
    else if (suffix == "svg") exportSvg(plot, path, size);
    else exportPng(plot, path, style, size, dpi);
    if (QFileInfo(path).size() <= 0) cannotWrite(path, "nothing was written");
}

}  // namespace flipscope::ui
