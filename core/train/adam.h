#pragma once
// The Adam optimizer as Keras 2 (TF 2.x) implements it:
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps * sqrt(1 - b2^t))
// on float shadow weights, with the moments kept in double.
#include "core/model/tensor.h"

#include <cstdint>
#include <vector>

namespace flipscope {

struct AdamOptions {
    double learningRate = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-7;
};

class Adam {
public:
    explicit Adam(AdamOptions options = {}) : options_(options) {}
    // One step over every (weight, gradient) pair; the pairs must be the same, in the same
    // order, on every call.
    void step(const std::vector<Tensor*>& weights, const std::vector<const Tensor*>& gradients);
    int64_t iterations() const { return t_; }

private:
    AdamOptions options_;
    int64_t t_ = 0;
    std::vector<std::vector<double>> m_, v_;
};

}  // namespace flipscope
