// SPDX-License-Identifier: GPL-3.0-or-later
#include "cost/fpga_parts.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"

namespace hgq {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

int64_t count(const nlohmann::json& e, const char* key, const std::string& where) {
    if (!e.contains(key) || !e.at(key).is_number_integer() || e.at(key).get<int64_t>() < 0)
        throw Error::bad_input(where, std::string("'") + key + "' must be a count >= 0");
    return e.at(key).get<int64_t>();
}

std::string text(const nlohmann::json& e, const char* key, const std::string& where) {
    if (!e.contains(key) || !e.at(key).is_string() || e.at(key).get<std::string>().empty())
        throw Error::bad_input(where, std::string("'") + key + "' must be a non-empty string");
    return e.at(key).get<std::string>();
}

}  // namespace

std::vector<FpgaPart> load_fpga_parts(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw Error::bad_input(path, "cannot read the FPGA part table",
                               "reinstall HGQ Studio or set HGQ_RESOURCES to its resources folder");
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("parts") || !j.at("parts").is_array())
        throw Error::bad_input(path, "not an FPGA part table", "expected {\"parts\": [...]}");
    std::vector<FpgaPart> parts;
    for (size_t k = 0; k < j.at("parts").size(); ++k) {
        const auto& e = j.at("parts").at(k);
        const std::string where = path + ": parts[" + std::to_string(k) + "]";
        if (!e.is_object()) throw Error::bad_input(where, "must be an object");
        FpgaPart p{lower(text(e, "name", where)), text(e, "series", where),
                   text(e, "family", where),      count(e, "luts", where),
                   count(e, "ffs", where),        count(e, "dsps", where),
                   count(e, "brams", where),      count(e, "urams", where),
                   text(e, "source", where)};
        if (p.luts == 0) throw Error::bad_input(where, "'luts' must be larger than 0");
        parts.push_back(std::move(p));
    }
    return parts;
}

const FpgaPart& find_fpga_part(const std::vector<FpgaPart>& parts, const std::string& name,
                               const std::string& file) {
    const std::string want = lower(name);
    const FpgaPart* best = nullptr;
    for (const FpgaPart& p : parts)  // the longest table name the part number starts with
        if (want.rfind(p.name, 0) == 0 && (want.size() == p.name.size() || want[p.name.size()] == '-'))
            if (!best || p.name.size() > best->name.size()) best = &p;
    if (best) return *best;
    std::ostringstream known;
    for (size_t k = 0; k < parts.size(); ++k) known << (k ? ", " : "") << parts[k].name;
    throw Error::bad_input("--part " + name, "unknown FPGA part (not in " + file + ")",
                           "known parts: " + known.str());
}

}  // namespace hgq
