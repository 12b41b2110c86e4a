#include "core/faults/results_store.h"

#include "core/common/error.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace flipscope {
namespace {

// Column datasets under /faults; each has one row per evaluated fault.
const char* const kIntColumns[] = {"index", "global_bit", "tensor", "param", "bit", "protect", "trial", "bit_count"};
const char* const kRealColumns[] = {"original", "flipped", "metric", "delta", "ber"};

std::string column(const std::string& name) { return "/faults/" + name; }

void writeInfo(h5::File& file, const CampaignInfo& info) {
    file.writeStringAttribute("/", "format", "flipscope-campaign");
    file.writeNumberAttribute("/", "format_version", kResultsFormatVersion);
    const nlohmann::json meta = {
        {"model", info.modelPath},        {"model_fingerprint", info.modelFingerprint},
        {"config", info.configPath},      {"data", info.dataSpec},
        {"data_fingerprint", info.dataFingerprint},
        {"labels", info.labelsSpec},      {"labels_fingerprint", info.labelsFingerprint},
        {"metric", info.metric},          {"lower_is_better", info.lowerIsBetter},
        {"plan", info.plan.toJson()},     {"engine", info.engine},
        {"samples", info.samples},        {"baseline", info.baseline},
        {"total_faults", info.totalFaults}, {"bit_space", info.bitSpace}};
    file.writeStringAttribute("/", "campaign", meta.dump());
}

}  // namespace

ResultsWriter::ResultsWriter(h5::File file, int64_t rows)
    : file_(std::move(file)), rows_(rows), lastFlush_(std::chrono::steady_clock::now()) {}

ResultsWriter ResultsWriter::create(const std::string& path, const CampaignInfo& info, bool overwrite) {
    if (std::filesystem::exists(path) && !overwrite)
        throw InputError(path + ": exists already; use --resume to continue it, or choose another --out");
    h5::File file = h5::File::create(path);
    writeInfo(file, info);
    file.writeStringAttribute("/", "status", "running");
    for (const char* c : kIntColumns) file.createAppendable(column(c), {}, h5::NumberType::Int64, 4096);
    for (const char* c : kRealColumns) file.createAppendable(column(c), {}, h5::NumberType::Float64, 4096);
    // Multi-bit faults: one row per flipped bit (fault index, global bit).
    file.createAppendable("/fault_bits", {2}, h5::NumberType::Int64, 4096);
    file.flush();
    return ResultsWriter(std::move(file), 0);
}

ResultsWriter ResultsWriter::reopen(const std::string& path) {
    h5::File file = h5::File::openReadWrite(path);
    const int64_t rows = file.datasetShape(column("index")).at(0);
    // Columns are appended one after another; a crash between them can leave some longer.
    // The common length is what was fully written; rows beyond it are evaluated again.
    int64_t complete = rows;
    for (const char* c : kIntColumns) complete = std::min(complete, file.datasetShape(column(c)).at(0));
    for (const char* c : kRealColumns) complete = std::min(complete, file.datasetShape(column(c)).at(0));
    if (complete != rows)
        throw InputError(path + ": columns have different lengths (the writer was stopped mid-row); resume needs a "
                                "file whose rows are complete");
    file.writeStringAttribute("/", "status", "running");
    return ResultsWriter(std::move(file), rows);
}

void ResultsWriter::append(const std::vector<FaultResult>& results) {
    if (results.empty()) return;
    const size_t n = results.size();
    std::vector<int64_t> ints(n);
    std::vector<double> reals(n);
    auto putInts = [&](const char* name, auto get) {
        for (size_t i = 0; i < n; ++i) ints[i] = get(results[i]);
        file_.appendRows(column(name), ints.data(), static_cast<int64_t>(n));
    };
    auto putReals = [&](const char* name, auto get) {
        for (size_t i = 0; i < n; ++i) reals[i] = get(results[i]);
        file_.appendRows(column(name), reals.data(), static_cast<int64_t>(n));
    };
    std::vector<int64_t> bitRows;
    for (const FaultResult& r : results)
        for (int64_t b : r.bits) bitRows.insert(bitRows.end(), {r.faultIndex, b});
    if (!bitRows.empty()) file_.appendRows("/fault_bits", bitRows.data(), static_cast<int64_t>(bitRows.size() / 2));
    // "index" last: a row counts as written only once every column has it.
    putInts("global_bit", [](const FaultResult& r) { return r.globalBit; });
    putInts("tensor", [](const FaultResult& r) { return int64_t{r.tensor}; });
    putInts("param", [](const FaultResult& r) { return r.param; });
    putInts("bit", [](const FaultResult& r) { return int64_t{r.bit}; });
    putInts("protect", [](const FaultResult& r) { return int64_t{r.protect}; });
    putInts("trial", [](const FaultResult& r) { return int64_t{r.trial}; });
    putInts("bit_count", [](const FaultResult& r) { return static_cast<int64_t>(r.bits.size()); });
    putReals("original", [](const FaultResult& r) { return r.original; });
    putReals("flipped", [](const FaultResult& r) { return r.flipped; });
    putReals("metric", [](const FaultResult& r) { return r.metric; });
    putReals("delta", [](const FaultResult& r) { return r.delta; });
    putReals("ber", [](const FaultResult& r) { return r.bitErrorRate; });
    putInts("index", [](const FaultResult& r) { return r.faultIndex; });
    rows_ += static_cast<int64_t>(n);
    if (std::chrono::steady_clock::now() - lastFlush_ >= std::chrono::seconds(1)) flush();
}

void ResultsWriter::setStatus(const std::string& status) {
    file_.writeStringAttribute("/", "status", status);
    flush();
}

void ResultsWriter::flush() {
    file_.flush();
    lastFlush_ = std::chrono::steady_clock::now();
}

CampaignInfo readCampaignInfo(const std::string& path) {
    const h5::File file = h5::File::openRead(path);
    if (!file.hasAttribute("/", "format") || file.stringAttribute("/", "format") != "flipscope-campaign")
        throw InputError(path + ": not a Flipscope campaign results file");
    const int version = static_cast<int>(file.numberAttribute("/", "format_version"));
    if (version > kResultsFormatVersion)
        throw InputError(path + ": results format version " + std::to_string(version) +
                         " is newer than this Flipscope understands (" + std::to_string(kResultsFormatVersion) + ")");
    nlohmann::json meta;
    try {
        meta = nlohmann::json::parse(file.stringAttribute("/", "campaign"));
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path + ": damaged campaign description (" + e.what() + ")");
    }
    CampaignInfo info;
    info.modelPath = meta.value("model", "");
    info.modelFingerprint = meta.value("model_fingerprint", "");
    info.configPath = meta.value("config", "");
    info.dataSpec = meta.value("data", "");
    info.dataFingerprint = meta.value("data_fingerprint", "");
    info.labelsSpec = meta.value("labels", "");
    info.labelsFingerprint = meta.value("labels_fingerprint", "");
    info.metric = meta.value("metric", "");
    info.lowerIsBetter = meta.value("lower_is_better", true);
    info.plan = CampaignPlan::fromJson(meta.at("plan"));
    info.engine = meta.value("engine", "reference");
    info.samples = meta.value("samples", int64_t{0});
    info.baseline = meta.value("baseline", 0.0);
    info.totalFaults = meta.value("total_faults", int64_t{0});
    info.bitSpace = meta.value("bit_space", nlohmann::json::array());
    info.status = file.stringAttribute("/", "status");
    return info;
}

CampaignResults readCampaignResults(const std::string& path) {
    CampaignResults results;
    results.info = readCampaignInfo(path);
    const h5::File file = h5::File::openRead(path);
    const auto index = file.readInts(column("index"));
    const size_t n = index.size();
    auto ints = [&](const char* name) {
        auto v = file.readInts(column(name));
        if (v.size() < n) throw InputError(path + ": column '" + name + "' is shorter than the index");
        return v;
    };
    auto reals = [&](const char* name) {
        auto v = file.readDoubles(column(name));
        if (v.size() < n) throw InputError(path + ": column '" + name + "' is shorter than the index");
        return v;
    };
    const auto global = ints("global_bit"), tensor = ints("tensor"), param = ints("param"), bit = ints("bit"),
               protect = ints("protect"), trial = ints("trial");
    const auto original = reals("original"), flipped = reals("flipped"), metric = reals("metric"),
               delta = reals("delta"), ber = reals("ber");
    results.faults.resize(n);
    for (size_t i = 0; i < n; ++i) {
        FaultResult& r = results.faults[i];
        r.faultIndex = index[i];
        r.globalBit = global[i];
        r.tensor = static_cast<int>(tensor[i]);
        r.param = param[i];
        r.bit = static_cast<int>(bit[i]);
        r.protect = protect[i] != 0;
        r.trial = static_cast<int>(trial[i]);
        r.original = original[i];
        r.flipped = flipped[i];
        r.metric = metric[i];
        r.delta = delta[i];
        r.bitErrorRate = ber[i];
    }
    const auto bitRows = file.readInts("/fault_bits");
    for (size_t i = 0; i + 1 < bitRows.size(); i += 2) {
        const int64_t fault = bitRows[i];
        if (fault >= 0 && fault < static_cast<int64_t>(n) && results.faults[fault].faultIndex == fault)
            results.faults[fault].bits.push_back(bitRows[i + 1]);
    }
    return results;
}

void checkResumable(const CampaignInfo& existing, const CampaignInfo& requested, const std::string& path) {
    auto require = [&](bool same, const std::string& what, const std::string& was, const std::string& now) {
        if (!same)
            throw InputError(path + ": cannot resume: the " + what + " differs (results file: " + was +
                             ", now: " + now + ")");
    };
    require(existing.modelFingerprint == requested.modelFingerprint, "model file content", existing.modelFingerprint,
            requested.modelFingerprint);
    require(existing.dataFingerprint == requested.dataFingerprint, "dataset content", existing.dataFingerprint,
            requested.dataFingerprint);
    require(existing.labelsFingerprint == requested.labelsFingerprint, "labels content", existing.labelsFingerprint,
            requested.labelsFingerprint);
    require(existing.metric == requested.metric, "metric", existing.metric, requested.metric);
    require(existing.plan.toString() == requested.plan.toString(), "plan", existing.plan.toString(),
            requested.plan.toString());
    require(existing.plan.seed == requested.plan.seed, "seed", std::to_string(existing.plan.seed),
            std::to_string(requested.plan.seed));
    require(existing.samples == requested.samples, "sample count", std::to_string(existing.samples),
            std::to_string(requested.samples));
    // Files written before the bit space recorded each tensor's units hold the same tensors, but
    // their faults went in the flat order of the weights, not unit by unit (campaign_plan.h).
    nlohmann::json withoutUnits = requested.bitSpace;
    if (withoutUnits.is_array())
        for (auto& tensor : withoutUnits)
            if (tensor.is_object()) tensor.erase("units");
    if (existing.bitSpace != requested.bitSpace && existing.bitSpace == withoutUnits)
        throw InputError(path + ": cannot resume: its faults were planned weight after weight, by an earlier "
                                "version; this version plans them unit by unit. Start the campaign anew (another "
                                "results file, or replace this one)");
    require(existing.bitSpace == requested.bitSpace, "bit space (layers/tensors/bits)", existing.bitSpace.dump(),
            requested.bitSpace.dump());
}

void writeResultsCsv(const CampaignResults& results, const std::string& path) {
    std::ofstream out(path);
    if (!out) throw InputError(path + ": cannot be written");
    const auto& tensors = results.info.bitSpace;
    char line[512];
    if (results.info.plan.singleBit()) {
        out << "layer,tensor,index,bit,original,flipped,metric,delta,protect\n";
        for (const FaultResult& r : results.faults) {
            const auto& t = tensors.at(r.tensor);
            std::snprintf(line, sizeof line, "%s,%s,%lld,%d,%.9g,%.9g,%.17g,%.17g,%d\n",
                          t.at("layer").get<std::string>().c_str(), t.at("tensor").get<std::string>().c_str(),
                          static_cast<long long>(r.param), r.bit, r.original, r.flipped, r.metric, r.delta,
                          r.protect ? 1 : 0);
            out << line;
        }
    } else {
        out << "ber,trial,bit_count,metric,delta,protect\n";
        for (const FaultResult& r : results.faults) {
            std::snprintf(line, sizeof line, "%.9g,%d,%zu,%.17g,%.17g,%d\n", r.bitErrorRate, r.trial, r.bits.size(),
                          r.metric, r.delta, r.protect ? 1 : 0);
            out << line;
        }
    }
    if (!out.flush()) throw InputError(path + ": write failed (disk full?)");
}

}  // namespace flipscope
