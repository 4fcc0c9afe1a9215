// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/tensor_blob.h"

#include <zlib.h>

#include <bit>
#include <cstring>

#include "core/error.h"

namespace hgq::store {
namespace {
static_assert(std::endian::native == std::endian::little, "the BLOB layout is little-endian");

constexpr char kMagic[4] = {'H', 'G', 'Q', 'T'};
constexpr uint32_t kVersion = 1;
enum : uint8_t { kF32 = 1, kF64 = 2, kNull = 3 };  // null: a layer without parameters

template <class T>
void put(std::string& out, T v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void flatten(const nlohmann::json& j, const std::string& prefix,
             std::vector<std::pair<std::string, const nlohmann::json*>>& leaves) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            flatten(it.value(), prefix.empty() ? it.key() : prefix + "/" + it.key(), leaves);
        return;
    }
    if (!j.is_number() && !j.is_array() && !j.is_null())
        throw Error::runtime("checkpoint", "snapshot entry '" + prefix + "' is not numeric");
    leaves.emplace_back(prefix, &j);
}

void put_leaf(std::string& out, const std::string& name, const nlohmann::json& leaf) {
    if (leaf.is_null()) {
        put<uint16_t>(out, uint16_t(name.size()));
        out += name;
        put<uint8_t>(out, kNull);
        put<uint8_t>(out, 0);
        return;
    }
    std::vector<double> v;
    if (leaf.is_number())
        v.push_back(leaf.get<double>());
    else
        for (const auto& e : leaf) v.push_back(e.get<double>());
    bool f32 = true;
    for (double d : v) f32 = f32 && double(float(d)) == d;
    put<uint16_t>(out, uint16_t(name.size()));
    out += name;
    put<uint8_t>(out, f32 ? kF32 : kF64);
    put<uint8_t>(out, leaf.is_array() ? 1 : 0);
    if (leaf.is_array()) put<uint64_t>(out, v.size());
    for (double d : v) f32 ? put<float>(out, float(d)) : put<double>(out, d);
}

// Bounds-checked reader: a truncated BLOB is an error, never a read past the end.
struct Reader {
    const std::string& b;
    size_t pos;
    const std::string& where;
    template <class T>
    T get() {
        if (pos + sizeof(T) > b.size())
            throw Error::bad_input(where, "the checkpoint BLOB is truncated",
                                   "the study is damaged; restore it from a backup");
        T v;
        std::memcpy(&v, b.data() + pos, sizeof v);
        pos += sizeof v;
        return v;
    }
    std::string bytes(size_t n) {
        if (pos + n > b.size())
            throw Error::bad_input(where, "the checkpoint BLOB is truncated",
                                   "the study is damaged; restore it from a backup");
        pos += n;
        return b.substr(pos - n, n);
    }
};

void set_path(nlohmann::json& root, const std::string& name, nlohmann::json value) {
    nlohmann::json* node = &root;
    size_t start = 0;
    for (size_t slash; (slash = name.find('/', start)) != std::string::npos; start = slash + 1)
        node = &(*node)[name.substr(start, slash - start)];
    (*node)[name.substr(start)] = std::move(value);
}

}  // namespace

std::string encode_snapshot(const nlohmann::json& snapshot) {
    std::vector<std::pair<std::string, const nlohmann::json*>> leaves;
    flatten(snapshot, "", leaves);
    std::string out(kMagic, 4);
    put<uint32_t>(out, kVersion);
    put<uint32_t>(out, uint32_t(leaves.size()));
    for (const auto& [name, leaf] : leaves) put_leaf(out, name, *leaf);
    put<uint32_t>(out, uint32_t(crc32(0, reinterpret_cast<const Bytef*>(out.data()), out.size())));
    return out;
}

nlohmann::json decode_snapshot(const std::string& blob, const std::string& where) {
    if (blob.size() < 16 || blob.compare(0, 4, kMagic, 4) != 0)
        throw Error::bad_input(where, "the checkpoint BLOB is not an HGQ tensor set",
                               "the study is damaged or was written by another program");
    const size_t body = blob.size() - 4;
    uint32_t stored;
    std::memcpy(&stored, blob.data() + body, 4);
    if (stored != uint32_t(crc32(0, reinterpret_cast<const Bytef*>(blob.data()), body)))
        throw Error::bad_input(where, "the checkpoint BLOB fails its CRC-32 check",
                               "the study is damaged; restore it from a backup");
    const std::string trimmed = blob.substr(0, body);
    Reader r{trimmed, 4, where};
    if (const auto v = r.get<uint32_t>(); v != kVersion)
        throw Error::bad_input(where, "checkpoint BLOB version " + std::to_string(v),
                               "written by a newer HGQ Studio; upgrade to read it");
    const auto count = r.get<uint32_t>();
    nlohmann::json root = nlohmann::json::object();
    for (uint32_t t = 0; t < count; ++t) {
        const std::string name = r.bytes(r.get<uint16_t>());
        const auto dtype = r.get<uint8_t>(), rank = r.get<uint8_t>();
        if (dtype == kNull && rank == 0) {
            set_path(root, name, nullptr);
            continue;
        }
        if ((dtype != kF32 && dtype != kF64) || rank > 1)
            throw Error::bad_input(where, "tensor '" + name + "' has an unknown dtype or rank");
        const uint64_t n = rank ? r.get<uint64_t>() : 1;
        if (n > trimmed.size()) throw Error::bad_input(where, "tensor '" + name + "' is truncated");
        std::vector<double> v(n);
        for (auto& d : v) d = dtype == kF32 ? double(r.get<float>()) : r.get<double>();
        set_path(root, name, rank ? nlohmann::json(v) : nlohmann::json(v[0]));
    }
    return root;
}

}  // namespace hgq::store
