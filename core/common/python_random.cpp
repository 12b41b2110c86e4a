#include "core/common/python_random.h"

#include "core/common/error.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <string>

namespace flipscope {
namespace {

constexpr int kShift = 397;  // MT19937's middle distance
constexpr uint32_t kMatrix = 0x9908b0dfu, kUpper = 0x80000000u, kLower = 0x7fffffffu;

}  // namespace

PythonRandom::PythonRandom(uint64_t seed) {
    // init_genrand(19650218), then init_by_array over the seed's words.
    state_[0] = 19650218u;
    for (int i = 1; i < kStates; ++i)
        state_[i] = 1812433253u * (state_[i - 1] ^ (state_[i - 1] >> 30)) + static_cast<uint32_t>(i);
    std::vector<uint32_t> key{static_cast<uint32_t>(seed)};
    if (seed >> 32) key.push_back(static_cast<uint32_t>(seed >> 32));
    const int keyLength = static_cast<int>(key.size());
    int i = 1, j = 0;
    for (int k = std::max(kStates, keyLength); k > 0; --k) {
        state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1664525u)) + key[j] + static_cast<uint32_t>(j);
        ++i;
        ++j;
        if (i >= kStates) {
            state_[0] = state_[kStates - 1];
            i = 1;
        }
        if (j >= keyLength) j = 0;
    }
    for (int k = kStates - 1; k > 0; --k) {
        state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1566083941u)) - static_cast<uint32_t>(i);
        if (++i >= kStates) {
            state_[0] = state_[kStates - 1];
            i = 1;
        }
    }
    state_[0] = 0x80000000u;  // a non-zero state whatever the key
    next_ = kStates;
}

void PythonRandom::twist() {
    for (int k = 0; k < kStates; ++k) {
        const uint32_t y = (state_[k] & kUpper) | (state_[(k + 1) % kStates] & kLower);
        state_[k] = state_[(k + kShift) % kStates] ^ (y >> 1) ^ (y & 1u ? kMatrix : 0u);
    }
    next_ = 0;
}

uint32_t PythonRandom::next32() {
    if (next_ >= kStates) twist();
    uint32_t y = state_[next_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

uint64_t PythonRandom::getrandbits(int bits) {
    if (bits < 1 || bits > 64) throw Error("getrandbits: " + std::to_string(bits) + " bits (internal error)");
    if (bits <= 32) return next32() >> (32 - bits);
    // Python fills the number 32 bits at a time from the least significant word up; the last
    // word keeps its high bits.
    const uint64_t low = next32();
    const uint64_t high = next32() >> (64 - bits);
    return high << 32 | low;
}

uint64_t PythonRandom::randbelow(uint64_t bound) {
    if (bound == 0) throw Error("randbelow(0) (internal error)");
    const int bits = std::bit_width(bound);  // n.bit_length(): not of n - 1, as Python does
    uint64_t r = getrandbits(bits);
    while (r >= bound) r = getrandbits(bits);
    return r;
}

std::vector<int64_t> pythonSample(int64_t n, int64_t count, uint64_t seed) {
    if (n < 0 || count < 0 || count > n)
        throw InputError("cannot sample " + std::to_string(count) + " of " + std::to_string(n) + " values");
    // Python's choice between a pool and a set of selections (random.sample).
    double setSize = 21;
    if (count > 5) setSize += std::pow(4.0, std::ceil(std::log(3.0 * static_cast<double>(count)) / std::log(4.0)));
    if (static_cast<double>(n) > setSize)
        throw Error("pythonSample: Python would sample " + std::to_string(count) + " of " + std::to_string(n) +
                    " through a set, which is not reproduced (internal error)");
    PythonRandom random(seed);
    std::vector<int64_t> pool(static_cast<size_t>(n)), result(static_cast<size_t>(count));
    std::iota(pool.begin(), pool.end(), int64_t{0});
    for (int64_t i = 0; i < count; ++i) {
        const auto j = static_cast<int64_t>(random.randbelow(static_cast<uint64_t>(n - i)));
        result[i] = pool[j];
        pool[j] = pool[n - i - 1];
    }
    return result;
}

}  // namespace flipscope
