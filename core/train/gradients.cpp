#include "core/train/gradients.h"

#include "core/common/error.h"

namespace flipscope {

Gradients lossGradients(const Model& model, const Tensor& x, const Loss& loss, const Tensor& target,
                        const BackwardOptions& options) {
    const int64_t n = x.rank() ? x.dim(0) : 0;
    if (n == 0) throw InputError("gradients of a loss over no samples");
    if (target.rank() == 0 || target.dim(0) != n)
        throw InputError("gradients: " + std::to_string(n) + " samples but the target has shape " +
                         shapeToString(target.shape()));
    const int64_t width = target.rowSize();
    return backward(
        model, x,
        [&](const Tensor& output, int64_t begin, int64_t end, Tensor& gradient) {
            if (output.rowSize() != width)
                throw InputError("the model output " + shapeToString(output.shape()) + " does not match the target " +
                                 shapeToString(target.shape()));
            return loss.sumRows(output.data(), target.data() + begin * width, end - begin, width,
                                1.0 / static_cast<double>(n), gradient.data());
        },
        options);
}

std::vector<Tensor> parameterGradients(const Model& model, const Tensor& x, const Loss& loss, const Tensor& target) {
    return lossGradients(model, x, loss, target).parameters;
}

namespace {

void shiftEffective(const Model& model, const std::vector<Tensor>& v, double step) {
    const std::vector<ParameterRef> params = modelParameters(model);
    if (v.size() != params.size())
        throw InputError("Hessian-vector product: " + std::to_string(v.size()) + " tensors given for " +
                         std::to_string(params.size()) + " parameters");
    Layer* last = nullptr;
    for (size_t i = 0; i < params.size(); ++i) {
        Tensor& w = params[i].parameter->effective;
        if (v[i].size() != w.size()) throw InputError("Hessian-vector product: wrong size for " + params[i].path);
        for (int64_t k = 0; k < w.size(); ++k) w[k] = static_cast<float>(w[k] + step * v[i][k]);
        if (params[i].layer != last) {
            if (last) last->onEffectiveChanged();
            last = params[i].layer;
        }
    }
    if (last) last->onEffectiveChanged();
}

}  // namespace

std::vector<Tensor> hessianVectorProduct(const Model& model, const Tensor& x, const Loss& loss, const Tensor& target,
                                         const std::vector<Tensor>& v, double eps) {
    model.visit([](const std::string& path, Layer& layer) {
        if (layer.className() == "QDenseBatchnorm" || layer.className() == "QConv2DBatchnorm")
            throw UnsupportedError("Hessian-vector products through the folded batch norm of '" + path +
                                   "' are not supported");
    });
    Model plus(model), minus(model);
    shiftEffective(plus, v, eps);
    shiftEffective(minus, v, -eps);
    const std::vector<Tensor> gp = parameterGradients(plus, x, loss, target);
    const std::vector<Tensor> gm = parameterGradients(minus, x, loss, target);
    std::vector<Tensor> hv;
    for (size_t i = 0; i < gp.size(); ++i) {
        Tensor h(gp[i].shape());
        for (int64_t k = 0; k < h.size(); ++k) h[k] = static_cast<float>((double(gp[i][k]) - gm[i][k]) / (2.0 * eps));
        hv.push_back(std::move(h));
    }
    return hv;
}

}  // namespace flipscope
