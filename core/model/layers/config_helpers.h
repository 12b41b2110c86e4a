#pragma once
// Small readers for the Keras layer-config fields several layers share.
#include "core/model/layer.h"

#include <array>

namespace flipscope {

// kernel_size / strides / pool_size: an int or a list of two ints.
std::array<int64_t, 2> readPair(const Layer& layer, const nlohmann::json& value, const std::string& key);
// Q-layer quantizer keys; kernels with alpha=None become auto_po2 as QKeras does.
std::optional<QuantizerSpec> readQuantizer(const Layer& layer, const nlohmann::json& config, const std::string& key,
                                           bool isKernel);
// Rejects channels_first and other layouts Flipscope does not run.
void requireChannelsLast(const Layer& layer, const nlohmann::json& config);
bool isQKerasClass(const std::string& className);

}  // namespace flipscope
