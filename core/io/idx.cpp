#include "core/io/idx.h"

#include "core/common/error.h"
#include "core/io/binary_numbers.h"
#include "core/io/file_bytes.h"

#include <optional>

namespace flipscope {

namespace {

std::optional<ElementType> idxType(unsigned char code) {
    switch (code) {
    case 0x08: return ElementType::UInt8;
    case 0x09: return ElementType::Int8;
    case 0x0B: return ElementType::Int16;
    case 0x0C: return ElementType::Int32;
    case 0x0D: return ElementType::Float32;
    case 0x0E: return ElementType::Float64;
    default: return std::nullopt;
    }
}

}  // namespace

bool hasIdxMagic(std::span<const unsigned char> bytes) {
    return bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 0 && idxType(bytes[2]) && bytes[3] >= 1;
}

Tensor readIdx(const std::string& path) {
    const std::vector<unsigned char> bytes = readMaybeGzippedBytes(path);
    const std::string where = path + (hasGzipMagic(readFileBytes(path, 2)) ? " (gzip-compressed)" : "");
    if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0)
        throw InputError(where + ": not an IDX file (expected magic bytes 00 00 <type> <ndim>)");
    const std::optional<ElementType> type = idxType(bytes[2]);
    if (!type) {
        static const char* kHex = "0123456789abcdef";
        throw InputError(where + ": unknown IDX type code 0x" + kHex[bytes[2] >> 4] + kHex[bytes[2] & 15] +
                         " (expected 08 u8, 09 i8, 0b i16, 0c i32, 0d f32, 0e f64)");
    }
    const size_t rank = bytes[3];
    if (rank == 0) throw InputError(where + ": IDX header has 0 dimensions");
    const size_t dataOffset = 4 + 4 * rank;
    if (bytes.size() < dataOffset) throw InputError(where + ": truncated IDX header");

    Shape shape;
    for (size_t axis = 0; axis < rank; ++axis) {
        const unsigned char* d = bytes.data() + 4 + 4 * axis;
        shape.push_back(int64_t{d[0]} << 24 | int64_t{d[1]} << 16 | int64_t{d[2]} << 8 | int64_t{d[3]});
    }
    const auto count = static_cast<size_t>(shapeSize(shape));
    const size_t needed = count * elementSize(*type);
    const size_t present = bytes.size() - dataOffset;
    if (present < needed)
        throw InputError(where + ": header says " + dimsText(shape) + " " + elementTypeName(*type) + " = " +
                         std::to_string(needed) + " bytes of data, file has " + std::to_string(present));
    std::vector<float> values(count);
    decodeNumbers(*type, ByteOrder::Big, bytes.data() + dataOffset, count, values.data());
    return Tensor(std::move(shape), std::move(values));
}

}  // namespace flipscope
