#pragma once
// The per-parameter and per-bit scores of the data-driven rankings, from ingredients computed
// elsewhere (gradients, eigenpairs, the Hessian diagonal). Lists run over the bit-space tensors
// (core/faults/bit_space.h) in order; every function is deterministic and cheap.
#include "core/faults/bit_space.h"
#include "core/sensitivity/bit_ranking.h"
#include "core/sensitivity/hessian_spectrum.h"

#include <cstdint>
#include <vector>

namespace flipscope {

// |g|.
ParameterScores gradientScores(const std::vector<const Tensor*>& gradients);

// (g w)^2, the first-order Taylor estimate of the loss change when w is removed.
ParameterScores taylorScores(const std::vector<const Tensor*>& gradients, const std::vector<const Tensor*>& values);

// FKeras's "sum" strategy (reference 3.5): with u_i = lambda_i * (the bit-space part of
// eigenvector i) and theta the float weights, score_j = sum_i |(u_i . theta) u_ij|.
// `offsets[t]`: where bit-space tensor t starts inside the eigenvectors.
ParameterScores hessianSumScores(const EigenResult& eigen, const std::vector<int64_t>& offsets,
                                 const std::vector<const Tensor*>& weights);

// Per bit, in global bit order: |g d + 0.5 h d^2| with d = the value after flipping the bit minus
// the value (through the parameter's codec) and h the Hessian diagonal entry of the parameter.
// `diagonal` holds every bit-space parameter, tensors in order.
std::vector<double> bitTaylorScores(const BitSpace& space, const std::vector<const LayerParameter*>& parameters,
                                    const std::vector<const Tensor*>& gradients, const std::vector<double>& diagonal);

}  // namespace flipscope
