#pragma once
// A results file's bit space (CampaignInfo::bitSpace, written by bitSpaceJson in campaign_job.h)
// read back as a BitSpace, so rankings and figures can address bits without loading the model.
#include "core/faults/bit_space.h"

#include <nlohmann/json.hpp>

#include <string>

namespace flipscope {

// `source` names where the JSON came from (a results file) in error messages. InputError for a
// missing or malformed field, or offsets that do not follow from the tensors' sizes.
BitSpace bitSpaceFromJson(const nlohmann::json& json, const std::string& source);

}  // namespace flipscope
