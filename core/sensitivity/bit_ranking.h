#pragma once
// A bit ranking: every bit of a bit space (core/faults/bit_space.h) ordered from most to least
// sensitive by some metric, and the FKeras conversion from a per-parameter score to a bit
// ranking (reference econt-and-metrics 3.5): parameters sorted by score (descending, ties by
// bit-space order), then the MSBs of all parameters in that order, then every next bit position,
// down to the LSBs. Mixed widths (e.g. 5- and 7-bit tensors) group by position within the weight
// counted from the MSB, so the extra low bits of wider tensors come last.
#include "core/faults/bit_space.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flipscope {

struct BitRanking {
    std::string method;          // "gradient", "hessian", ... or a file's name
    std::vector<int64_t> order;  // global bit indices, most sensitive first (a permutation)
    std::vector<double> score;   // score of order[i]; same length (rank-derived for random/msb)
};

// One score per parameter of every bit-space tensor: scores[t][i] for tensor t, flat index i.
using ParameterScores = std::vector<std::vector<double>>;

BitRanking bitRankingFromParameterScores(const std::string& method, const BitSpace& space,
                                         const ParameterScores& scores);

// Ranks bits by their own score (descending; ties by global index). scores.size() == space.size().
BitRanking bitRankingFromBitScores(const std::string& method, const std::vector<double>& scores);

// A seeded uniform permutation, FKeras's: the list Python's `random.seed(seed);
// random.sample(range(N), N)` gives for the N bits (core/common/python_random.h), so seed 7654 is
// the study's random ranking. Same seed, same ranking.
BitRanking randomRanking(const BitSpace& space, uint64_t seed);

// Every parameter's MSB in bit-space order, then every next bit, down to the LSBs.
BitRanking msbRanking(const BitSpace& space);

}  // namespace flipscope
