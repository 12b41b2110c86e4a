#include "core/model/layer_backward.h"

#include "core/model/layers/batchnorm.h"
#include "core/model/layers/conv2d.h"
#include "core/model/layers/conv2d_transpose.h"
#include "core/model/layers/dense.h"
#include "core/model/layers/pooling.h"
#include "core/model/layers/simple_layers.h"

namespace flipscope {

using namespace backward_detail;

Tensor preActivation(const Layer& layer, const Tensor& x) {
    if (const auto* d = dynamic_cast<const DenseLayer*>(&layer)) {
        Shape shape = x.shape();
        shape.back() = d->units();
        Tensor z(shape);
        d->affine(x.data(), x.size() / d->inFeatures(), z.data());
        return z;
    }
    if (const auto* c = dynamic_cast<const Conv2DLayer*>(&layer)) {
        Tensor z({x.dim(0), c->rowWindow().out, c->colWindow().out, c->filters()});
        c->affine(x.data(), x.dim(0), z.data());
        return z;
    }
    if (const auto* t = dynamic_cast<const Conv2DTransposeLayer*>(&layer)) {
        Tensor z({x.dim(0), t->rowWindow().out, t->colWindow().out, t->filters()});
        t->affine(x.data(), x.dim(0), z.data());
        return z;
    }
    return {};
}

Tensor applyActivation(const Layer& layer, Tensor pre) {
    if (const auto* d = dynamic_cast<const DenseLayer*>(&layer)) d->activation().apply(pre);
    else if (const auto* c = dynamic_cast<const Conv2DLayer*>(&layer)) c->activation().apply(pre);
    else if (const auto* t = dynamic_cast<const Conv2DTransposeLayer*>(&layer)) t->activation().apply(pre);
    else layer.fail("has no built-in activation");
    return pre;
}

int parameterIndex(const Layer& layer, const std::string& name) {
    const auto& ps = layer.parameters();
    for (size_t i = 0; i < ps.size(); ++i)
        if (ps[i].name == name) return static_cast<int>(i);
    return -1;
}

void addThroughQuantizer(const LayerParameter& p, std::span<const float> preQuantized,
                         std::span<const double> dEffective, std::vector<double>& dStored) {
    dStored.resize(dEffective.size(), 0.0);
    for (size_t i = 0; i < dEffective.size(); ++i)
        dStored[i] += p.quantizer ? quantizerGradient(*p.quantizer, preQuantized[i]) * dEffective[i] : dEffective[i];
}

std::vector<Tensor> layerBackward(const Layer& layer, const std::vector<const Tensor*>& inputs, const Tensor& pre,
                                  const Tensor& output, Tensor dOutput, ParamGrads grads) {
    if (const auto* d = dynamic_cast<const DenseLayer*>(&layer))
        return denseBackward(*d, *inputs[0], pre, output, std::move(dOutput), grads);
    if (const auto* c = dynamic_cast<const Conv2DLayer*>(&layer))
        return conv2dBackward(*c, *inputs[0], pre, output, std::move(dOutput), grads);
    if (const auto* t = dynamic_cast<const Conv2DTransposeLayer*>(&layer))
        return conv2dTransposeBackward(*t, *inputs[0], pre, output, std::move(dOutput), grads);
    if (const auto* b = dynamic_cast<const BatchNormLayer*>(&layer))
        return batchNormBackward(*b, *inputs[0], dOutput, grads);
    if (const auto* p = dynamic_cast<const Pooling2DLayer*>(&layer)) return pooling2dBackward(*p, *inputs[0], dOutput);
    if (const auto* g = dynamic_cast<const GlobalPooling2DLayer*>(&layer))
        return globalPooling2dBackward(*g, *inputs[0], dOutput);
    if (const auto* m = dynamic_cast<const MergeLayer*>(&layer)) return mergeBackward(*m, inputs, dOutput);
    if (const auto* a = dynamic_cast<const ActivationLayer*>(&layer)) {
        activationBackward(a->activation(), *inputs[0], output, dOutput);
        return {std::move(dOutput)};
    }
    if (dynamic_cast<const InputLayer*>(&layer) || dynamic_cast<const IdentityLayer*>(&layer) ||
        dynamic_cast<const ReshapeLayer*>(&layer)) {
        dOutput.reshape(inputs[0]->shape());
        return {std::move(dOutput)};
    }
    layer.fail("has no backward pass");
}

}  // namespace flipscope
