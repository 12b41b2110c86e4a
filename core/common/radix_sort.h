#pragma once
// Sorting 64-bit keys by their high 32 bits, stably: for keys whose low halves ascend in the order
// given (say an index), the same order as sorting the whole keys, found by a least-significant-
// digit radix sort (byte by byte, skipping the bytes all keys share) instead of comparisons.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flipscope {

// `scratch` is reused between calls (no allocation once it has grown).
inline void sortByHigh32(std::vector<uint64_t>& keys, std::vector<uint64_t>& scratch) {
    const size_t n = keys.size();
    scratch.resize(n);
    uint64_t* from = keys.data();
    uint64_t* to = scratch.data();
    for (int shift = 32; shift < 64; shift += 8) {
        size_t start[257] = {};
        for (size_t k = 0; k < n; ++k) ++start[((from[k] >> shift) & 255) + 1];
        if (std::find(start + 1, start + 257, n) != start + 257) continue;  // one byte value for all
        for (int b = 0; b < 256; ++b) start[b + 1] += start[b];
        for (size_t k = 0; k < n; ++k) to[start[(from[k] >> shift) & 255]++] = from[k];
        std::swap(from, to);
    }
    if (from != keys.data()) std::copy_n(from, n, keys.data());
}

}  // namespace flipscope
