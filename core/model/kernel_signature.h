#pragma once
// The FKeras study's label for a model's fault space, e.g. "[(2120, 6)]" or "[(800, 5), (8192, 7)]":
// (weights, bits) of the flippable kernels in order, consecutive kernels of equal bit width merged.
// Built from a loaded model (model_summary.h) or from a results file's bit space (the figures).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace flipscope {

class KernelSignature {
public:
    // Adds the next kernel in order; merges with the previous group when the width is the same.
    void add(int64_t params, int bitWidth);
    const std::vector<std::pair<int64_t, int>>& groups() const { return groups_; }
    std::string toString() const;  // "[(2120, 6)]"; "[]" when empty

private:
    std::vector<std::pair<int64_t, int>> groups_;
};

}  // namespace flipscope
