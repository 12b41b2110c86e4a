#include "core/io/binary_numbers.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace flipscope {

namespace {

constexpr bool kHostBigEndian = std::endian::native == std::endian::big;

template <class Stored, class Out>
void decodeAs(const unsigned char* bytes, size_t count, bool swap, Out* out) {
    unsigned char raw[sizeof(Stored)];
    for (size_t i = 0; i < count; ++i) {
        std::memcpy(raw, bytes + i * sizeof(Stored), sizeof(Stored));
        if (swap) std::reverse(raw, raw + sizeof(Stored));
        Stored value;
        std::memcpy(&value, raw, sizeof(Stored));
        out[i] = static_cast<Out>(value);
    }
}

}  // namespace

size_t elementSize(ElementType type) {
    switch (type) {
    case ElementType::Bool:
    case ElementType::UInt8:
    case ElementType::Int8: return 1;
    case ElementType::UInt16:
    case ElementType::Int16: return 2;
    case ElementType::UInt32:
    case ElementType::Int32:
    case ElementType::Float32: return 4;
    case ElementType::UInt64:
    case ElementType::Int64:
    case ElementType::Float64: return 8;
    }
    return 0;
}

std::string elementTypeName(ElementType type) {
    switch (type) {
    case ElementType::Bool: return "bool";
    case ElementType::UInt8: return "uint8";
    case ElementType::Int8: return "int8";
    case ElementType::UInt16: return "uint16";
    case ElementType::Int16: return "int16";
    case ElementType::UInt32: return "uint32";
    case ElementType::Int32: return "int32";
    case ElementType::UInt64: return "uint64";
    case ElementType::Int64: return "int64";
    case ElementType::Float32: return "float32";
    case ElementType::Float64: return "float64";
    }
    return "unknown";
}

template <class Out>
void decodeNumbers(ElementType type, ByteOrder order, const unsigned char* bytes, size_t count, Out* out) {
    const bool swap = (order == ByteOrder::Big) != kHostBigEndian;
    switch (type) {
    case ElementType::Bool:  // numpy writes 0/1; any non-zero byte counts as true
        for (size_t i = 0; i < count; ++i) out[i] = bytes[i] != 0 ? Out(1) : Out(0);
        break;
    case ElementType::UInt8: decodeAs<uint8_t>(bytes, count, false, out); break;
    case ElementType::Int8: decodeAs<int8_t>(bytes, count, false, out); break;
    case ElementType::UInt16: decodeAs<uint16_t>(bytes, count, swap, out); break;
    case ElementType::Int16: decodeAs<int16_t>(bytes, count, swap, out); break;
    case ElementType::UInt32: decodeAs<uint32_t>(bytes, count, swap, out); break;
    case ElementType::Int32: decodeAs<int32_t>(bytes, count, swap, out); break;
    case ElementType::UInt64: decodeAs<uint64_t>(bytes, count, swap, out); break;
    case ElementType::Int64: decodeAs<int64_t>(bytes, count, swap, out); break;
    case ElementType::Float32: decodeAs<float>(bytes, count, swap, out); break;
    case ElementType::Float64: decodeAs<double>(bytes, count, swap, out); break;
    }
}

template <class In>
void encodeLittleEndian(const In* values, size_t count, std::string& bytes) {
    const size_t start = bytes.size();
    bytes.resize(start + count * sizeof(In));
    for (size_t i = 0; i < count; ++i) {
        char* raw = bytes.data() + start + i * sizeof(In);
        std::memcpy(raw, &values[i], sizeof(In));
        if constexpr (kHostBigEndian) std::reverse(raw, raw + sizeof(In));
    }
}

template void decodeNumbers<float>(ElementType, ByteOrder, const unsigned char*, size_t, float*);
template void decodeNumbers<double>(ElementType, ByteOrder, const unsigned char*, size_t, double*);
template void encodeLittleEndian<float>(const float*, size_t, std::string&);
template void encodeLittleEndian<double>(const double*, size_t, std::string&);

}  // namespace flipscope
