#include "ui/main_window.h"

#include "core/io/keras_h5_loader.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QStatusBar>
#include <QTreeWidget>

namespace flipscope::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("Flipscope");
    tree_ = new QTreeWidget(this);
    tree_->setHeaderLabels({"Layer", "Class", "Output shape", "Quantizers"});
    tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setCentralWidget(tree_);
    status_ = new QLabel("No model open", this);
    statusBar()->addWidget(status_);
}

bool MainWindow::openModel(const QString& path) {
    try {
        auto loaded = loadKerasModel(path.toStdString());
        model_ = std::move(loaded.model);
        modelPath_ = path;
    } catch (const std::exception& e) {
        QMessageBox::critical(this, "Cannot open model", QString::fromStdString(e.what()));
        return false;
    }
    showModel();
    return true;
}

void MainWindow::showModel() {
    tree_->clear();
    setWindowTitle(QFileInfo(modelPath_).fileName() + " - Flipscope");
    std::map<std::string, QTreeWidgetItem*> items;
    int64_t params = 0;
    model_->visit([&](const std::string& path, Layer& layer) {
        const auto slash = path.rfind('/');
        QTreeWidgetItem* parent = slash == std::string::npos ? nullptr : items[path.substr(0, slash)];
        QStringList quantizers;
        for (const auto& p : layer.parameters()) {
            if (p.quantizer) quantizers << QString::fromStdString(p.name + ": " + p.quantizer->toString());
            params += p.isQuantized() ? p.effective.size() : 0;
        }
        if (!layer.describe().empty()) quantizers << QString::fromStdString(layer.describe());
        QStringList columns{QString::fromStdString(layer.name()), QString::fromStdString(layer.className()),
                            QString::fromStdString(shapeToString(layer.outputShape())), quantizers.join("; ")};
        auto* item = parent ? new QTreeWidgetItem(parent, columns) : new QTreeWidgetItem(tree_, columns);
        items[path] = item;
    });
    tree_->expandAll();
    status_->setText(QString("%1 — %2 quantized parameters").arg(QFileInfo(modelPath_).fileName()).arg(params));
}

}  // namespace flipscope::ui
