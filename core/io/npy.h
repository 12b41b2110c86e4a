#pragma once
// NumPy .npy files: read format versions 1.0, 2.0 and 3.0 (C order; dtypes bool, int8..int64,
// uint8..uint64, float32, float64, either byte order) and write version 1.0 float32/float64.
// Errors are flipscope::InputError naming the file.
#include "core/model/tensor.h"

#include <string>
#include <vector>

namespace flipscope {

struct DoubleArray {
    Shape shape;
    std::vector<double> values;  // row-major
};

// Values converted to float32.
Tensor readNpy(const std::string& path);
// Values converted to float64 (exact for float64 and for integers up to 2^53).
DoubleArray readNpyDoubles(const std::string& path);

// Writes a little-endian NPY 1.0 file, C order. `data` holds shapeSize(shape) values.
void writeNpyFloat32(const std::string& path, const Shape& shape, const float* data);
void writeNpyFloat64(const std::string& path, const Shape& shape, const double* data);

}  // namespace flipscope
