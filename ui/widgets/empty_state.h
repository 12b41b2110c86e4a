#pragma once
// What the centre shows when no model is open: a short explanation and an "Open model…" button.
#include <QWidget>

class QLabel;

namespace flipscope::ui {

class EmptyState : public QWidget {
    Q_OBJECT
public:
    explicit EmptyState(QWidget* parent = nullptr);
    void setDetail(const QString& detail);

signals:
    void openModelRequested();

private:
    QLabel* detail_ = nullptr;
};

}  // namespace flipscope::ui
