#pragma once
// A small, fully specified random generator (SplitMix64), so that every seeded plan, ranking and
// shuffle gives the same numbers on every platform and standard library.
#include <cstdint>

namespace flipscope {

class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed) : state_(seed) {}
    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, bound) without modulo bias.
    uint64_t below(uint64_t bound) {
        const uint64_t limit = ~uint64_t{0} - (~uint64_t{0} % bound);
        uint64_t x;
        do x = next(); while (x >= limit);
        return x % bound;
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    uint64_t state_;
};

}  // namespace flipscope
