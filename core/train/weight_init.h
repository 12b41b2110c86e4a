#pragma once
// Keras's default initial weights, seeded: Glorot-uniform kernels, zero biases, batch-norm
// gamma 1 / beta 0 / mean 0 / variance 1. Deterministic for a seed.
#include "core/model/model.h"

#include <cstdint>

namespace flipscope {

void initializeWeights(Model& model, uint64_t seed);

}  // namespace flipscope
