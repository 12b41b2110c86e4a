#pragma once
// The per-layer pieces of reverse mode. core/model/backward.h runs them over a model's graph;
// each layer class has its own <layer>_backward.cpp beside it.
//
// Conventions: tensors carry the batch axis first, as in forward(). Parameter gradients are
// w.r.t. the STORED (float shadow) weights: a weight quantizer passes the gradient straight
// through (QKeras's STE), and folded batch norms are differentiated through the fold. They are
// accumulated in double, one vector per entry of layer.parameters(), in that order.
#include "core/model/activation.h"
#include "core/model/layer.h"

#include <span>
#include <vector>

namespace flipscope {

class DenseLayer;
class Conv2DLayer;
class Conv2DTransposeLayer;
class BatchNormLayer;
class Pooling2DLayer;
class GlobalPooling2DLayer;
class MergeLayer;
struct BatchNormConfig;

using ParamGrads = std::span<std::vector<double>>;

// For layers with a built-in activation (Dense, Conv2D, Conv2DTranspose): the value before the
// activation, computed exactly as forward() does. Empty for every other layer.
Tensor preActivation(const Layer& layer, const Tensor& x);
// The layer's output from its pre-activation (bit-identical to forward()).
Tensor applyActivation(const Layer& layer, Tensor pre);

// One layer: from dLoss/dOutput to dLoss/dInputs (one per input), adding the parameter
// gradients into `grads`. `pre` is preActivation(layer, x) (empty when the layer has none).
std::vector<Tensor> layerBackward(const Layer& layer, const std::vector<const Tensor*>& inputs, const Tensor& pre,
                                  const Tensor& output, Tensor dOutput, ParamGrads grads);

// Turns dLoss/dOutput into dLoss/dInput of an element-wise activation in place, given its input
// `pre` and output `post`. Quantizers use QKeras's STE: quantized_bits and quantized_po2 pass the
// gradient unchanged (also where they clip); quantized_relu passes it only for 0 < x <= max.
// ReLU passes it only for x > 0 (TensorFlow: the gradient at exactly 0 is 0).
void activationBackward(const Activation& activation, const Tensor& pre, const Tensor& post, Tensor& grad);

// The STE factor of a quantizer at input x: 0 or 1.
float quantizerGradient(const QuantizerSpec& spec, float x);

// Adds d/d(effective) of a parameter to its stored-weight gradient through the quantizer's STE;
// `preQuantized` is the value the quantizer saw (the stored weight, or the folded one).
void addThroughQuantizer(const LayerParameter& p, std::span<const float> preQuantized, std::span<const double> dEffective,
                         std::vector<double>& dStored);

// Index of the parameter named `name` in layer.parameters(), or -1.
int parameterIndex(const Layer& layer, const std::string& name);

namespace backward_detail {
std::vector<Tensor> denseBackward(const DenseLayer& layer, const Tensor& x, const Tensor& pre, const Tensor& y,
                                  Tensor dY, ParamGrads grads);
std::vector<Tensor> conv2dBackward(const Conv2DLayer& layer, const Tensor& x, const Tensor& pre, const Tensor& y,
                                   Tensor dY, ParamGrads grads);
std::vector<Tensor> conv2dTransposeBackward(const Conv2DTransposeLayer& layer, const Tensor& x, const Tensor& pre,
                                            const Tensor& y, Tensor dY, ParamGrads grads);
std::vector<Tensor> batchNormBackward(const BatchNormLayer& layer, const Tensor& x, const Tensor& dY, ParamGrads grads);
std::vector<Tensor> pooling2dBackward(const Pooling2DLayer& layer, const Tensor& x, const Tensor& dY);
std::vector<Tensor> globalPooling2dBackward(const GlobalPooling2DLayer& layer, const Tensor& x, const Tensor& dY);
std::vector<Tensor> mergeBackward(const MergeLayer& layer, const std::vector<const Tensor*>& inputs, const Tensor& dY);

// Kernel and bias of a layer with a folded batch norm (QDenseBatchnorm, QConv2DBatchnorm):
// maps d/d(folded effective kernel, bias) to the stored kernel, bias, gamma, beta, mean and
// variance. Without a fold, maps them to kernel and bias through the quantizers' STE.
void kernelBiasBackward(const Layer& layer, const BatchNormConfig* fold, int64_t channels,
                        std::span<const double> dKernelEffective, std::span<const double> dBiasEffective,
                        ParamGrads grads);
}  // namespace backward_detail

}  // namespace flipscope
