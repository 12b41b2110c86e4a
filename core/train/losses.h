#pragma once
// Training losses: the value of the mean loss over a batch (as Keras reduces it) and its gradient
// w.r.t. the model output. The values come from core/metrics (basic_metrics.h, telescope.h); this
// adds the gradients and one interface for the trainer and core/train/gradients.h.
//   mse                                 mean over all values of (output - target)^2
//   telescope                           ECON-T telescope MSE on 8x8 images (48 cells, reference 1.6)
//   categorical_crossentropy            from probabilities (after a softmax), Keras's clip included
//   categorical_crossentropy_from_logits
// Targets are shaped like the output (one-hot rows for the cross-entropies; oneHot() below).
#include "core/model/tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace flipscope {

class Loss {
public:
    virtual ~Loss() = default;
    virtual std::string name() const = 0;
    // `rows` samples of `width` values each (row-major): returns scale * the sum of the per-sample
    // losses; when `gradient` is non-null writes d(that)/d(output) there (rows * width values).
    virtual double sumRows(const float* output, const float* target, int64_t rows, int64_t width, double scale,
                           float* gradient) const = 0;

    // Mean per-sample loss over the batch (first axis) and, if asked, its gradient.
    double mean(const Tensor& output, const Tensor& target, Tensor* gradient = nullptr) const;
};

// By name (the list above); unknown names throw InputError listing them.
std::unique_ptr<Loss> makeLoss(const std::string& name);
const std::vector<std::string>& lossNames();

// Class indices -> one-hot rows (N, classes); labels outside [0, classes) throw InputError.
Tensor oneHot(const std::vector<int64_t>& labels, int64_t classes);

}  // namespace flipscope
