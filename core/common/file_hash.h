#pragma once
// A content fingerprint of a file (64-bit FNV-1a, hex), so a campaign's results can be checked
// against the model and dataset they were computed from.
#include <string>

namespace flipscope {

std::string fileFingerprint(const std::string& path);  // throws InputError if unreadable

}  // namespace flipscope
