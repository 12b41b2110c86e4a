#include "core/io/csv_numbers.h"

#include "core/common/error.h"
#include "core/io/file_bytes.h"

#include <charconv>
#include <optional>
#include <vector>

namespace flipscope {

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && isBlank(text.front())) text.remove_prefix(1);
    while (!text.empty() && isBlank(text.back())) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> splitFields(std::string_view line) {
    std::vector<std::string_view> fields;
    if (line.find(',') != std::string_view::npos) {
        for (size_t start = 0;;) {
            const size_t comma = line.find(',', start);
            fields.push_back(trim(line.substr(start, comma - start)));
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
    } else {
        for (size_t start = 0; start < line.size();) {
            while (start < line.size() && isBlank(line[start])) ++start;
            size_t end = start;
            while (end < line.size() && !isBlank(line[end])) ++end;
            if (end > start) fields.push_back(line.substr(start, end - start));
            start = end;
        }
    }
    return fields;
}

std::optional<double> parseNumber(std::string_view field) {
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = trim(field.substr(1, field.size() - 2));
    if (!field.empty() && field.front() == '+') field.remove_prefix(1);  // from_chars rejects a leading '+'
    double value = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size()) return std::nullopt;
    return value;
}

}  // namespace

Tensor parseCsvNumbers(std::string_view text, const std::string& name) {
    if (text.find('\0') != std::string_view::npos)
        throw InputError(name + ": contains binary data, expected CSV text of numbers");
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte-order mark
    std::vector<float> values;
    int64_t rows = 0;
    size_t columns = 0;
    size_t firstRowLine = 0;
    bool sawFirstRow = false;
    size_t lineNumber = 0;
    for (size_t start = 0; start <= text.size(); ++lineNumber) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = trim(text.substr(start, end - start));
        start = end + 1;
        if (line.empty()) continue;

        const std::vector<std::string_view> fields = splitFields(line);
        std::vector<double> parsed;
        std::optional<size_t> badField;
        for (size_t i = 0; i < fields.size() && !badField; ++i) {
            if (const auto value = parseNumber(fields[i])) parsed.push_back(*value);
            else badField = i;
        }
        if (!sawFirstRow) {
            sawFirstRow = true;
            if (badField) continue;  // a header row
        }
        if (badField)
            throw InputError(name + " line " + std::to_string(lineNumber + 1) + ": '" + std::string(fields[*badField]) +
                             "' (column " + std::to_string(*badField + 1) + ") is not a number");
        if (rows == 0) {
            columns = parsed.size();
            firstRowLine = lineNumber + 1;
        } else if (parsed.size() != columns) {
            throw InputError(name + " line " + std::to_string(lineNumber + 1) + ": " + std::to_string(parsed.size()) +
                             " values, expected " + std::to_string(columns) + " (as on line " +
                             std::to_string(firstRowLine) + ")");
        }
        values.insert(values.end(), parsed.begin(), parsed.end());
        ++rows;
    }
    if (rows == 0) throw InputError(name + ": no rows of numbers found");
    return Tensor({rows, static_cast<int64_t>(columns)}, std::move(values));
}

Tensor readCsvNumbers(const std::string& path) {
    const std::vector<unsigned char> bytes = readFileBytes(path);
    return parseCsvNumbers(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), path);
}

}  // namespace flipscope
