#include "app/cli/progress_bar.h"

#include <cstdio>
#include <unistd.h>

namespace flipscope::cli {

std::string formatDuration(double seconds) {
    if (!(seconds >= 0) || seconds > 1e7) return "?";
    const long s = static_cast<long>(seconds + 0.5);
    char text[32];
    if (s >= 3600) std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else if (s >= 60) std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
    else std::snprintf(text, sizeof text, "%lds", s);
    return text;
}

ProgressBar::ProgressBar(std::string unit) : unit_(std::move(unit)), terminal_(isatty(STDERR_FILENO)) {}

void ProgressBar::update(int64_t done, int64_t total, double rate, double etaSeconds) {
    const auto now = std::chrono::steady_clock::now();
    if (!terminal_ && now - lastLine_ < std::chrono::seconds(5) && done < total) return;
    lastLine_ = now;
    const double fraction = total > 0 ? double(done) / double(total) : 1.0;
    constexpr int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::string bar(filled, '#');
    bar += std::string(width - filled, '.');
    std::fprintf(stderr, "%s[%s] %lld/%lld %s (%5.1f%%)  %.1f %s/s  ETA %s%s", terminal_ ? "\r" : "", bar.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total), unit_.c_str(), 100.0 * fraction, rate,
                 unit_.c_str(), formatDuration(etaSeconds).c_str(), terminal_ ? "   " : "\n");
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::finish() {
    if (terminal_ && drawn_) std::fprintf(stderr, "\n");
}

}  // namespace flipscope::cli
