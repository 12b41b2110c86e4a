// Reverse mode of Add and Concatenate (see core/model/layer_backward.h); the other layers of
// simple_layers.h (Input, Flatten, Reshape, Dropout, Activation) are handled by layerBackward.
#include "core/model/layer_backward.h"
#include "core/model/layers/simple_layers.h"

namespace flipscope::backward_detail {

std::vector<Tensor> mergeBackward(const MergeLayer& layer, const std::vector<const Tensor*>& inputs, const Tensor& dY) {
    if (!layer.isConcatenate()) return std::vector<Tensor>(inputs.size(), dY);
    // The inverse of forward()'s block copy: outer = batch and axes before the concatenation axis.
    int64_t outer = dY.dim(0);
    for (int i = 0; i < layer.axis(); ++i) outer *= layer.outputShape()[i];
    const int64_t outInner = dY.size() / outer;
    std::vector<Tensor> dX;
    int64_t offset = 0;
    for (const Tensor* t : inputs) {
        Tensor d(t->shape());
        const int64_t inner = t->size() / outer;
        for (int64_t o = 0; o < outer; ++o) std::copy_n(dY.data() + o * outInner + offset, inner, d.data() + o * inner);
        offset += inner;
        dX.push_back(std::move(d));
    }
    return dX;
}

}  // namespace flipscope::backward_detail
