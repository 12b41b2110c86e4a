#pragma once
// A small command-line parser shared by every flipscope-cli subcommand:
// positionals, `--flag`, `--key value` and `--key=value`, with a usage text for --help.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace flipscope::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // `valueOptions` take a value; `flags` do not. Anything else starting with "--" is an error.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valueOptions,
         const std::set<std::string>& flags);

    bool helpRequested() const { return help_; }
    const std::vector<std::string>& positionals() const { return positionals_; }
    std::string positional(size_t i, const std::string& what) const;  // throws UsageError naming `what`
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    std::string required(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;  // repeated options, in order
    // Numbers with a clear error naming the option.
    std::optional<long long> integer(const std::string& name) const;
    std::optional<double> number(const std::string& name) const;

private:
    bool help_ = false;
    std::vector<std::string> positionals_;
    std::set<std::string> flags_;
    std::multimap<std::string, std::string> values_;
};

std::vector<std::string> splitList(const std::string& text, char separator = ',');

}  // namespace flipscope::cli
