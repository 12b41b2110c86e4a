#pragma once
// Reading the raw bytes of an input file, with the "no such file" / "is a directory" errors every
// reader in core/io shares. All errors are flipscope::InputError naming the file.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace flipscope {

constexpr size_t kAllBytes = std::numeric_limits<size_t>::max();

// Throws unless `path` is an existing, readable regular file.
void requireReadableFile(const std::string& path);

// Up to `maxBytes` bytes from the start of the file, as stored.
std::vector<unsigned char> readFileBytes(const std::string& path, size_t maxBytes = kAllBytes);

// Up to `maxBytes` bytes of the content, decompressed when the file is gzip-compressed (read as is
// otherwise). A damaged or truncated gzip stream is an error.
std::vector<unsigned char> readMaybeGzippedBytes(const std::string& path, size_t maxBytes = kAllBytes);

// Whether bytes start with the gzip magic 1f 8b.
bool hasGzipMagic(std::span<const unsigned char> bytes);

// "10x8x8x1" for a shape given as dimensions; "scalar" for none. Used in size-mismatch messages.
std::string dimsText(std::span<const int64_t> dims);

}  // namespace flipscope
