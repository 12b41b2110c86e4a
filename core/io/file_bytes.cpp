#include "core/io/file_bytes.h"

#include "core/common/error.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

namespace flipscope {

void requireReadableFile(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) throw InputError(path + ": no such file");
    if (fs::is_directory(status)) throw InputError(path + ": is a directory, expected a file");
    if (!std::ifstream(path, std::ios::binary))
        throw InputError(path + ": cannot be opened for reading (permission denied?)");
}

std::vector<unsigned char> readFileBytes(const std::string& path, size_t maxBytes) {
    requireReadableFile(path);
    std::ifstream in(path, std::ios::binary);
    std::vector<unsigned char> bytes;
    constexpr size_t kBlock = size_t{1} << 20;
    while (bytes.size() < maxBytes && in) {
        const size_t want = std::min(kBlock, maxBytes - bytes.size());
        const size_t old = bytes.size();
        bytes.resize(old + want);
        in.read(reinterpret_cast<char*>(bytes.data() + old), static_cast<std::streamsize>(want));
        bytes.resize(old + static_cast<size_t>(in.gcount()));
    }
    if (in.bad()) throw InputError(path + ": read error");
    return bytes;
}

std::vector<unsigned char> readMaybeGzippedBytes(const std::string& path, size_t maxBytes) {
    requireReadableFile(path);
    // gzread passes plain (non-gzip) files through unchanged, so one code path serves both.
    std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
    if (!file) throw InputError(path + ": cannot be opened for reading");
    std::vector<unsigned char> bytes;
    constexpr size_t kBlock = size_t{1} << 20;
    while (bytes.size() < maxBytes) {
        const size_t want = std::min(kBlock, maxBytes - bytes.size());
        const size_t old = bytes.size();
        bytes.resize(old + want);
        const int got = gzread(file.get(), bytes.data() + old, static_cast<unsigned>(want));
        int code = Z_OK;
        const char* message = gzerror(file.get(), &code);
        // A stream cut short reports Z_BUF_ERROR ("unexpected end of file") after the last bytes.
        if (got < 0 || (code != Z_OK && code != Z_STREAM_END))
            throw InputError(path + ": gzip data is damaged or truncated (zlib: " + message + ")");
        bytes.resize(old + static_cast<size_t>(got));
        if (static_cast<size_t>(got) < want) break;
    }
    return bytes;
}

bool hasGzipMagic(std::span<const unsigned char> bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

std::string dimsText(std::span<const int64_t> dims) {
    if (dims.empty()) return "scalar";
    std::string text;
    for (size_t i = 0; i < dims.size(); ++i) text += (i ? "x" : "") + std::to_string(dims[i]);
    return text;
}

}  // namespace flipscope
