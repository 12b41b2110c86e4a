#pragma once
// Loading input samples and class labels from a dataset file. The format is recognized from the
// file's content (HDF5 signature, NPY magic, gzip or IDX magic bytes, else CSV text), never from
// its extension. Errors are flipscope::InputError naming the file.
#include "core/model/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flipscope {

enum class DatasetFormat { Hdf5, Npy, Idx, Csv };

std::string datasetFormatName(DatasetFormat format);  // "HDF5", "NPY", "IDX", "CSV"

// Which file, and for HDF5 which dataset inside it: "file.h5:/group/x" selects /group/x; plain
// "file.h5" takes the file's only dataset. A name that is itself an existing file is never split,
// so paths containing ':' still work.
struct DatasetSpec {
    std::string path;
    std::string h5Dataset;  // absolute path inside the HDF5 file, empty when not given

    static DatasetSpec parse(const std::string& spec);
    std::string displayName() const;  // "file.h5:/x" or "file.npy"
};

enum class Normalization {
    None,
    Scale255,      // every value divided by 255 (8-bit images)
    PerSampleSum,  // each sample (entry of the first axis) divided by its sum; all-zero samples stay zero
    PerSampleMax,  // each sample divided by its largest absolute value; all-zero samples stay zero
};

struct DatasetOptions {
    std::optional<int64_t> limit{};  // keep only the first N samples ("{}": no -Wextra warning for {.normalization = ...})
    Normalization normalization = Normalization::None;
};

DatasetFormat detectDatasetFormat(const std::string& path);

// Samples along the first axis, as float32. NaN or infinite values are an error naming the first
// bad index.
Tensor loadDataset(const std::string& spec, const DatasetOptions& options = {});

// Class indices: from a vector (N,) or (N, 1) of non-negative integers, or from one-hot (or score)
// rows (N, classes) by argmax.
std::vector<int64_t> loadLabels(const std::string& spec, std::optional<int64_t> limit = std::nullopt);

}  // namespace flipscope
