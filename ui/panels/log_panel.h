#pragma once
// The bottom dock: a log of what happened (files opened, flips, warnings, core's spdlog messages)
// and a progress bar that is busy while the samples are re-run in the background.
#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QProgressBar;

namespace flipscope::ui {

class LogPanel : public QWidget {
    Q_OBJECT
public:
    explicit LogPanel(QWidget* parent = nullptr);
    ~LogPanel() override;

    QString text() const;

public slots:
    void append(const QString& message);
    void setBusy(bool busy, const QString& what = {});

private:
    QPlainTextEdit* log_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* activity_ = nullptr;
    struct SpdlogBridge;
    std::shared_ptr<SpdlogBridge> bridge_;
};

}  // namespace flipscope::ui
