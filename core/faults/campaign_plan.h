#pragma once
// Which faults a campaign injects, deterministically from a seed:
//   exhaustive            every single bit of the bit space
//   sample[:e:c]          a uniform sample of single bits, size from Leveugle et al. (DATE 2009)
//   stratified[:e:c]      the same sample size, allocated per (tensor, bit position)
//   ranked                single bits in a given order (a metric's ranking), optionally cut short
//   ber:p1,p2,...[:K]     K trials per bit-error rate p: every bit flips independently with prob. p
// Single bits other than ranked ones are planned tensor by tensor and, within a tensor, unit by
// unit (the output unit of a Dense kernel, the output channel of a Conv2D one; see
// BitSpaceTensor::units), then row, then bit MSB first: a unit's faults together, as the fast
// engine evaluates them, so that its results come in order as it goes.
#include "core/faults/fault.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace flipscope {

enum class PlanKind { Exhaustive, Sample, Stratified, Ranked, Ber };

struct CampaignPlan {
    PlanKind kind = PlanKind::Exhaustive;
    double margin = 0.01;       // e: error margin of the estimated fraction (sample plans)
    double confidence = 0.95;   // c: confidence level (sample plans)
    std::vector<double> bitErrorRates;
    int trials = 10;            // per bit-error rate
    std::vector<int64_t> order; // ranked: global bit indices, most important first
    int64_t limit = 0;          // ranked: stop after this many bits (0 = all)
    uint64_t seed = 1;

    // "exhaustive", "sample", "sample:0.01:0.95", "stratified:0.02:0.99", "ber:1e-4,1e-3:20".
    static CampaignPlan parse(const std::string& spec);
    std::string toString() const;
    nlohmann::json toJson() const;
    static CampaignPlan fromJson(const nlohmann::json& json);
    bool singleBit() const { return kind != PlanKind::Ber; }
};

struct PlannedFault {
    Fault fault;
    double bitErrorRate = 0.0;  // ber plans
    int trial = -1;             // ber plans
    int64_t globalBit = -1;     // single-bit plans: the flipped bit's global index
};

// Leveugle et al.: n = N / (1 + e^2 (N-1) / (t^2 p (1-p))) with p = 0.5 and t the two-sided
// normal quantile of the confidence; rounded up.
int64_t leveugleSampleSize(int64_t population, double margin, double confidence);
double normalQuantileTwoSided(double confidence);

std::vector<PlannedFault> planFaults(const CampaignPlan& plan, const BitSpace& space);

}  // namespace flipscope
