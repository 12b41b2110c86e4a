#pragma once
// What the rank, gradient and hessian subcommands share: their options (model, data, loss, bit
// space), the RankingSetup built from them, a stage progress line on stderr, and Ctrl-C as a
// cancel request.
#include "app/cli/args.h"
#include "core/sensitivity/ranking_job.h"

#include <atomic>
#include <set>
#include <string>

namespace flipscope::cli {

inline constexpr int64_t kDefaultRankingSamples = 512;  // the FKeras study's 512 inputs

std::set<std::string> withRankingOptions(std::set<std::string> options);
extern const char* const kRankingOptionsHelp;
// --top-k, --max-iterations, --tolerance (rank and hessian).
std::set<std::string> withEigenOptions(std::set<std::string> options);
extern const char* const kEigenOptionsHelp;

// --layers, --tensors, --bits (also used by campaign).
BitSpaceFilter bitSpaceFilterFromArgs(const Args& args);

// Everything but the method (the eigen options when the command takes them).
RankingSetup rankingSetupFromArgs(const Args& args);

// "stage  42%" lines on stderr, one a second on a terminal, every five seconds otherwise.
SensitivityProgressFn stageProgress(bool quiet);

// While alive, SIGINT/SIGTERM set the cancel flag (its own, or `external`) instead of killing the
// process. Once it is gone a stop request finds nothing left to stop and is ignored: the command
// finishes its output and exits normally (default handlers back then would let a late request
// kill a run that is done while it writes its last lines). One per process at a time.
class CancelOnInterrupt {
public:
    explicit CancelOnInterrupt(std::atomic<bool>* external = nullptr);
    ~CancelOnInterrupt();
    CancelOnInterrupt(const CancelOnInterrupt&) = delete;
    CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;
    const std::atomic<bool>* flag() const { return flag_; }

private:
    std::atomic<bool> cancel_{false};
    std::atomic<bool>* flag_;
};

}  // namespace flipscope::cli
