#pragma once
// Synthetic HGCal trigger-cell charge maps for the ECON-T autoencoders. No real HGCal data is
// available to Flipscope, so the sample models train on these; they are NOT detector data.
//
// One sample is one 48-cell module (cell centres from Geometry::econt()): zero to three
// shower-like clusters (a Gaussian core plus a wider halo, centres anywhere over the module or
// just beside it, log-normal energies), sparse electronic noise, rounding to whole charge
// counts and zero suppression below a threshold. All-zero modules are dropped and redrawn, as
// the study's loader drops them. Then, as the study does (reference econt-and-metrics.md 1.2),
// each module is divided by 2^floor(log2(sum)) and scattered into the 8x8 image with `arrange`
// (1.1). Every number comes from a seeded generator with its own distributions, so the data
// are the same for a seed on every platform.
#include "core/model/tensor.h"

#include <cstdint>
#include <span>
#include <vector>

namespace flipscope {

struct SyntheticModules {
    int64_t count = 0;
    std::vector<float> charges;  // count x 48, raw (whole counts), CALQ order
    std::vector<float> cells;    // count x 48, normalized
    Tensor images;               // (count, 8, 8, 1), normalized
};

SyntheticModules synthesizeHgcalModules(int64_t count, uint64_t seed);

// The study's normalization of one module: divides by 2^floor(log2(sum)), so sums fall in [1, 2).
// A module summing to 0 is left unchanged.
void normalizeBySumLog2(std::span<float> cells);

}  // namespace flipscope
