// flipscope [MODEL.h5]: the desktop workbench.
#include "ui/main_window.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("Flipscope");
    QApplication::setOrganizationName("Flipscope");
    QCommandLineParser parser;
    parser.setApplicationDescription("Bit-flip sensitivity workbench for quantized neural networks");
    parser.addHelpOption();
    parser.addPositionalArgument("model", "Keras/QKeras .h5 model to open");
    parser.process(app);

    flipscope::ui::MainWindow window;
    window.resize(1100, 700);
    window.show();
    if (!parser.positionalArguments().isEmpty()) window.openModel(parser.positionalArguments().first());
    return app.exec();
}
