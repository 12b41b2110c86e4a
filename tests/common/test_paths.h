#pragma once
// Where tests find their data. `../shared` (reference vectors and real model files) sits beside
// the clone in CI; a user's clone may not have it: then such tests skip, except under CI=true,
// where a missing `../shared` is a failure.
#include <QtTest>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace flipscope::test {

inline std::filesystem::path sharedDir() {
    const char* dir = std::getenv("FLIPSCOPE_SHARED_DIR");
    return dir ? std::filesystem::path(dir) : std::filesystem::path("../shared");
}

inline std::filesystem::path sourceDir() {
    const char* dir = std::getenv("FLIPSCOPE_SOURCE_DIR");
    return dir ? std::filesystem::path(dir) : std::filesystem::current_path();
}

inline bool runningInCi() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

}  // namespace flipscope::test

// Use inside a test function: skips (or fails under CI=true) when `relative` is missing in ../shared.
#define FLIPSCOPE_REQUIRE_SHARED(var, relative)                                                    \
    const std::filesystem::path var = flipscope::test::sharedDir() / (relative);                   \
    if (!std::filesystem::exists(var)) {                                                           \
        if (flipscope::test::runningInCi())                                                        \
            QFAIL(qPrintable(QString("CI=true but shared data is missing: %1")                     \
                                 .arg(QString::fromStdString(var.string()))));                     \
        QSKIP(qPrintable(QString("shared reference data not found (%1); it sits beside the "       \
                                 "clone in CI")                                                    \
                             .arg(QString::fromStdString(var.string()))));                         \
    }
