#include "ui/session/throttled_delivery.h"

#include <QMetaObject>

namespace flipscope::ui {

ThrottledDelivery::ThrottledDelivery(QObject* receiver, std::function<void()> deliver, std::chrono::milliseconds interval)
    : receiver_(receiver), deliver_(std::move(deliver)), interval_(interval) {}

void ThrottledDelivery::request(bool force) {
    {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        if (posted_ || (!force && now - lastPost_ < interval_)) return;
        posted_ = true;
        lastPost_ = now;
    }
    // Dropped by Qt if the receiver is gone; its owner joins the worker before that.
    QMetaObject::invokeMethod(receiver_, deliver_, Qt::QueuedConnection);
}

void ThrottledDelivery::delivered() {
    std::lock_guard lock(mutex_);
    posted_ = false;
}

void ThrottledDelivery::reset() {
    std::lock_guard lock(mutex_);
    posted_ = false;
    lastPost_ = {};
}

}  // namespace flipscope::ui
