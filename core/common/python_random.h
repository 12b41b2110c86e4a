#pragma once
// CPython's `random` module, as far as FKeras's random bit ranking needs it: the Mersenne Twister
// (MT19937) seeded the way `random.seed(n)` seeds it for a non-negative integer n, its
// `getrandbits`, `_randbelow` and `sample`. The FKeras study ranks bits at random with
// `random.seed(7654); random.sample(range(NUM_BITS), NUM_BITS)`; pythonSample gives the same list.
#include <array>
#include <cstdint>
#include <vector>

namespace flipscope {

class PythonRandom {
public:
    // random.seed(seed): the seed's 32-bit words, least significant first, through MT19937's
    // init_by_array.
    explicit PythonRandom(uint64_t seed);

    uint32_t next32();                  // the generator's next 32-bit output (genrand_uint32)
    uint64_t getrandbits(int bits);     // random.getrandbits(bits), 1 <= bits <= 64
    uint64_t randbelow(uint64_t bound); // random._randbelow(bound), bound >= 1: uniform in [0, bound)

private:
    static constexpr int kStates = 624;
    void twist();
    std::array<uint32_t, kStates> state_{};
    int next_ = kStates;
};

// random.seed(seed); random.sample(range(n), count), 0 <= count <= n, for the sizes where Python
// samples from a pool (always when count == n, the whole permutation; otherwise when n is at most
// 21 + 4^ceil(log4(3 * count)), else Python tracks a set of selections - not provided: throws).
std::vector<int64_t> pythonSample(int64_t n, int64_t count, uint64_t seed);

}  // namespace flipscope
