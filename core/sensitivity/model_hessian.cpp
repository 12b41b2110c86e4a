#include "core/sensitivity/model_hessian.h"

#include "core/common/error.h"
#include "core/train/gradients.h"

#include <cmath>

namespace flipscope {

ModelHessianOperator::ModelHessianOperator(const Model& model, const Tensor& inputs, const Loss& loss,
                                           const Tensor& target, std::vector<int> parameters, double step)
    : model_(model), inputs_(inputs), loss_(loss), target_(target), all_(modelParameters(model)),
      parameters_(std::move(parameters)), step_(step) {
    for (int p : parameters_) {
        if (p < 0 || p >= static_cast<int>(all_.size()))
            throw InputError("Hessian operator: parameter #" + std::to_string(p) + " does not exist");
        offsets_.push_back(dimension_);
        dimension_ += all_[p].parameter->effective.size();
    }
}

std::vector<double> ModelHessianOperator::apply(const std::vector<double>& x) const {
    if (static_cast<int64_t>(x.size()) != dimension_)
        throw InputError("Hessian operator: a vector of " + std::to_string(x.size()) + " values for " +
                         std::to_string(dimension_) + " parameters");
    double largest = 0.0;
    for (double v : x) largest = std::max(largest, std::fabs(v));
    std::vector<double> result(x.size(), 0.0);
    if (largest == 0.0) return result;

    std::vector<Tensor> direction;
    direction.reserve(all_.size());
    for (const ParameterRef& p : all_) direction.emplace_back(p.parameter->effective.shape());
    for (size_t i = 0; i < parameters_.size(); ++i) {
        Tensor& d = direction[parameters_[i]];
        for (int64_t k = 0; k < d.size(); ++k) d[k] = static_cast<float>(x[offsets_[i] + k] / largest);
    }
    const std::vector<Tensor> hv = hessianVectorProduct(model_, inputs_, loss_, target_, direction, step_);
    for (size_t i = 0; i < parameters_.size(); ++i) {
        const Tensor& h = hv[parameters_[i]];
        for (int64_t k = 0; k < h.size(); ++k) result[offsets_[i] + k] = h[k] * largest;
    }
    return result;
}

}  // namespace flipscope
