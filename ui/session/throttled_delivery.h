#pragma once
// Posts a "deliver what is pending" call from a worker thread to the UI thread, throttled: at most
// one such call is queued at a time, and (unless forced) not more often than the interval. Worker
// threads call request() after adding to their pending data; the UI thread's delivery calls
// delivered() before taking that data, so nothing added afterwards is missed.
#include <QObject>

#include <chrono>
#include <functional>
#include <mutex>

namespace flipscope::ui {

class ThrottledDelivery {
public:
    ThrottledDelivery(QObject* receiver, std::function<void()> deliver, std::chrono::milliseconds interval);

    void request(bool force = false);  // any thread
    void delivered();                  // the receiver's thread, first thing in the delivery
    void reset();

private:
    QObject* receiver_;
    std::function<void()> deliver_;
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    bool posted_ = false;
    std::chrono::steady_clock::time_point lastPost_;
};

}  // namespace flipscope::ui
