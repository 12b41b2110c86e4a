#pragma once
// What a model holds, layer by layer: classes, shapes, quantizers, and the number of quantized
// parameters and bits. Shared by `flipscope-cli info` and the GUI's model tree.
#include "core/model/model.h"

#include <string>
#include <vector>

namespace flipscope {

struct TensorSummary {
    std::string tensor;     // "kernel", "bias", ...
    Shape shape;
    std::string quantizer;  // QKeras string form, empty when float
    int64_t params = 0;
    int bitWidth = 0;       // bits per parameter, 0 when float
    int64_t bits = 0;       // params * bitWidth
    bool flippable = false; // a fixed-point code whose bits Flipscope can flip
};

struct LayerSummary {
    std::string path;  // "encoder/conv2d_0_m"; a bare name at the top level
    std::string className;
    Shape outputShape;
    std::string description;  // activation or quantizer of activation layers
    int depth = 0;
    std::vector<TensorSummary> tensors;  // quantized tensors only
};

struct ModelSummary {
    std::string name;
    Shape inputShape;
    std::vector<LayerSummary> layers;
    int64_t totalParams = 0;  // quantized parameters
    int64_t totalBits = 0;
    int64_t floatParams = 0;  // unquantized weights (e.g. a float decoder)
    // The kernel bit signature as in the FKeras study, e.g. "[(2120, 6)]": (kernel weights, bits)
    // of the flippable kernels in order, consecutive layers of equal width merged.
    std::string kernelSignature;
};

ModelSummary summarize(const Model& model);

}  // namespace flipscope
