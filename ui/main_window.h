#pragma once
// The Flipscope main window: opens a model and shows what it holds.
#include "core/model/model.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QTreeWidget;

namespace flipscope::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Opens a model file; on failure shows the error and keeps the current model.
    bool openModel(const QString& path);
    const Model* model() const { return model_.get(); }

private:
    void showModel();

    std::unique_ptr<Model> model_;
    QString modelPath_;
    QTreeWidget* tree_ = nullptr;
    QLabel* status_ = nullptr;
};

}  // namespace flipscope::ui
