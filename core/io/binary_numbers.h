#pragma once
// Decoding packed binary numbers of a given element type and byte order, shared by the NPY and
// IDX readers (and encoding little-endian ones for the NPY writer).
#include <cstddef>
#include <cstdint>
#include <string>

namespace flipscope {

enum class ElementType { Bool, UInt8, Int8, UInt16, Int16, UInt32, Int32, UInt64, Int64, Float32, Float64 };
enum class ByteOrder { Little, Big };

size_t elementSize(ElementType type);
// numpy's names: "bool", "uint8", ..., "float64".
std::string elementTypeName(ElementType type);

// Converts `count` packed elements at `bytes` to Out (float or double). Bool gives 0/1.
template <class Out>
void decodeNumbers(ElementType type, ByteOrder order, const unsigned char* bytes, size_t count, Out* out);

// Appends the little-endian bytes of `count` values (float or double) to `bytes`.
template <class In>
void encodeLittleEndian(const In* values, size_t count, std::string& bytes);

}  // namespace flipscope
