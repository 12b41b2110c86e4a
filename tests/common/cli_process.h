#pragma once
// Runs the flipscope-cli binary under test (env FLIPSCOPE_CLI, set by ctest) for the end-to-end
// CLI tests: its exit code (-1 when it crashed or did not finish) and what it printed.
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

namespace flipscope::test {

struct CliRun {
    int code = -1;
    QString out, err;
};

// stopAfterMs >= 0: sends SIGTERM after that long (a clean stop, as a user's Ctrl-C or kill).
inline CliRun runCli(const QStringList& arguments, int stopAfterMs = -1, int timeoutMs = 300000) {
    QProcess process;
    process.start(qEnvironmentVariable("FLIPSCOPE_CLI"), arguments);
    process.waitForStarted();
    if (stopAfterMs >= 0) {
        QTest::qWait(stopAfterMs);
        process.terminate();
    }
    const bool finished = process.waitForFinished(timeoutMs);
    if (!finished) {
        process.kill();
        process.waitForFinished();
    }
    return {finished && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

}  // namespace flipscope::test
