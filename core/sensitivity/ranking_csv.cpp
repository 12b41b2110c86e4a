#include "core/sensitivity/ranking_csv.h"

#include "core/common/error.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace flipscope {

namespace {

constexpr const char* kHeader = "rank,layer,tensor,index,bit,score";

std::vector<std::string> splitFields(const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
}

std::string trimmed(std::string text) {
    const auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), notSpace));
    text.erase(std::find_if(text.rbegin(), text.rend(), notSpace).base(), text.end());
    return text;
}

// Reads one ranking file line by line; every error names the file and line.
class RankingReader {
public:
    RankingReader(const std::string& path, const BitSpace& space) : path_(path), space_(space) {}

    BitRanking read() {
        std::ifstream in(path_);
        if (!in) throw InputError(path_ + ": cannot open the ranking file");
        std::string line;
        if (!std::getline(in, line) || trimmed(line) != kHeader)
            fail(1, "expected the header '" + std::string(kHeader) + "', found '" + trimmed(line) + "'");
        struct Row {
            int64_t rank;
            int64_t bit;
            double score;
        };
        std::vector<Row> rows;
        std::vector<int64_t> lineOfBit(static_cast<size_t>(space_.size()), 0);
        for (int64_t number = 2; std::getline(in, line); ++number) {
            line = trimmed(line);
            if (line.empty()) continue;
            const std::vector<std::string> f = splitFields(line);
            if (f.size() != 6) fail(number, "expected 6 fields (" + std::string(kHeader) + "), found " + std::to_string(f.size()));
            const int64_t rank = integer(f[0], "rank", number);
            const int tensor = space_.findTensor(f[1], f[2]);
            if (tensor < 0) fail(number, "layer '" + f[1] + "' tensor '" + f[2] + "' is not in the model's bit space");
            const BitSpaceTensor& t = space_.tensors()[tensor];
            const int64_t index = integer(f[3], "index", number);
            if (index < 0 || index >= t.params)
                fail(number, "index " + f[3] + " is out of range for " + t.layerPath + " " + t.tensor + " (" +
                                 std::to_string(t.params) + " parameters)");
            const int64_t bit = integer(f[4], "bit", number);
            if (std::find(t.bits.begin(), t.bits.end(), bit) == t.bits.end())
                fail(number, "bit " + f[4] + " is not a selected bit of " + t.layerPath + " " + t.tensor + " (" +
                                 std::to_string(t.bitWidth) + "-bit)");
            const int64_t global = space_.globalIndex({tensor, index, static_cast<int>(bit)});
            if (lineOfBit[global] != 0)
                fail(number, "repeats the bit of line " + std::to_string(lineOfBit[global]) + " (" +
                                 space_.describe(space_.address(global)) + ")");
            lineOfBit[global] = number;
            rows.push_back({rank, global, real(f[5], "score", number)});
        }
        std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.rank < b.rank; });
        BitRanking ranking;
        ranking.method = std::filesystem::path(path_).stem().string();
        for (const Row& r : rows) {
            ranking.order.push_back(r.bit);
            ranking.score.push_back(r.score);
        }
        return ranking;
    }

private:
    [[noreturn]] void fail(int64_t line, const std::string& what) const {
        throw InputError(path_ + ":" + std::to_string(line) + ": " + what);
    }

    int64_t integer(const std::string& text, const char* field, int64_t line) const {
        int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || text.empty())
            fail(line, std::string(field) + " '" + text + "' is not an integer");
        return value;
    }

    double real(const std::string& text, const char* field, int64_t line) const {
        // strtod rather than from_chars: it also accepts "nan" and "inf" as written by writeRankingCsv.
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size())
            fail(line, std::string(field) + " '" + text + "' is not a number");
        return value;
    }

    std::string path_;
    const BitSpace& space_;
};

}  // namespace

void writeRankingCsv(const BitRanking& ranking, const BitSpace& space, const std::string& path) {
    if (ranking.score.size() != ranking.order.size())
        throw InputError("ranking '" + ranking.method + "': " + std::to_string(ranking.score.size()) + " scores for " +
                         std::to_string(ranking.order.size()) + " bits");
    std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(path.c_str(), "w"), std::fclose);
    if (!out) throw InputError(path + ": cannot write the ranking file");
    std::fprintf(out.get(), "%s\n", kHeader);
    for (size_t i = 0; i < ranking.order.size(); ++i) {
        const BitAddress a = space.address(ranking.order[i]);
        const BitSpaceTensor& t = space.tensors()[a.tensor];
        std::fprintf(out.get(), "%zu,%s,%s,%lld,%d,%.17g\n", i + 1, t.layerPath.c_str(), t.tensor.c_str(),
                     static_cast<long long>(a.index), a.bit, ranking.score[i]);
    }
    if (std::fflush(out.get()) != 0 || std::ferror(out.get())) throw InputError(path + ": error writing the ranking file");
}

BitRanking readRankingCsv(const std::string& path, const BitSpace& space) { return RankingReader(path, space).read(); }

}  // namespace flipscope
