#include "core/model/layers/config_helpers.h"

#include "core/quant/quantizer_parse.h"

namespace flipscope {

std::array<int64_t, 2> readPair(const Layer& layer, const nlohmann::json& value, const std::string& key) {
    if (value.is_number_integer()) return {value.get<int64_t>(), value.get<int64_t>()};
    if (value.is_array() && value.size() == 2 && value[0].is_number_integer() && value[1].is_number_integer())
        return {value[0].get<int64_t>(), value[1].get<int64_t>()};
    layer.fail("'" + key + "' should be an int or two ints, found " + value.dump());
}

std::optional<QuantizerSpec> readQuantizer(const Layer& layer, const nlohmann::json& config, const std::string& key,
                                           bool isKernel) {
    auto it = config.find(key);
    if (it == config.end()) return std::nullopt;
    auto spec = parseQuantizer(*it, {layer.name(), key});
    if (spec && isKernel) applyKernelQuantizerDefaults(*spec);
    return spec;
}

void requireChannelsLast(const Layer& layer, const nlohmann::json& config) {
    const auto it = config.find("data_format");
    if (it != config.end() && !it->is_null() && it->get<std::string>() != "channels_last")
        layer.fail("data_format '" + it->get<std::string>() + "' is not supported (only channels_last)");
}

bool isQKerasClass(const std::string& className) {
    return className.size() > 1 && (className[0] == 'Q' || className.rfind("FQ", 0) == 0);
}

}  // namespace flipscope
