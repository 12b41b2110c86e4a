#pragma once
// The subcommands of flipscope-cli. Each lives in its own command_<name>.cpp, takes the
// arguments after its name, prints its own --help, and returns the process exit code.
// Errors are thrown (flipscope::Error, cli::UsageError) and turned into one line by main.
#include <string>
#include <vector>

namespace flipscope::cli {

using CommandArgs = std::vector<std::string>;

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const CommandArgs& args);
};

int runInfo(const CommandArgs& args);
int runQuantize(const CommandArgs& args);
int runPredict(const CommandArgs& args);
int runInitModel(const CommandArgs& args);
int runTrain(const CommandArgs& args);
int runSynthHgcal(const CommandArgs& args);
int runExportData(const CommandArgs& args);
int runCampaign(const CommandArgs& args);
int runSummary(const CommandArgs& args);
int runEmd(const CommandArgs& args);
int runEvaluate(const CommandArgs& args);
int runRank(const CommandArgs& args);
int runGradient(const CommandArgs& args);
int runHessian(const CommandArgs& args);
int runCompare(const CommandArgs& args);
#ifdef FLIPSCOPE_CLI_PLOT
int runPlot(const CommandArgs& args);  // needs the Qt figure code (GUI=ON builds)
#endif

// All subcommands, in the order `flipscope-cli --help` lists them.
const std::vector<Command>& commands();

}  // namespace flipscope::cli
