#pragma once
// A table of numbers as text: one row per line, values separated by commas (or, on lines without
// a comma, by blanks, as numpy.savetxt writes by default), blanks around values allowed, blank
// lines skipped. The first row is taken as a header and skipped when any of its fields is not a
// number. Every row must have the same number of values.
#include "core/model/tensor.h"

#include <string>
#include <string_view>

namespace flipscope {

// A [rows, columns] tensor. Errors are flipscope::InputError naming the file and the line.
Tensor readCsvNumbers(const std::string& path);

// Same, from text already in memory; `name` is used in error messages.
Tensor parseCsvNumbers(std::string_view text, const std::string& name);

}  // namespace flipscope
