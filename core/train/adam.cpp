#include "core/train/adam.h"

#include "core/common/error.h"

#include <cmath>

namespace flipscope {

void Adam::step(const std::vector<Tensor*>& weights, const std::vector<const Tensor*>& gradients) {
    if (weights.size() != gradients.size()) throw Error("Adam: weights and gradients differ in number");
    if (m_.empty()) {
        for (const Tensor* w : weights) {
            m_.emplace_back(w->size(), 0.0);
            v_.emplace_back(w->size(), 0.0);
        }
    }
    if (m_.size() != weights.size()) throw Error("Adam: the set of weights changed between steps");
    ++t_;
    const double b1 = options_.beta1, b2 = options_.beta2;
    const double correction2 = std::sqrt(1.0 - std::pow(b2, static_cast<double>(t_)));
    const double rate = options_.learningRate * correction2 / (1.0 - std::pow(b1, static_cast<double>(t_)));
    const double eps = options_.epsilon * correction2;
    for (size_t p = 0; p < weights.size(); ++p) {
        Tensor& w = *weights[p];
        const Tensor& g = *gradients[p];
        if (g.size() != w.size() || static_cast<int64_t>(m_[p].size()) != w.size())
            throw Error("Adam: gradient size does not match its weight");
        for (int64_t i = 0; i < w.size(); ++i) {
            m_[p][i] = b1 * m_[p][i] + (1.0 - b1) * g[i];
            v_[p][i] = b2 * v_[p][i] + (1.0 - b2) * static_cast<double>(g[i]) * g[i];
            w[i] = static_cast<float>(w[i] - rate * m_[p][i] / (std::sqrt(v_[p][i]) + eps));
        }
    }
}

}  // namespace flipscope
