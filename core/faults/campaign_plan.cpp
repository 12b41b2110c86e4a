#include "core/faults/campaign_plan.h"

#include "core/common/error.h"
#include "core/common/random.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace flipscope {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, separator);) parts.push_back(part);
    return parts;
}

double parseNumber(const std::string& text, const std::string& what) {
    try {
        size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw InputError("campaign plan: " + what + " '" + text + "' is not a number");
}

// `count` distinct values of [0, population) in increasing order (Floyd's algorithm).
std::vector<int64_t> sampleWithoutRepeats(int64_t population, int64_t count, SplitMix64& rng) {
    std::vector<int64_t> chosen;
    std::map<int64_t, bool> taken;
    for (int64_t j = population - count; j < population; ++j) {
        const int64_t t = static_cast<int64_t>(rng.below(static_cast<uint64_t>(j + 1)));
        const int64_t pick = taken.count(t) ? j : t;
        taken[pick] = true;
        chosen.push_back(pick);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

// A bit's place in plan order: its tensor, the unit its weight feeds (BitSpaceTensor::units),
// the weight's row, then the bit, MSB first. The faults of one Dense unit or Conv2D output channel
// come together, so that an engine evaluating them as one group (the fast engine) completes the
// plan's results in order as it goes, and they can be handed over and saved as they come.
int64_t unitByUnitPosition(const BitSpace& space, int64_t global) {
    const BitAddress a = space.address(global);
    const BitSpaceTensor& t = space.tensors()[a.tensor];
    const int64_t width = static_cast<int64_t>(t.bits.size());
    const int64_t bitRank = (global - t.offset) % width;
    const int64_t unit = a.index % t.units, row = a.index / t.units;
    return t.offset + (unit * (t.params / t.units) + row) * width + bitRank;
}

void sortUnitByUnit(std::vector<int64_t>& globals, const BitSpace& space) {
    std::vector<std::pair<int64_t, int64_t>> keyed;
    keyed.reserve(globals.size());
    for (int64_t g : globals) keyed.emplace_back(unitByUnitPosition(space, g), g);
    std::sort(keyed.begin(), keyed.end());
    for (size_t i = 0; i < keyed.size(); ++i) globals[i] = keyed[i].second;
}

PlannedFault singleBit(const BitSpace& space, int64_t global) {
    PlannedFault f;
    f.fault = Fault::singleFlip(space.address(global));
    f.globalBit = global;
    return f;
}

}  // namespace

CampaignPlan CampaignPlan::parse(const std::string& spec) {
    const auto parts = split(spec, ':');
    CampaignPlan plan;
    const std::string& kind = parts.empty() ? spec : parts[0];
    if (kind == "exhaustive" && parts.size() == 1) {
        plan.kind = PlanKind::Exhaustive;
    } else if ((kind == "sample" || kind == "stratified") && parts.size() <= 3) {
        plan.kind = kind == "sample" ? PlanKind::Sample : PlanKind::Stratified;
        if (parts.size() > 1) plan.margin = parseNumber(parts[1], "margin");
        if (parts.size() > 2) plan.confidence = parseNumber(parts[2], "confidence");
        if (!(plan.margin > 0 && plan.margin < 1)) throw InputError("campaign plan: margin must be in (0, 1)");
        if (!(plan.confidence > 0 && plan.confidence < 1)) throw InputError("campaign plan: confidence must be in (0, 1)");
    } else if (kind == "ber" && (parts.size() == 2 || parts.size() == 3)) {
        plan.kind = PlanKind::Ber;
        for (const auto& p : split(parts[1], ',')) {
            const double rate = parseNumber(p, "bit-error rate");
            if (!(rate >= 0 && rate <= 1)) throw InputError("campaign plan: bit-error rate " + p + " is not in [0, 1]");
            plan.bitErrorRates.push_back(rate);
        }
        if (plan.bitErrorRates.empty()) throw InputError("campaign plan: ber needs at least one rate");
        if (parts.size() == 3) plan.trials = static_cast<int>(parseNumber(parts[2], "trials"));
        if (plan.trials < 1) throw InputError("campaign plan: trials must be at least 1");
    } else if (kind == "ranked" && parts.size() <= 2) {
        plan.kind = PlanKind::Ranked;
        if (parts.size() == 2) plan.limit = static_cast<int64_t>(parseNumber(parts[1], "limit"));
    } else {
        throw InputError("campaign plan '" + spec +
                         "' is not one of exhaustive, sample[:margin:confidence], stratified[:margin:confidence], "
                         "ber:p1,p2,...[:trials], ranked[:limit]");
    }
    return plan;
}

std::string CampaignPlan::toString() const {
    std::ostringstream out;
    switch (kind) {
    case PlanKind::Exhaustive: out << "exhaustive"; break;
    case PlanKind::Sample: out << "sample:" << margin << ':' << confidence; break;
    case PlanKind::Stratified: out << "stratified:" << margin << ':' << confidence; break;
    case PlanKind::Ranked: out << "ranked"; if (limit) out << ':' << limit; break;
    case PlanKind::Ber:
        out << "ber:";
        for (size_t i = 0; i < bitErrorRates.size(); ++i) out << (i ? "," : "") << bitErrorRates[i];
        out << ':' << trials;
        break;
    }
    return out.str();
}

nlohmann::json CampaignPlan::toJson() const {
    return {{"spec", toString()}, {"seed", seed}, {"order", order}};
}

CampaignPlan CampaignPlan::fromJson(const nlohmann::json& json) {
    CampaignPlan plan = parse(json.at("spec").get<std::string>());
    plan.seed = json.at("seed").get<uint64_t>();
    plan.order = json.value("order", std::vector<int64_t>{});
    return plan;
}

double normalQuantileTwoSided(double confidence) {
    // Solve erf(t / sqrt 2) = confidence by bisection: exact enough and obviously right.
    double lo = 0.0, hi = 40.0;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (std::erf(mid / std::sqrt(2.0)) < confidence ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

int64_t leveugleSampleSize(int64_t population, double margin, double confidence) {
    const double t = normalQuantileTwoSided(confidence);
    const double p = 0.5;
    const double n = population / (1.0 + margin * margin * (population - 1) / (t * t * p * (1 - p)));
    return std::min<int64_t>(population, static_cast<int64_t>(std::ceil(n - 1e-9)));
}

std::vector<PlannedFault> planFaults(const CampaignPlan& plan, const BitSpace& space) {
    std::vector<PlannedFault> faults;
    const int64_t n = space.size();
    SplitMix64 rng(plan.seed);
    switch (plan.kind) {
    case PlanKind::Exhaustive: {
        std::vector<int64_t> all(n);
        for (int64_t g = 0; g < n; ++g) all[g] = g;
        sortUnitByUnit(all, space);
        for (int64_t g : all) faults.push_back(singleBit(space, g));
        break;
    }
    case PlanKind::Sample: {
        std::vector<int64_t> picks = sampleWithoutRepeats(n, leveugleSampleSize(n, plan.margin, plan.confidence), rng);
        sortUnitByUnit(picks, space);
        for (int64_t g : picks) faults.push_back(singleBit(space, g));
        break;
    }
    case PlanKind::Stratified: {
        // Strata: (tensor, bit position); each gets its proportional share (at least one).
        const int64_t total = leveugleSampleSize(n, plan.margin, plan.confidence);
        std::vector<int64_t> picks;
        for (size_t t = 0; t < space.tensors().size(); ++t) {
            const BitSpaceTensor& tensor = space.tensors()[t];
            for (int bit : tensor.bits) {
                const int64_t stratum = tensor.params;
                const int64_t share = std::clamp<int64_t>(std::llround(double(total) * stratum / n), 1, stratum);
                for (int64_t index : sampleWithoutRepeats(stratum, share, rng))
                    picks.push_back(space.globalIndex({static_cast<int>(t), index, bit}));
            }
        }
        sortUnitByUnit(picks, space);
        for (int64_t g : picks) faults.push_back(singleBit(space, g));
        break;
    }
    case PlanKind::Ranked: {
        if (plan.order.empty()) throw InputError("campaign plan 'ranked' needs a ranking (bit order)");
        const int64_t count = plan.limit > 0 ? std::min<int64_t>(plan.limit, plan.order.size()) : plan.order.size();
        for (int64_t i = 0; i < count; ++i) faults.push_back(singleBit(space, plan.order[i]));
        break;
    }
    case PlanKind::Ber:
        for (double rate : plan.bitErrorRates) {
            for (int trial = 0; trial < plan.trials; ++trial) {
                PlannedFault f;
                f.bitErrorRate = rate;
                f.trial = trial;
                for (int64_t g = 0; g < n; ++g)
                    if (rng.uniform() < rate) f.fault.bits.push_back({space.address(g), FaultKind::Flip});
                faults.push_back(std::move(f));
            }
        }
        break;
    }
    return faults;
}

}  // namespace flipscope
