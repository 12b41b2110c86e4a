#pragma once
// work(c) for every chunk c in [0, count), handed out in order to up to `threads` threads (the
// calling thread is one of them; 0 means one per hardware thread). Callers keep their results per
// chunk, so nothing they compute depends on the thread count. The first exception a chunk throws
// stops the handing out and is rethrown here once all threads are done.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace flipscope {

template <class Work>
void parallelChunks(int64_t count, int threads, const Work& work) {
    if (count <= 0) return;
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = static_cast<int>(std::min<int64_t>(threads, count));
    std::atomic<int64_t> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto run = [&] {
        for (int64_t c; (c = next++) < count;) {
            try {
                work(c);
            } catch (...) {
                std::lock_guard lock(failureMutex);
                if (!failure) failure = std::current_exception();
                next = count;
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(run);
    run();
    for (auto& thread : pool) thread.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace flipscope
