#pragma once
// A one-line progress bar on stderr: done/total, percentage, rate and ETA. Redraws in place on
// a terminal; prints a line every few seconds when stderr is a file or pipe.
#include <chrono>
#include <cstdint>
#include <string>

namespace flipscope::cli {

class ProgressBar {
public:
    explicit ProgressBar(std::string unit);
    void update(int64_t done, int64_t total, double rate, double etaSeconds);
    void finish();

private:
    std::string unit_;
    bool terminal_ = false;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point lastLine_{};
};

std::string formatDuration(double seconds);

}  // namespace flipscope::cli
