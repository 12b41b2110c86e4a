#pragma once
// Reverse-mode gradients of a Model on a batch: w.r.t. its input and every parameter.
//
// Semantics are TensorFlow/QKeras's (details in core/model/layer_backward.h): the forward pass
// is the bit-exact one of Model::predict (quantized effective weights); parameter gradients are
// w.r.t. the STORED float shadow weights with weight quantizers passed straight through (STE);
// activation quantizers use QKeras's STE (quantized_bits: identity, also where it clips;
// quantized_relu: zero outside (0, max]); ReLU's gradient at exactly 0 is 0.
//
// Threading and determinism: the batch is cut into fixed chunks of kBackwardChunk samples (one
// chunk when the model mixes samples), chunks run on `threads` std::threads, and the per-chunk
// parameter gradients (double) are summed in chunk order, so every number is the same for any
// thread count.
#include "core/model/model.h"

#include <functional>
#include <string>
#include <vector>

namespace flipscope {

inline constexpr int64_t kBackwardChunk = 32;

// One parameter of a model. The order of modelParameters() (Model::visit order, then each
// layer's parameters() order) is the order of every gradient list below.
struct ParameterRef {
    std::string path;  // "encoder/conv2d_0_m/kernel"
    Layer* layer = nullptr;
    LayerParameter* parameter = nullptr;
};
std::vector<ParameterRef> modelParameters(const Model& model);

struct BackwardOptions {
    int threads = 2;             // <= 0: all hardware threads
    bool inputGradient = false;  // also compute dLoss/dInput
};

struct Gradients {
    double loss = 0.0;                // sum of what the loss callback returned (0 for the dOutput form)
    std::vector<Tensor> parameters;   // per modelParameters() entry, shaped like the parameter
    Tensor input;                     // dLoss/dInput when requested, else empty
};

// Called once per chunk (possibly concurrently) with the model output of samples [begin, end):
// returns that chunk's contribution to the loss and writes d(loss)/d(output) of those samples
// into `gradient` (already shaped like `output`, zero-filled).
using OutputGradientFn =
    std::function<double(const Tensor& output, int64_t begin, int64_t end, Tensor& gradient)>;

// Runs forward keeping the activations, then backward from the callback's output gradient.
Gradients backward(const Model& model, const Tensor& input, const OutputGradientFn& outputGradient,
                   const BackwardOptions& options = {});

// The same from a given dLoss/dOutput (shaped like the model output for `input`).
Gradients backward(const Model& model, const Tensor& input, const Tensor& outputGradient,
                   const BackwardOptions& options = {});

}  // namespace flipscope
