#pragma once
// The loss a sensitivity ranking differentiates, and its targets, chosen the way the FKeras study
// does (reference 3.5): the telescope loss with the input as target for ECON-T style autoencoders
// (8x8x1 input, output shaped like the input), cross-entropy against one-hot labels for
// classifiers, otherwise the MSE between output and input.
#include "core/model/model.h"
#include "core/train/losses.h"

#include <memory>
#include <string>
#include <vector>

namespace flipscope {

struct RankingLoss {
    std::string name;            // as asked for: "telescope", "mse" or "ce"
    std::unique_ptr<Loss> loss;  // for ce: from probabilities after a softmax, else from logits
    Tensor target;               // shaped like the model output for every sample
};

// `requested` empty = choose as above. InputError (naming `dataName`) when the loss cannot apply:
// ce without labels, a label count that differs from the samples, or an output that neither
// matches the input nor has labels.
RankingLoss chooseRankingLoss(const Model& model, const std::string& requested, const Tensor& inputs,
                              const std::vector<int64_t>& labels, const std::string& dataName);

const std::vector<std::string>& rankingLossNames();  // mse, telescope, ce

}  // namespace flipscope
