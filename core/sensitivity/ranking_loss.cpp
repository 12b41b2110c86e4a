#include "core/sensitivity/ranking_loss.h"

#include "core/common/error.h"

#include <algorithm>

namespace flipscope {

namespace {

bool isEcontAutoencoder(const Model& model) {
    const Shape input = model.modelInputShapes().at(0);
    return input == Shape{8, 8, 1} && shapeSize(model.outputShape()) == shapeSize(input);
}

// Keras's categorical_crossentropy takes probabilities; a model without a final softmax gives logits.
bool endsWithSoftmax(const Model& model) {
    std::string lastActivation;
    model.visit([&](const std::string&, Layer& layer) {
        if (dynamic_cast<Model*>(&layer)) return;  // nested models are visited before their layers
        const auto it = layer.config().find("activation");
        lastActivation = it != layer.config().end() && it->is_string() ? it->get<std::string>() : "";
    });
    return lastActivation == "softmax";
}

Tensor withBatchShape(Tensor t, const Shape& sampleShape, int64_t samples) {
    Shape shape = sampleShape;
    shape.insert(shape.begin(), samples);
    t.reshape(shape);
    return t;
}

}  // namespace

const std::vector<std::string>& rankingLossNames() {
    static const std::vector<std::string> names{"mse", "telescope", "ce"};
    return names;
}

RankingLoss chooseRankingLoss(const Model& model, const std::string& requested, const Tensor& inputs,
                              const std::vector<int64_t>& labels, const std::string& dataName) {
    const auto& names = rankingLossNames();
    if (!requested.empty() && std::find(names.begin(), names.end(), requested) == names.end())
        throw InputError("unknown loss '" + requested + "' (available: mse, telescope, ce)");
    const int64_t n = inputs.dim(0);
    if (!labels.empty() && static_cast<int64_t>(labels.size()) != n)
        throw InputError(dataName + ": " + std::to_string(n) + " samples but " + std::to_string(labels.size()) +
                         " labels");
    RankingLoss chosen;
    chosen.name = !requested.empty()          ? requested
                  : isEcontAutoencoder(model) ? "telescope"
                  : !labels.empty()           ? "ce"
                                              : "mse";
    const Shape& output = model.outputShape();
    if (chosen.name == "ce" || (chosen.name == "mse" && !labels.empty())) {
        if (labels.empty()) throw InputError("the ce loss needs class labels (--labels) for " + dataName);
        chosen.target = withBatchShape(oneHot(labels, shapeSize(output)), output, n);
    } else {
        if (shapeSize(output) != inputs.rowSize())
            throw InputError("the " + chosen.name + " loss compares the model output " + shapeToString(output) +
                             " with its input " + shapeToString(model.modelInputShapes().at(0)) + " from " + dataName +
                             ", which differ in size (for a classifier give --labels and --loss ce)");
        chosen.target = withBatchShape(inputs, output, n);
    }
    const std::string lossName = chosen.name == "ce" ? (endsWithSoftmax(model) ? "categorical_crossentropy"
                                                                                  : "categorical_crossentropy_from_logits")
                                                     : chosen.name;
    chosen.loss = makeLoss(lossName);
    return chosen;
}

}  // namespace flipscope
