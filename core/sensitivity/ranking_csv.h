#pragma once
// Rankings as CSV files: header rank,layer,tensor,index,bit,score (rank from 1, bit 0 = LSB,
// index = flat parameter index), one row per bit, most sensitive first.
#include "core/sensitivity/bit_ranking.h"

#include <string>

namespace flipscope {

void writeRankingCsv(const BitRanking& ranking, const BitSpace& space, const std::string& path);

// Reads a ranking written for the same bit space. InputError naming the file and line for a bad
// header, unknown layer/tensor, index or bit out of range, or a repeated bit. The method is the
// file's base name without extension.
BitRanking readRankingCsv(const std::string& path, const BitSpace& space);

}  // namespace flipscope
