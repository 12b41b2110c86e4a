#include "core/io/npy.h"

#include "core/common/error.h"
#include "core/io/binary_numbers.h"
#include "core/io/file_bytes.h"

#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>

namespace flipscope {

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

struct NpyHeader {
    ElementType type;
    ByteOrder order;
    Shape shape;
    size_t dataOffset;
};

[[noreturn]] void fail(const std::string& path, const std::string& message) {
    throw InputError(path + ": " + message);
}

std::string_view trimFront(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    return text;
}

// The text following `'key':` in the header's Python dict literal, or nullopt when the key is absent.
std::optional<std::string_view> valueOf(std::string_view dict, std::string_view key) {
    for (const char quote : {'\'', '"'}) {
        const std::string quotedKey = quote + std::string(key) + quote;
        const size_t at = dict.find(quotedKey);
        if (at == std::string_view::npos) continue;
        std::string_view rest = trimFront(dict.substr(at + quotedKey.size()));
        if (rest.empty() || rest.front() != ':') return std::nullopt;
        return trimFront(rest.substr(1));
    }
    return std::nullopt;
}

ElementType parseDescr(const std::string& path, std::string_view value, ByteOrder& order) {
    if (value.empty() || (value.front() != '\'' && value.front() != '"'))
        fail(path, "unsupported dtype " + std::string(value.substr(0, value.find('}'))) +
                       " (structured arrays are not supported)");
    const size_t end = value.find(value.front(), 1);
    if (end == std::string_view::npos) fail(path, "malformed NPY header (unterminated 'descr')");
    const std::string descr(value.substr(1, end - 1));
    const std::string unsupported = "unsupported dtype '" + descr +
                                    "' (supported: b1, i1, i2, i4, i8, u1, u2, u4, u8, f4, f8; "
                                    "either byte order)";
    if (descr.size() < 2) fail(path, unsupported);
    switch (descr[0]) {
    case '<':
    case '|': order = ByteOrder::Little; break;
    case '>': order = ByteOrder::Big; break;
    case '=': order = std::endian::native == std::endian::big ? ByteOrder::Big : ByteOrder::Little; break;
    default: fail(path, unsupported);
    }
    static const std::pair<std::string_view, ElementType> kTypes[] = {
        {"b1", ElementType::Bool},   {"i1", ElementType::Int8},    {"i2", ElementType::Int16},
        {"i4", ElementType::Int32},  {"i8", ElementType::Int64},   {"u1", ElementType::UInt8},
        {"u2", ElementType::UInt16}, {"u4", ElementType::UInt32},  {"u8", ElementType::UInt64},
        {"f4", ElementType::Float32}, {"f8", ElementType::Float64},
    };
    for (const auto& [code, type] : kTypes)
        if (std::string_view(descr).substr(1) == code) return type;
    fail(path, unsupported);
}

Shape parseShape(const std::string& path, std::string_view value) {
    if (value.empty() || value.front() != '(') fail(path, "malformed NPY header ('shape' is not a tuple)");
    const size_t close = value.find(')');
    if (close == std::string_view::npos) fail(path, "malformed NPY header (unterminated 'shape')");
    std::string_view items = value.substr(1, close - 1);
    Shape shape;
    while (true) {
        items = trimFront(items);
        if (items.empty()) break;
        int64_t dim = 0;
        const auto [next, ec] = std::from_chars(items.data(), items.data() + items.size(), dim);
        if (ec != std::errc() || dim < 0)
            fail(path, "malformed NPY header (bad 'shape' " + std::string(value.substr(0, close + 1)) + ")");
        shape.push_back(dim);
        items.remove_prefix(next - items.data());
        if (!items.empty() && items.front() == 'L') items.remove_prefix(1);  // Python 2 long suffix
        items = trimFront(items);
        if (items.empty()) break;
        if (items.front() != ',')
            fail(path, "malformed NPY header (bad 'shape' " + std::string(value.substr(0, close + 1)) + ")");
        items.remove_prefix(1);
    }
    return shape;  // () is a 0-d array: one value
}

NpyHeader parseHeader(const std::string& path, const std::vector<unsigned char>& bytes) {
    if (bytes.size() < kMagic.size() + 2 ||
        std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0)
        fail(path, "not a NPY file (bad magic bytes, expected \\x93NUMPY)");
    const int major = bytes[6];
    const int minor = bytes[7];
    if (major < 1 || major > 3)
        fail(path, "NPY format version " + std::to_string(major) + "." + std::to_string(minor) +
                       " is not supported (1.0, 2.0, 3.0 are)");
    // Version 1 stores the header length in 2 bytes, versions 2 and 3 in 4 (little-endian).
    const size_t lengthBytes = major == 1 ? 2 : 4;
    const size_t prefix = 8 + lengthBytes;
    if (bytes.size() < prefix) fail(path, "truncated NPY header");
    size_t headerLength = 0;
    for (size_t i = 0; i < lengthBytes; ++i) headerLength |= size_t{bytes[8 + i]} << (8 * i);
    if (bytes.size() < prefix + headerLength)
        fail(path, "truncated NPY header (says " + std::to_string(headerLength) + " bytes, file has " +
                       std::to_string(bytes.size() - prefix) + ")");
    const std::string_view dict(reinterpret_cast<const char*>(bytes.data()) + prefix, headerLength);

    const auto descr = valueOf(dict, "descr");
    const auto fortran = valueOf(dict, "fortran_order");
    const auto shape = valueOf(dict, "shape");
    if (!descr || !fortran || !shape)
        fail(path, "malformed NPY header (expected 'descr', 'fortran_order' and 'shape'): " + std::string(dict));

    NpyHeader header{};
    header.type = parseDescr(path, *descr, header.order);
    if (fortran->starts_with("True"))
        fail(path, "array is stored in Fortran order (fortran_order: True); only C order is supported "
                   "(save it with numpy.ascontiguousarray)");
    if (!fortran->starts_with("False")) fail(path, "malformed NPY header (bad 'fortran_order')");
    header.shape = parseShape(path, *shape);
    header.dataOffset = prefix + headerLength;
    return header;
}

template <class Out>
std::vector<Out> readValues(const std::string& path, Shape& shape) {
    const std::vector<unsigned char> bytes = readFileBytes(path);
    const NpyHeader header = parseHeader(path, bytes);
    const auto count = static_cast<size_t>(shapeSize(header.shape));
    const size_t needed = count * elementSize(header.type);
    const size_t present = bytes.size() - header.dataOffset;
    if (present < needed)
        fail(path, "header says " + dimsText(header.shape) + " " + elementTypeName(header.type) + " = " +
                       std::to_string(needed) + " bytes of data, file has " + std::to_string(present));
    std::vector<Out> values(count);
    decodeNumbers(header.type, header.order, bytes.data() + header.dataOffset, count, values.data());
    shape = header.shape;
    return values;
}

std::string pythonTuple(const Shape& shape) {
    std::string text = "(";
    for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + (shape.size() == 1 ? ",)" : ")");
}

template <class T>
void writeNpy(const std::string& path, const Shape& shape, const T* data, std::string_view descr) {
    std::string header = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': " +
                         pythonTuple(shape) + ", }";
    // numpy pads the header with spaces so the data starts on a 64-byte boundary; it ends in '\n'.
    const size_t prefix = kMagic.size() + 4;
    header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
    if (header.size() > 0xffff) throw Error(path + ": shape " + shapeToString(shape) + " is too long for NPY 1.0");

    std::string bytes(kMagic);
    bytes += '\x01';
    bytes += '\x00';
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    bytes += header;
    encodeLittleEndian(data, static_cast<size_t>(shapeSize(shape)), bytes);

    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw Error(path + ": cannot be written");
}

}  // namespace

Tensor readNpy(const std::string& path) {
    Shape shape;
    std::vector<float> values = readValues<float>(path, shape);
    return Tensor(std::move(shape), std::move(values));
}

DoubleArray readNpyDoubles(const std::string& path) {
    DoubleArray array;
    array.values = readValues<double>(path, array.shape);
    return array;
}

void writeNpyFloat32(const std::string& path, const Shape& shape, const float* data) {
    writeNpy(path, shape, data, "<f4");
}

void writeNpyFloat64(const std::string& path, const Shape& shape, const double* data) {
    writeNpy(path, shape, data, "<f8");
}

}  // namespace flipscope
