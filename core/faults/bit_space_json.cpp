#include "core/faults/bit_space_json.h"

#include "core/common/error.h"

namespace flipscope {

BitSpace bitSpaceFromJson(const nlohmann::json& json, const std::string& source) {
    if (!json.is_array() || json.empty()) throw InputError(source + ": the bit space (bit_space) is missing or empty");
    std::vector<BitSpaceTensor> tensors;
    std::vector<int64_t> recordedOffsets;
    for (size_t i = 0; i < json.size(); ++i) {
        const nlohmann::json& entry = json[i];
        const std::string where = source + ": bit_space[" + std::to_string(i) + "]";
        try {
            BitSpaceTensor t;
            t.layerPath = entry.at("layer").get<std::string>();
            t.tensor = entry.at("tensor").get<std::string>();
            t.params = entry.at("params").get<int64_t>();
            t.bitWidth = entry.at("bit_width").get<int>();
            t.units = entry.value("units", int64_t{1});  // (files written before units were recorded)
            t.bits = entry.at("bits").get<std::vector<int>>();
            for (int b : t.bits)
                if (b < 0 || b >= t.bitWidth)
                    throw InputError(where + ": bit " + std::to_string(b) + " is outside the " +
                                     std::to_string(t.bitWidth) + "-bit width");
            recordedOffsets.push_back(entry.value("offset", int64_t{-1}));
            tensors.push_back(std::move(t));
        } catch (const nlohmann::json::exception& e) {
            throw InputError(where + ": " + e.what());
        }
    }
    BitSpace space(std::move(tensors));
    for (size_t i = 0; i < recordedOffsets.size(); ++i)
        if (recordedOffsets[i] >= 0 && recordedOffsets[i] != space.tensors()[i].offset)
            throw InputError(source + ": bit_space[" + std::to_string(i) + "].offset is " +
                             std::to_string(recordedOffsets[i]) + ", expected " +
                             std::to_string(space.tensors()[i].offset));
    return space;
}

}  // namespace flipscope
