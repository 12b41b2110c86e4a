// Reverse mode of Dense / QDense / FQDense / QDenseBatchnorm (see core/model/layer_backward.h).
#include "core/model/layer_backward.h"
#include "core/model/layers/dense.h"

#include <Eigen/Core>

namespace flipscope::backward_detail {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<Tensor> denseBackward(const DenseLayer& layer, const Tensor& x, const Tensor& pre, const Tensor& y,
                                  Tensor dY, ParamGrads grads) {
    activationBackward(layer.activation(), pre, y, dY);
    const int64_t in = layer.inFeatures(), units = layer.units(), rows = x.size() / in;
    const Tensor& kernel = layer.parameter("kernel")->effective;
    Eigen::Map<const RowMatrix> X(x.data(), rows, in);
    Eigen::Map<const RowMatrix> dZ(dY.data(), rows, units);
    Eigen::Map<const RowMatrix> W(kernel.data(), in, units);

    Tensor dX(x.shape());
    Eigen::Map<RowMatrix>(dX.data(), rows, in).noalias() = dZ * W.transpose();
    const RowMatrix dW = X.transpose() * dZ;
    std::vector<double> dKernel(dW.data(), dW.data() + dW.size());
    std::vector<double> dBias(units, 0.0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < units; ++j) dBias[j] += dZ(r, j);
    kernelBiasBackward(layer, layer.foldedBatchNorm(), units, dKernel, dBias, grads);
    return {std::move(dX)};
}

}  // namespace flipscope::backward_detail
