#include "core/model/input_fit.h"

#include "core/common/error.h"

#include <spdlog/spdlog.h>

namespace flipscope {

Tensor fitToModelInput(Tensor data, const Shape& inputShape, const std::string& dataName) {
    if (data.rank() == 0) throw InputError(dataName + ": a scalar, not a set of samples");
    const Shape sample(data.shape().begin() + 1, data.shape().end());
    if (sample == inputShape) return data;
    if (shapeSize(sample) != shapeSize(inputShape))
        throw InputError(dataName + ": samples have shape " + shapeToString(sample) + " (" +
                         std::to_string(shapeSize(sample)) + " values) but the model expects " +
                         shapeToString(inputShape) + " (" + std::to_string(shapeSize(inputShape)) + " values)");
    Shape shape = inputShape;
    shape.insert(shape.begin(), data.dim(0));
    spdlog::info("{}: samples of shape {} reshaped to the model input {}", dataName, shapeToString(sample),
                 shapeToString(inputShape));
    data.reshape(shape);
    return data;
}

}  // namespace flipscope
