#pragma once
// Numbers in figure tables: the shortest text that reads back as exactly the same double, so the
// CSV holds precisely the values drawn (and the GUI's and the CLI's CSVs compare byte for byte).
#include <QString>

#include <cstdint>

namespace flipscope::ui::figure {

QString tableNumber(double value);
QString tableNumber(int64_t value);

}  // namespace flipscope::ui::figure
