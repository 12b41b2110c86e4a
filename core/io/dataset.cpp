#include "core/io/dataset.h"

#include "core/common/error.h"
#include "core/io/csv_numbers.h"
#include "core/io/file_bytes.h"
#include "core/io/hdf5_file.h"
#include "core/io/idx.h"
#include "core/io/npy.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace flipscope {

namespace {

constexpr std::string_view kHdf5Signature = "\x89HDF\r\n\x1a\n";
constexpr std::string_view kNpyMagic = "\x93NUMPY";
constexpr std::string_view kZipMagic = "PK\x03\x04";

bool startsWith(const std::vector<unsigned char>& bytes, size_t offset, std::string_view magic) {
    return bytes.size() >= offset + magic.size() && std::memcmp(bytes.data() + offset, magic.data(), magic.size()) == 0;
}

bool isRegularFile(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

std::string listNames(const std::vector<std::string>& names) {
    constexpr size_t kShown = 20;
    std::string text;
    for (size_t i = 0; i < std::min(names.size(), kShown); ++i) text += (i ? ", " : "") + names[i];
    if (names.size() > kShown) text += ", ... (" + std::to_string(names.size() - kShown) + " more)";
    return text;
}

// The HDF5 dataset the spec names, or the file's only one.
std::string chooseHdf5Dataset(const h5::File& file, const DatasetSpec& spec) {
    const std::vector<std::string> datasets = file.datasetPaths();
    const std::string holds = spec.path + " holds " +
                              (datasets.empty() ? std::string("no datasets")
                                                : std::to_string(datasets.size()) + " dataset" +
                                                      (datasets.size() == 1 ? "" : "s") + ": " + listNames(datasets));
    if (spec.h5Dataset.empty()) {
        if (datasets.size() == 1) return datasets.front();
        if (datasets.empty()) throw InputError(holds);
        throw InputError(holds + "; choose one with '" + spec.path + ":" + datasets.front() + "'");
    }
    if (!file.isDataset(spec.h5Dataset))
        throw InputError(spec.path + ": no dataset '" + spec.h5Dataset + "' (" + holds + ")");
    return spec.h5Dataset;
}

Tensor loadHdf5(const DatasetSpec& spec) {
    const h5::File file = h5::File::openRead(spec.path);
    const std::string dataset = chooseHdf5Dataset(file, spec);
    return Tensor(file.datasetShape(dataset), file.readFloats(dataset));
}

Tensor loadAnyFormat(const DatasetSpec& spec) {
    const DatasetFormat format = detectDatasetFormat(spec.path);
    if (format != DatasetFormat::Hdf5 && !spec.h5Dataset.empty())
        throw InputError(spec.path + ": '" + spec.h5Dataset + "' selects a dataset inside an HDF5 file, but this is " +
                         (format == DatasetFormat::Idx ? "an " : "a ") + datasetFormatName(format) + " file");
    switch (format) {
    case DatasetFormat::Hdf5: return loadHdf5(spec);
    case DatasetFormat::Npy: return readNpy(spec.path);
    case DatasetFormat::Idx: return readIdx(spec.path);
    case DatasetFormat::Csv: return readCsvNumbers(spec.path);
    }
    throw Error("unknown dataset format");
}

std::string indexText(const Shape& shape, int64_t flat) {
    std::vector<int64_t> index(shape.size());
    for (size_t axis = shape.size(); axis-- > 0;) {
        index[axis] = flat % shape[axis];
        flat /= shape[axis];
    }
    return shapeToString(index);
}

void requireFinite(const Tensor& data, const std::string& name) {
    const auto values = data.values();
    const auto bad = std::find_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); });
    if (bad == values.end()) return;
    const int64_t flat = bad - values.begin();
    throw InputError(name + ": value at index " + indexText(data.shape(), flat) + " is " +
                     (std::isnan(*bad) ? "NaN" : "infinite (or beyond the float32 range)") +
                     "; datasets must not contain NaN or infinite values");
}

Tensor keepFirst(const Tensor& data, int64_t limit, const std::string& name) {
    if (limit < 0) throw InputError(name + ": sample limit " + std::to_string(limit) + " is negative");
    return limit >= data.dim(0) ? data : data.slice(0, limit);
}

void normalize(Tensor& data, Normalization normalization) {
    if (normalization == Normalization::None) return;
    if (normalization == Normalization::Scale255) {
        data.array() /= 255.0f;
        return;
    }
    const int64_t rowSize = data.rowSize();
    for (int64_t row = 0; row < data.dim(0); ++row) {
        float* values = data.data() + row * rowSize;
        double scale = 0;
        for (int64_t i = 0; i < rowSize; ++i)
            scale = normalization == Normalization::PerSampleSum ? scale + values[i]
                                                                 : std::max(scale, std::abs(double{values[i]}));
        if (scale == 0) continue;
        for (int64_t i = 0; i < rowSize; ++i) values[i] = static_cast<float>(values[i] / scale);
    }
}

// 2.5 rather than std::to_string's 2.500000.
std::string shortestText(float value) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, ec == std::errc() ? end : buffer);
}

Tensor loadSamples(const DatasetSpec& spec, std::optional<int64_t> limit) {
    Tensor data = loadAnyFormat(spec);
    const std::string name = spec.displayName();
    if (data.rank() == 0)
        throw InputError(name + ": holds a single value (shape ()), expected samples along the first axis");
    if (limit) data = keepFirst(data, *limit, name);
    requireFinite(data, name);
    return data;
}

}  // namespace

std::string datasetFormatName(DatasetFormat format) {
    switch (format) {
    case DatasetFormat::Hdf5: return "HDF5";
    case DatasetFormat::Npy: return "NPY";
    case DatasetFormat::Idx: return "IDX";
    case DatasetFormat::Csv: return "CSV";
    }
    return "unknown";
}

DatasetSpec DatasetSpec::parse(const std::string& spec) {
    const auto make = [](std::string path, std::string dataset) {
        if (!dataset.empty() && dataset.front() != '/') dataset.insert(dataset.begin(), '/');
        return DatasetSpec{std::move(path), std::move(dataset)};
    };
    if (isRegularFile(spec)) return make(spec, "");
    // The first colon whose left side is an existing file splits file from dataset path; dataset
    // paths may contain colons themselves (Keras weights are named "kernel:0").
    for (size_t colon = spec.find(':'); colon != std::string::npos; colon = spec.find(':', colon + 1))
        if (isRegularFile(spec.substr(0, colon))) return make(spec.substr(0, colon), spec.substr(colon + 1));
    // No existing file either way: split at ":/" so the error names the file the user meant.
    const size_t split = spec.find(":/");
    return split == std::string::npos ? make(spec, "") : make(spec.substr(0, split), spec.substr(split + 1));
}

std::string DatasetSpec::displayName() const { return h5Dataset.empty() ? path : path + ":" + h5Dataset; }

DatasetFormat detectDatasetFormat(const std::string& path) {
    // HDF5 allows a user block before the signature: it then sits at 512, 1024, 2048, ... bytes.
    const std::vector<unsigned char> head = readFileBytes(path, 2048 + kHdf5Signature.size());
    if (head.empty()) throw InputError(path + ": empty file, expected a dataset (HDF5, NPY, IDX or CSV)");
    for (size_t offset : {0, 512, 1024, 2048})
        if (startsWith(head, offset, kHdf5Signature)) return DatasetFormat::Hdf5;
    if (startsWith(head, 0, kNpyMagic)) return DatasetFormat::Npy;
    if (hasGzipMagic(head)) {
        if (hasIdxMagic(readMaybeGzippedBytes(path, 4))) return DatasetFormat::Idx;
        throw InputError(path + ": gzip-compressed, but the content is not an IDX file (only IDX may be compressed)");
    }
    if (hasIdxMagic(head)) return DatasetFormat::Idx;
    if (startsWith(head, 0, kZipMagic))
        throw InputError(path + ": a zip archive (.npz?), not a dataset; extract the .npy array from it");
    return DatasetFormat::Csv;
}

Tensor loadDataset(const std::string& specText, const DatasetOptions& options) {
    const DatasetSpec spec = DatasetSpec::parse(specText);
    Tensor data = loadSamples(spec, options.limit);
    normalize(data, options.normalization);
    return data;
}

std::vector<int64_t> loadLabels(const std::string& specText, std::optional<int64_t> limit) {
    const DatasetSpec spec = DatasetSpec::parse(specText);
    const Tensor data = loadSamples(spec, limit);
    const std::string name = spec.displayName();
    std::vector<int64_t> labels;
    if (data.rank() == 1 || (data.rank() == 2 && data.dim(1) == 1)) {
        for (int64_t i = 0; i < data.size(); ++i) {
            const float value = data[i];
            if (value < 0 || value != std::floor(value))
                throw InputError(name + ": label " + std::to_string(i) + " is " + shortestText(value) +
                                 ", expected a non-negative integer class index");
            labels.push_back(static_cast<int64_t>(value));
        }
    } else if (data.rank() == 2) {
        // One-hot (or per-class score) rows: the class is the position of the largest value.
        const auto values = data.values();
        for (int64_t row = 0; row < data.dim(0); ++row) {
            const auto begin = values.begin() + row * data.dim(1);
            labels.push_back(std::max_element(begin, begin + data.dim(1)) - begin);
        }
    } else {
        throw InputError(name + ": labels must be class indices (N,) or one-hot rows (N, classes); found shape " +
                         shapeToString(data.shape()));
    }
    return labels;
}

}  // namespace flipscope
