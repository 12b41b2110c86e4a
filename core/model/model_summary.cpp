#include "core/model/model_summary.h"

#include "core/model/kernel_signature.h"

#include <algorithm>

namespace flipscope {

ModelSummary summarize(const Model& model) {
    ModelSummary summary;
    summary.name = model.name();
    summary.inputShape = model.modelInputShapes().empty() ? Shape{} : model.modelInputShapes()[0];
    KernelSignature signature;
    model.visit([&](const std::string& path, Layer& layer) {
        LayerSummary ls;
        ls.path = path;
        ls.className = layer.className();
        ls.outputShape = layer.outputShape();
        ls.description = layer.describe();
        ls.depth = static_cast<int>(std::count(path.begin(), path.end(), '/'));
        for (const auto& p : layer.parameters()) {
            if (!p.isQuantized()) {
                summary.floatParams += p.effective.size();
                continue;
            }
            TensorSummary ts;
            ts.tensor = p.name;
            ts.shape = p.shape;
            ts.quantizer = p.quantizer->toString();
            ts.params = p.effective.size();
            ts.bitWidth = p.quantizer->bits;
            ts.bits = ts.params * ts.bitWidth;
            ts.flippable = p.isFlippable();
            summary.totalParams += ts.params;
            summary.totalBits += ts.bits;
            if (p.name == "kernel" && ts.flippable) signature.add(ts.params, ts.bitWidth);
            ls.tensors.push_back(std::move(ts));
        }
        summary.layers.push_back(std::move(ls));
    });
    summary.kernelSignature = signature.toString();
    return summary;
}

}  // namespace flipscope
