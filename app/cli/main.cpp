// flipscope-cli: headless Flipscope for scripts, clusters and CI.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "core/common/error.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

using namespace flipscope;

static void printUsage() {
    std::cout << "Usage: flipscope-cli <command> [options]   (flipscope-cli <command> --help for details)\n\n"
                 "Commands:\n";
    for (const auto& c : cli::commands()) std::printf("  %-10s %s\n", c.name, c.summary);
}

int main(int argc, char** argv) {
    // Logs go to stderr; stdout is reserved for results.
    spdlog::set_default_logger(spdlog::stderr_color_mt("flipscope"));
    spdlog::set_pattern("%^%l%$: %v");
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        printUsage();
        return argc < 2 ? 2 : 0;
    }
    const std::string name = argv[1];
    cli::CommandArgs args(argv + 2, argv + argc);
    for (const auto& command : cli::commands()) {
        if (name != command.name) continue;
        try {
            return command.run(args);
        } catch (const cli::UsageError& e) {
            std::cerr << "flipscope-cli " << name << ": " << e.what() << " (see flipscope-cli " << name
                      << " --help)\n";
            return 2;
        } catch (const Cancelled&) {
            std::cerr << "flipscope-cli " << name << ": cancelled\n";
            return 130;
        } catch (const std::exception& e) {
            std::cerr << "flipscope-cli " << name << ": error: " << e.what() << "\n";
            return 1;
        }
    }
    std::cerr << "flipscope-cli: unknown command '" << name << "' (see flipscope-cli --help)\n";
    return 2;
}
