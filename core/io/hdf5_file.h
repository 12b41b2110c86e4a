#pragma once
// A small RAII wrapper over the HDF5 C API: open/create files, walk groups, read and write string
// and number attributes and numeric datasets, and grow "appendable" datasets row by row.
//
// Every failure throws flipscope::InputError naming the file, the object path, what was expected
// and what was found; HDF5's own automatic error printing is switched off.
//
// Thread safety: the Debian HDF5 build is not guaranteed thread-safe, so every call into HDF5 made
// by this wrapper (including closing handles in destructors) holds one process-wide mutex. Files
// may therefore be used from several threads, but calls are serialized; callers that use the HDF5
// C API directly must not do so concurrently with this wrapper.
#include "core/model/tensor.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace flipscope::h5 {

// How a string attribute is stored. Keras 2 writes `layer_names`/`weight_names` as fixed-length
// (NULL-padded) byte strings and `model_config`/`keras_version` as variable-length strings.
enum class StringKind { Fixed, Variable };

// Element types a dataset can be created with.
enum class NumberType { Float32, Float64, Int64 };

class File {
public:
    static File openRead(const std::string& path);
    static File openReadWrite(const std::string& path);
    // Creates the file, truncating an existing one.
    static File create(const std::string& path);

    File(File&& other) noexcept;
    File& operator=(File&& other) noexcept;
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    ~File();

    const std::string& path() const { return path_; }

    // --- Structure. Object paths are absolute ("/model_weights/fc1"); "/" is the root group.
    bool exists(const std::string& objectPath) const;
    bool isGroup(const std::string& objectPath) const;
    bool isDataset(const std::string& objectPath) const;
    // Names (not paths) of the direct members of a group, in name order.
    std::vector<std::string> children(const std::string& groupPath) const;
    // Absolute paths of every dataset below a group (hard links only), in name order.
    std::vector<std::string> datasetPaths(const std::string& groupPath = "/") const;

    // --- Attributes.
    bool hasAttribute(const std::string& objectPath, const std::string& name) const;
    // One string: a scalar or a one-element array, fixed- or variable-length.
    std::string stringAttribute(const std::string& objectPath, const std::string& name) const;
    // A list of strings: 1-D (or scalar) fixed- or variable-length strings. Also accepts Keras's
    // split form `name0`, `name1`, ... when `name` itself is absent, and an empty numeric array
    // (what Keras writes for the `weight_names` of a weightless layer) as an empty list.
    std::vector<std::string> stringListAttribute(const std::string& objectPath, const std::string& name) const;
    // One number of any numeric type, converted to double.
    double numberAttribute(const std::string& objectPath, const std::string& name) const;

    // --- Datasets (any numeric stored type; HDF5 converts to the requested one).
    Shape datasetShape(const std::string& datasetPath) const;  // () for a scalar dataset
    // "float32", "float64", "int8" ... "uint64", "float16", "string", or the HDF5 class name.
    std::string datasetTypeName(const std::string& datasetPath) const;
    std::vector<float> readFloats(const std::string& datasetPath) const;
    std::vector<double> readDoubles(const std::string& datasetPath) const;
    std::vector<int64_t> readInts(const std::string& datasetPath) const;

    // --- Writing. Missing intermediate groups are created.
    void createGroup(const std::string& groupPath);
    void writeStringAttribute(const std::string& objectPath, const std::string& name, const std::string& value,
                              StringKind kind = StringKind::Variable);
    // Writes a 1-D string array like Keras 2 does: when the data would exceed HDF5's 64 KiB
    // object-header limit it is split into attributes `name0`, `name1`, ...
    void writeStringListAttribute(const std::string& objectPath, const std::string& name,
                                  const std::vector<std::string>& values, StringKind kind = StringKind::Fixed);
    void writeNumberAttribute(const std::string& objectPath, const std::string& name, double value);
    void writeFloats(const std::string& datasetPath, const Shape& shape, std::span<const float> data);
    void writeDoubles(const std::string& datasetPath, const Shape& shape, std::span<const double> data);
    void writeInts(const std::string& datasetPath, const Shape& shape, std::span<const int64_t> data);

    // A chunked dataset of shape (0, rowShape...) whose first dimension grows with appendRows.
    void createAppendable(const std::string& datasetPath, const Shape& rowShape, NumberType type,
                          int64_t chunkRows = 1024);
    // Appends `rows` rows (rows * rowSize values, row-major) at the end of an appendable dataset.
    void appendRows(const std::string& datasetPath, const float* data, int64_t rows);
    void appendRows(const std::string& datasetPath, const double* data, int64_t rows);
    void appendRows(const std::string& datasetPath, const int64_t* data, int64_t rows);

    void flush();

private:
    File(std::string path, int64_t id) : path_(std::move(path)), id_(id) {}
    static File open(const std::string& path, bool writable);
    void close() noexcept;

    template <class T>
    std::vector<T> readNumbers(const std::string& datasetPath) const;
    template <class T>
    void writeNumbers(const std::string& datasetPath, const Shape& shape, std::span<const T> data);
    template <class T>
    void appendNumbers(const std::string& datasetPath, const T* data, int64_t rows);
    void writeStringArray(const std::string& objectPath, const std::string& name,
                          const std::vector<std::string>& values, StringKind kind, bool scalar);

    std::string path_;
    int64_t id_ = -1;  // hid_t of the open file, or -1
};

}  // namespace flipscope::h5
