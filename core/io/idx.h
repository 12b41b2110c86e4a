#pragma once
// IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed: a magic of two zero
// bytes, a type code and the number of dimensions, then big-endian uint32 dimensions and
// big-endian data. Errors are flipscope::InputError naming the file.
#include "core/model/tensor.h"

#include <span>
#include <string>

namespace flipscope {

// Whether (decompressed) content starts with a valid IDX magic: 00 00 <known type> <ndim 1..255>.
bool hasIdxMagic(std::span<const unsigned char> bytes);

// The whole file as a float32 tensor of the shape in its header.
Tensor readIdx(const std::string& path);

}  // namespace flipscope
