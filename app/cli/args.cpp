#include "app/cli/args.h"

#include <sstream>

namespace flipscope::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valueOptions,
           const std::set<std::string>& flags) {
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            help_ = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            positionals_.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (flags.count(name)) {
            if (inlineValue) throw UsageError("option --" + name + " takes no value");
            flags_.insert(name);
        } else if (valueOptions.count(name)) {
            if (inlineValue) {
                values_.emplace(name, *inlineValue);
            } else {
                if (i + 1 >= argv.size()) throw UsageError("option --" + name + " needs a value");
                values_.emplace(name, argv[++i]);
            }
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::string Args::positional(size_t i, const std::string& what) const {
    if (i >= positionals_.size()) throw UsageError("missing " + what);
    return positionals_[i];
}

std::optional<std::string> Args::value(const std::string& name) const {
    auto range = values_.equal_range(name);
    if (range.first == range.second) return std::nullopt;
    return std::prev(range.second)->second;  // the last one given wins
}

std::string Args::required(const std::string& name) const {
    auto v = value(name);
    if (!v) throw UsageError("missing required option --" + name);
    return *v;
}

std::vector<std::string> Args::values(const std::string& name) const {
    std::vector<std::string> out;
    auto range = values_.equal_range(name);
    for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
    return out;
}

std::optional<long long> Args::integer(const std::string& name) const {
    auto v = value(name);
    if (!v) return std::nullopt;
    try {
        size_t used = 0;
        long long n = std::stoll(*v, &used);
        if (used != v->size()) throw std::invalid_argument("");
        return n;
    } catch (const std::exception&) {
        throw UsageError("option --" + name + " expects a whole number, got '" + *v + "'");
    }
}

std::optional<double> Args::number(const std::string& name) const {
    auto v = value(name);
    if (!v) return std::nullopt;
    try {
        size_t used = 0;
        double n = std::stod(*v, &used);
        if (used != v->size()) throw std::invalid_argument("");
        return n;
    } catch (const std::exception&) {
        throw UsageError("option --" + name + " expects a number, got '" + *v + "'");
    }
}

std::vector<std::string> splitList(const std::string& text, char separator) {
    std::vector<std::string> out;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, separator))
        if (!item.empty()) out.push_back(item);
    return out;
}

}  // namespace flipscope::cli
