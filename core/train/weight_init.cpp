#include "core/train/weight_init.h"

#include <cmath>
#include <random>

namespace flipscope {

void initializeWeights(Model& model, uint64_t seed) {
    std::mt19937_64 rng(seed);
    model.visit([&](const std::string&, Layer& layer) {
        for (auto& p : layer.parameters()) {
            p.stored = Tensor(p.shape);
            if (p.name == "kernel" && p.shape.size() >= 2) {
                // Glorot: fan_in/fan_out over the receptive field (all axes but the last two).
                int64_t receptive = 1;
                for (size_t i = 0; i + 2 < p.shape.size(); ++i) receptive *= p.shape[i];
                const double fanIn = static_cast<double>(p.shape[p.shape.size() - 2] * receptive);
                const double fanOut = static_cast<double>(p.shape.back() * receptive);
                std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
                const float limit = static_cast<float>(std::sqrt(6.0 / (fanIn + fanOut)));
                for (float& v : p.stored.values()) v = limit * dist(rng);
            } else if (p.name == "gamma" || p.name == "moving_variance") {
                p.stored.array() = 1.0f;
            }
            p.loaded = true;
        }
    });
}

}  // namespace flipscope
