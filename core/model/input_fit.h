#pragma once
// Makes a dataset fit a model's input: samples whose values match the input element for element
// but are laid out differently (MNIST's (N, 28, 28) for a (28, 28, 1) input, a flat (N, 64) for
// (8, 8, 1)) are reshaped; anything else is an error naming both shapes.
#include "core/model/tensor.h"

#include <string>

namespace flipscope {

Tensor fitToModelInput(Tensor data, const Shape& inputShape, const std::string& dataName);

}  // namespace flipscope
