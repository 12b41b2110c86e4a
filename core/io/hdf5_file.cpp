#include "core/io/hdf5_file.h"

#include "core/common/error.h"
#include "core/io/file_bytes.h"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <type_traits>
#include <utility>

namespace flipscope::h5 {

static_assert(sizeof(hid_t) == sizeof(int64_t), "File stores the hid_t as int64_t");

namespace {

// Keras splits string-list attributes larger than this (HDF5's object-header limit, as used by
// keras/saving/legacy/hdf5_format.py) into name0, name1, ...
constexpr size_t kObjectHeaderLimit = 64512;

std::recursive_mutex& hdf5Mutex() {
    static std::recursive_mutex mutex;
    return mutex;
}

// Held around every use of the HDF5 library. Also switches HDF5's automatic error printing off:
// in thread-safe HDF5 builds that setting is per thread, so it is (cheaply) redone each time.
class Lock {
public:
    Lock() : lock_(hdf5Mutex()) { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

private:
    std::unique_lock<std::recursive_mutex> lock_;
};

// Owns one HDF5 identifier and closes it with the matching H5?close. Only used while a Lock is held.
class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle& operator=(Handle&&) = delete;
    ~Handle() {
        if (id_ >= 0) closer_(id_);
    }
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    hid_t id_;
    Closer closer_;
};

// The innermost message of HDF5's error stack, e.g. "truncated file: eof = 1024, ...".
std::string hdf5Reason() {
    std::string reason;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_DOWNWARD,
        [](unsigned, const H5E_error2_t* error, void* data) -> herr_t {
            if (error->desc && *error->desc) *static_cast<std::string*>(data) = error->desc;
            return 0;
        },
        &reason);
    H5Eclear2(H5E_DEFAULT);
    return reason.empty() ? std::string() : " (HDF5: " + reason + ")";
}

[[noreturn]] void fail(const std::string& file, const std::string& message) {
    throw InputError(file + ": " + message);
}

std::string absolutePath(const std::string& path) {
    if (path.empty()) return "/";
    return path.front() == '/' ? path : "/" + path;
}

std::string quoted(const std::string& text) { return "'" + text + "'"; }

std::string attributeLabel(const std::string& objectPath, const std::string& name) {
    return "attribute " + quoted(name) + " of " + quoted(absolutePath(objectPath));
}

std::string dimsToString(const std::vector<hsize_t>& dims) {
    Shape shape(dims.begin(), dims.end());
    return shapeToString(shape);
}

// "float32", "uint8", "string", ... for a datatype id.
std::string typeName(hid_t type) {
    const size_t size = H5Tget_size(type);
    switch (H5Tget_class(type)) {
    case H5T_INTEGER:
        return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(8 * size);
    case H5T_FLOAT: return "float" + std::to_string(8 * size);
    case H5T_STRING: return "string";
    case H5T_COMPOUND: return "compound";
    case H5T_ENUM: return "enum";
    case H5T_ARRAY: return "array";
    case H5T_VLEN: return "vlen";
    case H5T_OPAQUE: return "opaque";
    case H5T_REFERENCE: return "reference";
    case H5T_BITFIELD: return "bitfield";
    case H5T_TIME: return "time";
    default: return "unknown type";
    }
}

bool isNumeric(hid_t type) {
    const H5T_class_t cls = H5Tget_class(type);
    return cls == H5T_INTEGER || cls == H5T_FLOAT;
}

std::vector<hsize_t> extent(hid_t space) {
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(std::max(rank, 0));
    if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    if (H5Sget_simple_extent_type(space) == H5S_NULL) return {0};
    return dims;
}

// Whether a link chain exists: H5Lexists fails instead of answering when an intermediate is
// missing, so every prefix is checked in turn; the final H5Oexists catches dangling soft links.
bool objectExists(hid_t file, const std::string& path) {
    const std::string full = absolutePath(path);
    if (full == "/") return true;
    for (size_t slash = full.find('/', 1);; slash = full.find('/', slash + 1)) {
        const std::string prefix = full.substr(0, slash);
        if (!prefix.empty() && prefix.back() != '/' && H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0)
            return false;
        if (slash == std::string::npos) break;
    }
    return H5Oexists_by_name(file, full.c_str(), H5P_DEFAULT) > 0;
}

H5I_type_t objectType(hid_t file, const std::string& path) {
    if (!objectExists(file, path)) return H5I_BADID;
    Handle object(H5Oopen(file, absolutePath(path).c_str(), H5P_DEFAULT), H5Oclose);
    return object.valid() ? H5Iget_type(object.get()) : H5I_BADID;
}

// Link-creation properties that create missing parent groups.
Handle intermediateGroups() {
    Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(lcpl.get(), 1);
    return lcpl;
}

template <class T>
struct NumberTraits;
template <>
struct NumberTraits<float> {
    static hid_t memory() { return H5T_NATIVE_FLOAT; }
    static hid_t file() { return H5T_IEEE_F32LE; }
};
template <>
struct NumberTraits<double> {
    static hid_t memory() { return H5T_NATIVE_DOUBLE; }
    static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct NumberTraits<int64_t> {
    static hid_t memory() { return H5T_NATIVE_INT64; }
    static hid_t file() { return H5T_STD_I64LE; }
};

hid_t fileType(NumberType type) {
    switch (type) {
    case NumberType::Float32: return NumberTraits<float>::file();
    case NumberType::Float64: return NumberTraits<double>::file();
    case NumberType::Int64: return NumberTraits<int64_t>::file();
    }
    return -1;
}

// Reads a string attribute of any HDF5 string kind as a list (a scalar gives one entry).
// `expected` words the error when the attribute holds something else.
std::vector<std::string> readStrings(const std::string& file, hid_t attribute, const std::string& label,
                                     const std::string& expected) {
    Handle type(H5Aget_type(attribute), H5Tclose);
    Handle space(H5Aget_space(attribute), H5Sclose);
    const std::vector<hsize_t> dims = extent(space.get());
    const auto count = static_cast<size_t>(H5Sget_simple_extent_npoints(space.get()));
    if (H5Tget_class(type.get()) != H5T_STRING) {
        // Keras writes an empty name list as an empty float64 array.
        if (count == 0 && isNumeric(type.get())) return {};
        fail(file, label + " is not " + expected + " (found " + typeName(type.get()) + " " + dimsToString(dims) + ")");
    }
    if (dims.size() > 1) fail(file, label + " is not " + expected + " (found a " + dimsToString(dims) + " array)");

    std::vector<std::string> result;
    if (count == 0) return result;
    result.reserve(count);
    Handle memType(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_cset(memType.get(), H5Tget_cset(type.get()));
    if (H5Tis_variable_str(type.get()) > 0) {
        H5Tset_size(memType.get(), H5T_VARIABLE);
        std::vector<char*> buffer(count, nullptr);
        if (H5Aread(attribute, memType.get(), buffer.data()) < 0)
            fail(file, "cannot read " + label + hdf5Reason());
        for (const char* text : buffer) result.emplace_back(text ? text : "");
        H5Dvlen_reclaim(memType.get(), space.get(), H5P_DEFAULT, buffer.data());
    } else {
        // Fixed-length: read with the file's own padding so nothing is converted, then cut at the
        // first NUL (NULLPAD/NULLTERM) or strip the trailing blanks (SPACEPAD).
        const size_t size = H5Tget_size(type.get());
        const H5T_str_t pad = H5Tget_strpad(type.get());
        H5Tset_size(memType.get(), size);
        H5Tset_strpad(memType.get(), pad);
        std::vector<char> buffer(count * size);
        if (H5Aread(attribute, memType.get(), buffer.data()) < 0)
            fail(file, "cannot read " + label + hdf5Reason());
        for (size_t i = 0; i < count; ++i) {
            std::string text(buffer.data() + i * size, size);
            if (pad == H5T_STR_SPACEPAD)
                text.erase(text.find_last_not_of(' ') + 1);
            else
                text.erase(std::min(text.find('\0'), text.size()));
            result.push_back(std::move(text));
        }
    }
    return result;
}

void deleteAttributeIfPresent(hid_t object, const std::string& name) {
    if (H5Aexists(object, name.c_str()) > 0) H5Adelete(object, name.c_str());
}

// Removes `name` and any split parts `name0`, `name1`, ... so a rewrite leaves no stale pieces.
void deleteAttributeFamily(hid_t object, const std::string& name) {
    deleteAttributeIfPresent(object, name);
    for (int part = 0; H5Aexists(object, (name + std::to_string(part)).c_str()) > 0; ++part)
        H5Adelete(object, (name + std::to_string(part)).c_str());
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Opening and closing

File File::open(const std::string& path, bool writable) {
    requireReadableFile(path);
    Lock lock;
    const htri_t isHdf5 = H5Fis_hdf5(path.c_str());
    if (isHdf5 == 0) fail(path, "not an HDF5 file");
    if (isHdf5 < 0) fail(path, "cannot be read as HDF5" + hdf5Reason());

    // Strong close degree: closing the file really closes it, so it can be rewritten afterwards.
    Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG);
    const hid_t id = H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, access.get());
    if (id >= 0) return File(path, id);

    const std::string reason = hdf5Reason();
    if (writable) {
        const hid_t readOnly = H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get());
        if (readOnly >= 0) {
            H5Fclose(readOnly);
            fail(path, "cannot be opened for writing (read-only, or open elsewhere?)" + reason);
        }
        H5Eclear2(H5E_DEFAULT);
    }
    fail(path, "cannot be read as HDF5 (truncated or damaged?)" + reason);
}

File File::openRead(const std::string& path) { return open(path, false); }

File File::openReadWrite(const std::string& path) { return open(path, true); }

File File::create(const std::string& path) {
    Lock lock;
    Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG);
    const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get());
    if (id < 0) fail(path, "cannot be created" + hdf5Reason());
    return File(path, id);
}

File::File(File&& other) noexcept : path_(std::move(other.path_)), id_(std::exchange(other.id_, -1)) {}

File& File::operator=(File&& other) noexcept {
    if (this != &other) {
        close();
        path_ = std::move(other.path_);
        id_ = std::exchange(other.id_, -1);
    }
    return *this;
}

File::~File() { close(); }

void File::close() noexcept {
    if (id_ < 0) return;
    Lock lock;
    H5Fclose(id_);
    id_ = -1;
}

void File::flush() {
    Lock lock;
    if (H5Fflush(id_, H5F_SCOPE_LOCAL) < 0) fail(path_, "cannot be flushed to disk" + hdf5Reason());
}

// ---------------------------------------------------------------------------------------------
// Structure

bool File::exists(const std::string& objectPath) const {
    Lock lock;
    return objectExists(id_, objectPath);
}

bool File::isGroup(const std::string& objectPath) const {
    Lock lock;
    return objectType(id_, objectPath) == H5I_GROUP;
}

bool File::isDataset(const std::string& objectPath) const {
    Lock lock;
    return objectType(id_, objectPath) == H5I_DATASET;
}

namespace {

struct Member {
    std::string name;
    bool hardLink;
};

std::vector<Member> members(const std::string& file, hid_t fileId, const std::string& groupPath) {
    const H5I_type_t type = objectType(fileId, groupPath);
    if (type == H5I_BADID) fail(file, "no group " + quoted(absolutePath(groupPath)));
    if (type != H5I_GROUP) fail(file, quoted(absolutePath(groupPath)) + " is not a group");
    Handle group(H5Gopen2(fileId, absolutePath(groupPath).c_str(), H5P_DEFAULT), H5Gclose);
    std::vector<Member> result;
    const herr_t status = H5Literate(
        group.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t, const char* name, const H5L_info_t* info, void* data) -> herr_t {
            static_cast<std::vector<Member>*>(data)->push_back({name, info->type == H5L_TYPE_HARD});
            return 0;
        },
        &result);
    if (status < 0) fail(file, "cannot list group " + quoted(absolutePath(groupPath)) + hdf5Reason());
    return result;
}

std::string joinPath(const std::string& group, const std::string& name) {
    const std::string base = absolutePath(group);
    return base.back() == '/' ? base + name : base + "/" + name;
}

void collectDatasets(const std::string& file, hid_t fileId, const std::string& groupPath, int depth,
                     std::vector<std::string>& out) {
    // Hard-link cycles are legal in HDF5; the depth cap keeps a cyclic file from recursing forever.
    if (depth > 64) return;
    for (const Member& member : members(file, fileId, groupPath)) {
        if (!member.hardLink) continue;
        const std::string path = joinPath(groupPath, member.name);
        const H5I_type_t type = objectType(fileId, path);
        if (type == H5I_DATASET) out.push_back(path);
        else if (type == H5I_GROUP) collectDatasets(file, fileId, path, depth + 1, out);
    }
}

}  // namespace

std::vector<std::string> File::children(const std::string& groupPath) const {
    Lock lock;
    std::vector<std::string> names;
    for (Member& member : members(path_, id_, groupPath)) names.push_back(std::move(member.name));
    return names;
}

std::vector<std::string> File::datasetPaths(const std::string& groupPath) const {
    Lock lock;
    std::vector<std::string> paths;
    collectDatasets(path_, id_, groupPath, 0, paths);
    return paths;
}

// ---------------------------------------------------------------------------------------------
// Attributes

namespace {

Handle openObject(const std::string& file, hid_t fileId, const std::string& objectPath) {
    if (!objectExists(fileId, objectPath)) fail(file, "no object " + quoted(absolutePath(objectPath)));
    Handle object(H5Oopen(fileId, absolutePath(objectPath).c_str(), H5P_DEFAULT), H5Oclose);
    if (!object.valid()) fail(file, "cannot open " + quoted(absolutePath(objectPath)) + hdf5Reason());
    return object;
}

Handle openAttribute(const std::string& file, hid_t fileId, const std::string& objectPath, const std::string& name) {
    Handle object = openObject(file, fileId, objectPath);
    if (H5Aexists(object.get(), name.c_str()) <= 0) fail(file, "no " + attributeLabel(objectPath, name));
    Handle attribute(H5Aopen(object.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!attribute.valid()) fail(file, "cannot open " + attributeLabel(objectPath, name) + hdf5Reason());
    return attribute;
}

}  // namespace

bool File::hasAttribute(const std::string& objectPath, const std::string& name) const {
    Lock lock;
    Handle object = openObject(path_, id_, objectPath);
    return H5Aexists(object.get(), name.c_str()) > 0;
}

std::string File::stringAttribute(const std::string& objectPath, const std::string& name) const {
    Lock lock;
    Handle attribute = openAttribute(path_, id_, objectPath, name);
    const std::string label = attributeLabel(objectPath, name);
    std::vector<std::string> values = readStrings(path_, attribute.get(), label, "a string");
    if (values.size() != 1)
        fail(path_, label + " holds " + std::to_string(values.size()) + " strings, expected one");
    return std::move(values.front());
}

std::vector<std::string> File::stringListAttribute(const std::string& objectPath, const std::string& name) const {
    Lock lock;
    const std::string expected = "a string list";
    Handle object = openObject(path_, id_, objectPath);
    if (H5Aexists(object.get(), name.c_str()) > 0) {
        Handle attribute = openAttribute(path_, id_, objectPath, name);
        return readStrings(path_, attribute.get(), attributeLabel(objectPath, name), expected);
    }
    // Keras's split form for long lists: name0, name1, ... concatenated in order.
    std::vector<std::string> all;
    int part = 0;
    for (; H5Aexists(object.get(), (name + std::to_string(part)).c_str()) > 0; ++part) {
        const std::string partName = name + std::to_string(part);
        Handle attribute = openAttribute(path_, id_, objectPath, partName);
        std::vector<std::string> values =
            readStrings(path_, attribute.get(), attributeLabel(objectPath, partName), expected);
        all.insert(all.end(), std::make_move_iterator(values.begin()), std::make_move_iterator(values.end()));
    }
    if (part == 0)
        fail(path_, "no " + attributeLabel(objectPath, name) + " (nor its split form " + quoted(name + "0") +
                        ", " + quoted(name + "1") + ", ...)");
    return all;
}

double File::numberAttribute(const std::string& objectPath, const std::string& name) const {
    Lock lock;
    Handle attribute = openAttribute(path_, id_, objectPath, name);
    Handle type(H5Aget_type(attribute.get()), H5Tclose);
    Handle space(H5Aget_space(attribute.get()), H5Sclose);
    const std::string label = attributeLabel(objectPath, name);
    if (!isNumeric(type.get())) fail(path_, label + " is not a number (found " + typeName(type.get()) + ")");
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count != 1)
        fail(path_, label + " holds " + std::to_string(count) + " values, expected one number");
    double value = 0;
    if (H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0) fail(path_, "cannot read " + label + hdf5Reason());
    return value;
}

// ---------------------------------------------------------------------------------------------
// Reading datasets

namespace {

Handle openDataset(const std::string& file, hid_t fileId, const std::string& datasetPath) {
    const H5I_type_t type = objectType(fileId, datasetPath);
    if (type == H5I_BADID) fail(file, "no dataset " + quoted(absolutePath(datasetPath)));
    if (type != H5I_DATASET) fail(file, quoted(absolutePath(datasetPath)) + " is a group, not a dataset");
    Handle dataset(H5Dopen2(fileId, absolutePath(datasetPath).c_str(), H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) fail(file, "cannot open dataset " + quoted(absolutePath(datasetPath)) + hdf5Reason());
    return dataset;
}

}  // namespace

Shape File::datasetShape(const std::string& datasetPath) const {
    Lock lock;
    Handle dataset = openDataset(path_, id_, datasetPath);
    Handle space(H5Dget_space(dataset.get()), H5Sclose);
    const std::vector<hsize_t> dims = extent(space.get());
    return Shape(dims.begin(), dims.end());
}

std::string File::datasetTypeName(const std::string& datasetPath) const {
    Lock lock;
    Handle dataset = openDataset(path_, id_, datasetPath);
    Handle type(H5Dget_type(dataset.get()), H5Tclose);
    return typeName(type.get());
}

template <class T>
std::vector<T> File::readNumbers(const std::string& datasetPath) const {
    Lock lock;
    Handle dataset = openDataset(path_, id_, datasetPath);
    Handle type(H5Dget_type(dataset.get()), H5Tclose);
    const std::string label = "dataset " + quoted(absolutePath(datasetPath));
    if (!isNumeric(type.get()))
        fail(path_, label + " holds " + typeName(type.get()) + " values, expected numbers");
    Handle space(H5Dget_space(dataset.get()), H5Sclose);
    std::vector<T> values(static_cast<size_t>(H5Sget_simple_extent_npoints(space.get())));
    if (!values.empty() &&
        H5Dread(dataset.get(), NumberTraits<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
        fail(path_, "cannot read " + label + hdf5Reason());
    return values;
}

std::vector<float> File::readFloats(const std::string& datasetPath) const { return readNumbers<float>(datasetPath); }

std::vector<double> File::readDoubles(const std::string& datasetPath) const {
    return readNumbers<double>(datasetPath);
}

std::vector<int64_t> File::readInts(const std::string& datasetPath) const {
    return readNumbers<int64_t>(datasetPath);
}

// ---------------------------------------------------------------------------------------------
// Writing

void File::createGroup(const std::string& groupPath) {
    Lock lock;
    const H5I_type_t type = objectType(id_, groupPath);
    if (type == H5I_GROUP) return;
    if (type != H5I_BADID) fail(path_, quoted(absolutePath(groupPath)) + " exists and is not a group");
    Handle lcpl = intermediateGroups();
    Handle group(H5Gcreate2(id_, absolutePath(groupPath).c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    if (!group.valid()) fail(path_, "cannot create group " + quoted(absolutePath(groupPath)) + hdf5Reason());
}

void File::writeStringArray(const std::string& objectPath, const std::string& name,
                            const std::vector<std::string>& values, StringKind kind, bool scalar) {
    Handle object = openObject(path_, id_, objectPath);
    deleteAttributeIfPresent(object.get(), name);

    const bool ascii = std::all_of(values.begin(), values.end(), [](const std::string& text) {
        return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    });
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_cset(type.get(), ascii ? H5T_CSET_ASCII : H5T_CSET_UTF8);
    const hsize_t count = values.size();
    Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &count, nullptr), H5Sclose);

    // Fixed-length strings are NULL-padded to the longest entry, as numpy's "|S<n>" (and so Keras) stores them.
    std::vector<char> fixed;
    std::vector<const char*> variable;
    const void* data = nullptr;
    if (kind == StringKind::Fixed) {
        size_t size = 1;
        for (const std::string& text : values) size = std::max(size, text.size());
        H5Tset_size(type.get(), size);
        H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
        fixed.assign(values.size() * size, '\0');
        for (size_t i = 0; i < values.size(); ++i) std::memcpy(fixed.data() + i * size, values[i].data(), values[i].size());
        data = fixed.data();
    } else {
        H5Tset_size(type.get(), H5T_VARIABLE);
        for (const std::string& text : values) variable.push_back(text.c_str());
        data = variable.data();
    }

    const std::string label = attributeLabel(objectPath, name);
    Handle attribute(H5Acreate2(object.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                     H5Aclose);
    if (!attribute.valid()) fail(path_, "cannot create " + label + hdf5Reason());
    if (!values.empty() && H5Awrite(attribute.get(), type.get(), data) < 0)
        fail(path_, "cannot write " + label + hdf5Reason());
}

void File::writeStringAttribute(const std::string& objectPath, const std::string& name, const std::string& value,
                                StringKind kind) {
    Lock lock;
    writeStringArray(objectPath, name, {value}, kind, true);
}

void File::writeStringListAttribute(const std::string& objectPath, const std::string& name,
                                    const std::vector<std::string>& values, StringKind kind) {
    Lock lock;
    {
        Handle object = openObject(path_, id_, objectPath);
        deleteAttributeFamily(object.get(), name);
    }
    // Same rule as Keras's save_attributes_to_hdf5_group: the fewest parts (numpy.array_split
    // sizes) whose bytes each fit the limit. A variable-length entry costs 16 bytes in the header.
    size_t entryBytes = 16;
    if (kind == StringKind::Fixed) {
        entryBytes = 1;
        for (const std::string& text : values) entryBytes = std::max(entryBytes, text.size());
    }
    if (entryBytes > kObjectHeaderLimit)
        fail(path_, "cannot write " + attributeLabel(objectPath, name) + ": one entry is longer than " +
                        std::to_string(kObjectHeaderLimit) + " bytes");
    size_t parts = 1;
    while ((values.size() + parts - 1) / parts * entryBytes > kObjectHeaderLimit) ++parts;
    if (parts == 1) {
        writeStringArray(objectPath, name, values, kind, false);
        return;
    }
    size_t begin = 0;
    for (size_t part = 0; part < parts; ++part) {
        const size_t size = values.size() / parts + (part < values.size() % parts ? 1 : 0);
        const std::vector<std::string> chunk(values.begin() + begin, values.begin() + begin + size);
        writeStringArray(objectPath, name + std::to_string(part), chunk, kind, false);
        begin += size;
    }
}

void File::writeNumberAttribute(const std::string& objectPath, const std::string& name, double value) {
    Lock lock;
    Handle object = openObject(path_, id_, objectPath);
    deleteAttributeIfPresent(object.get(), name);
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attribute(H5Acreate2(object.get(), name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                     H5Aclose);
    if (!attribute.valid() || H5Awrite(attribute.get(), H5T_NATIVE_DOUBLE, &value) < 0)
        fail(path_, "cannot write " + attributeLabel(objectPath, name) + hdf5Reason());
}

template <class T>
void File::writeNumbers(const std::string& datasetPath, const Shape& shape, std::span<const T> data) {
    Lock lock;
    const std::string label = "dataset " + quoted(absolutePath(datasetPath));
    if (shapeSize(shape) != static_cast<int64_t>(data.size()))
        throw Error(path_ + ": " + label + " of shape " + shapeToString(shape) + " given " +
                    std::to_string(data.size()) + " values");
    if (objectExists(id_, datasetPath)) fail(path_, label + " already exists");
    const std::vector<hsize_t> dims(shape.begin(), shape.end());
    Handle space(dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                 H5Sclose);
    Handle lcpl = intermediateGroups();
    Handle dataset(H5Dcreate2(id_, absolutePath(datasetPath).c_str(), NumberTraits<T>::file(), space.get(), lcpl.get(),
                              H5P_DEFAULT, H5P_DEFAULT),
                   H5Dclose);
    if (!dataset.valid()) fail(path_, "cannot create " + label + hdf5Reason());
    if (!data.empty() &&
        H5Dwrite(dataset.get(), NumberTraits<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0)
        fail(path_, "cannot write " + label + hdf5Reason());
}

void File::writeFloats(const std::string& datasetPath, const Shape& shape, std::span<const float> data) {
    writeNumbers<float>(datasetPath, shape, data);
}

void File::writeDoubles(const std::string& datasetPath, const Shape& shape, std::span<const double> data) {
    writeNumbers<double>(datasetPath, shape, data);
}

void File::writeInts(const std::string& datasetPath, const Shape& shape, std::span<const int64_t> data) {
    writeNumbers<int64_t>(datasetPath, shape, data);
}

// ---------------------------------------------------------------------------------------------
// Appendable datasets

void File::createAppendable(const std::string& datasetPath, const Shape& rowShape, NumberType type,
                            int64_t chunkRows) {
    Lock lock;
    const std::string label = "dataset " + quoted(absolutePath(datasetPath));
    if (chunkRows <= 0 || std::any_of(rowShape.begin(), rowShape.end(), [](int64_t d) { return d <= 0; }))
        throw Error(path_ + ": " + label + ": appendable rows need positive sizes, got chunk " +
                    std::to_string(chunkRows) + " x " + shapeToString(rowShape));
    if (objectExists(id_, datasetPath)) fail(path_, label + " already exists");

    std::vector<hsize_t> dims{0}, maxDims{H5S_UNLIMITED}, chunk{static_cast<hsize_t>(chunkRows)};
    for (int64_t d : rowShape) {
        dims.push_back(d);
        maxDims.push_back(d);
        chunk.push_back(d);
    }
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), maxDims.data()), H5Sclose);
    Handle create(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_chunk(create.get(), static_cast<int>(chunk.size()), chunk.data());
    Handle lcpl = intermediateGroups();
    Handle dataset(H5Dcreate2(id_, absolutePath(datasetPath).c_str(), fileType(type), space.get(), lcpl.get(),
                              create.get(), H5P_DEFAULT),
                   H5Dclose);
    if (!dataset.valid()) fail(path_, "cannot create " + label + hdf5Reason());
}

template <class T>
void File::appendNumbers(const std::string& datasetPath, const T* data, int64_t rows) {
    Lock lock;
    const std::string label = "dataset " + quoted(absolutePath(datasetPath));
    Handle dataset = openDataset(path_, id_, datasetPath);
    Handle space(H5Dget_space(dataset.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> dims(std::max(rank, 0)), maxDims(std::max(rank, 0));
    if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), maxDims.data());
    if (rank <= 0 || maxDims[0] != H5S_UNLIMITED)
        fail(path_, label + " is not appendable (expected an unlimited first dimension; create it with createAppendable)");
    if (rows <= 0) return;

    std::vector<hsize_t> start(dims.size(), 0), count = dims;
    start[0] = dims[0];
    count[0] = static_cast<hsize_t>(rows);
    dims[0] += static_cast<hsize_t>(rows);
    if (H5Dset_extent(dataset.get(), dims.data()) < 0) fail(path_, "cannot grow " + label + hdf5Reason());

    Handle fileSpace(H5Dget_space(dataset.get()), H5Sclose);
    H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
    Handle memorySpace(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
    if (H5Dwrite(dataset.get(), NumberTraits<T>::memory(), memorySpace.get(), fileSpace.get(), H5P_DEFAULT, data) < 0)
        fail(path_, "cannot append to " + label + hdf5Reason());
}

void File::appendRows(const std::string& datasetPath, const float* data, int64_t rows) {
    appendNumbers(datasetPath, data, rows);
}

void File::appendRows(const std::string& datasetPath, const double* data, int64_t rows) {
    appendNumbers(datasetPath, data, rows);
}

void File::appendRows(const std::string& datasetPath, const int64_t* data, int64_t rows) {
    appendNumbers(datasetPath, data, rows);
}

}  // namespace flipscope::h5
