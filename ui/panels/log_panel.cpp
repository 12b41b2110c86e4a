#include "ui/panels/log_panel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QMetaObject>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QVBoxLayout>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>

namespace flipscope::ui {

// Forwards core's spdlog messages (from any thread) to the panel on the UI thread.
struct LogPanel::SpdlogBridge : spdlog::sinks::base_sink<std::mutex> {
    explicit SpdlogBridge(LogPanel* panel) : panel_(panel) {}
    void detach() {
        std::lock_guard lock(mutex_);
        panel_ = nullptr;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        if (!panel_) return;  // mutex_ is held: detach() waits for us
        const QString text = QString::fromUtf8(msg.payload.data(), static_cast<int>(msg.payload.size()));
        const QString level = QString::fromUtf8(spdlog::level::to_string_view(msg.level).data());
        QMetaObject::invokeMethod(panel_, [panel = panel_, text, level] { panel->append(level + ": " + text); },
                                  Qt::QueuedConnection);
    }
    void flush_() override {}

private:
    LogPanel* panel_;
};

LogPanel::LogPanel(QWidget* parent) : QWidget(parent) {
    log_ = new QPlainTextEdit(this);
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    log_->setPlaceholderText("Messages appear here.");
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setTextVisible(false);
    progress_->setMaximumWidth(220);
    progress_->setVisible(false);
    activity_ = new QLabel("Idle", this);
    auto* status = new QHBoxLayout;
    status->addWidget(activity_, 1);
    status->addWidget(progress_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addLayout(status);
    layout->addWidget(log_, 1);

    bridge_ = std::make_shared<SpdlogBridge>(this);
    bridge_->set_level(spdlog::level::info);
    spdlog::default_logger()->sinks().push_back(bridge_);
}

LogPanel::~LogPanel() {
    bridge_->detach();
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), bridge_), sinks.end());
}

QString LogPanel::text() const { return log_->toPlainText(); }

void LogPanel::append(const QString& message) {
    log_->appendPlainText(QDateTime::currentDateTime().toString("HH:mm:ss  ") + message);
}

void LogPanel::setBusy(bool busy, const QString& what) {
    progress_->setRange(0, busy ? 0 : 1);
    progress_->setValue(0);
    progress_->setVisible(busy);
    activity_->setText(busy ? what : QString("Idle"));
}

}  // namespace flipscope::ui
