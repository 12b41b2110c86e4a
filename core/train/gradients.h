#pragma once
// Gradients of a mean loss over a data set w.r.t. every parameter of a model (in
// modelParameters() order, core/model/backward.h), and Hessian-vector products by central
// differences of those exact gradients: the building blocks of gradient and Hessian rankings.
#include "core/model/backward.h"
#include "core/train/losses.h"

#include <vector>

namespace flipscope {

// Mean loss over the samples of x (first axis) against `target` (shaped like the model output),
// with its gradients. Same numbers for any options.threads.
Gradients lossGradients(const Model& model, const Tensor& x, const Loss& loss, const Tensor& target,
                        const BackwardOptions& options = {});

// Just the parameter gradients of the mean loss, w.r.t. the stored (shadow) weights.
std::vector<Tensor> parameterGradients(const Model& model, const Tensor& x, const Loss& loss, const Tensor& target);

// H v, with H the Hessian of the mean loss w.r.t. the parameters as the STE defines it (the
// gradient's derivative w.r.t. the effective weights, which the STE equates with the stored
// ones): (g(w + eps v) - g(w - eps v)) / (2 eps), moving the effective weights without
// re-quantizing. `v` is one tensor per modelParameters() entry. Layers with a folded batch
// norm are not supported (UnsupportedError).
std::vector<Tensor> hessianVectorProduct(const Model& model, const Tensor& x, const Loss& loss, const Tensor& target,
                                         const std::vector<Tensor>& v, double eps = 1e-3);

}  // namespace flipscope
