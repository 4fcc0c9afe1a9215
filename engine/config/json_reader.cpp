// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/json_reader.h"

#include <cmath>

#include "core/error.h"

namespace hgq {

JsonReader::JsonReader(const nlohmann::json& j, std::string path, std::string file)
    : j_(j), path_(std::move(path)), file_(std::move(file)) {
    if (!j_.is_object()) fail("", "must be a JSON object, found " + std::string(j_.type_name()));
}

std::string JsonReader::field(const std::string& key) const {
    if (key.empty()) return path_.empty() ? "(top level)" : path_;
    return path_.empty() ? key : path_ + "." + key;
}

void JsonReader::fail(const std::string& key, const std::string& what,
                      const std::string& hint) const {
    throw Error::bad_input(file_ + ": field '" + field(key) + "'", what, hint);
}

const nlohmann::json& JsonReader::at(const std::string& key) {
    used_.insert(key);
    return j_.at(key);
}

std::string JsonReader::str(const std::string& key, const std::string& fallback) {
    if (!has(key)) return fallback;
    const auto& v = at(key);
    if (!v.is_string()) fail(key, "must be a string, found " + std::string(v.type_name()));
    return v.get<std::string>();
}

std::string JsonReader::str_required(const std::string& key) {
    if (!has(key)) fail(key, "is required");
    return str(key, "");
}

double JsonReader::number(const std::string& key, double fallback, double lo, double hi) {
    if (!has(key)) return fallback;
    const auto& v = at(key);
    if (!v.is_number()) fail(key, "must be a number, found " + std::string(v.type_name()));
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < lo || x > hi)
        fail(key, "must lie in [" + nlohmann::json(lo).dump() + ", " + nlohmann::json(hi).dump() +
                      "], found " + v.dump());
    return x;
}

int64_t JsonReader::integer(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) {
    if (!has(key)) return fallback;
    const auto& v = at(key);
    if (!v.is_number_integer()) fail(key, "must be an integer, found " + v.dump());
    const int64_t x = v.get<int64_t>();
    if (x < lo || x > hi)
        fail(key, "must lie in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], found " +
                      std::to_string(x));
    return x;
}

bool JsonReader::boolean(const std::string& key, bool fallback) {
    if (!has(key)) return fallback;
    const auto& v = at(key);
    if (!v.is_boolean()) fail(key, "must be true or false, found " + v.dump());
    return v.get<bool>();
}

std::vector<std::string> JsonReader::strings(const std::string& key) {
    if (!has(key)) return {};
    const auto& v = at(key);
    if (!v.is_array()) fail(key, "must be a list of strings");
    std::vector<std::string> out;
    for (const auto& e : v) {
        if (!e.is_string()) fail(key, "must be a list of strings, found " + e.dump());
        out.push_back(e.get<std::string>());
    }
    return out;
}

std::vector<int64_t> JsonReader::integers(const std::string& key, int64_t lo, int64_t hi) {
    const auto& v = at(key);
    std::vector<int64_t> out;
    for (const auto& e : v) {
        if (!e.is_number_integer() || e.get<int64_t>() < lo || e.get<int64_t>() > hi)
            fail(key, "must list integers in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                          "], found " + e.dump());
        out.push_back(e.get<int64_t>());
    }
    return out;
}

JsonReader JsonReader::object(const std::string& key) {
    static const nlohmann::json empty = nlohmann::json::object();
    if (!has(key)) return JsonReader(empty, field(key), file_);
    return JsonReader(at(key), field(key), file_);
}

std::vector<JsonReader> JsonReader::array(const std::string& key) {
    if (!has(key)) return {};
    const auto& v = at(key);
    if (!v.is_array()) fail(key, "must be a list");
    std::vector<JsonReader> out;
    for (size_t i = 0; i < v.size(); ++i)
        out.emplace_back(v[i], field(key) + "[" + std::to_string(i) + "]", file_);
    return out;
}

std::string JsonReader::only_key(const std::vector<std::string>& allowed) const {
    std::string names;
    for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a;
    if (j_.size() != 1) fail("", "must have exactly one of: " + names);
    const std::string key = j_.begin().key();
    for (const auto& a : allowed)
        if (a == key) return key;
    fail(key, "unknown choice", "use one of: " + names);
}

void JsonReader::finish() const {
    for (const auto& [key, value] : j_.items())
        if (!used_.count(key)) fail(key, "unknown field", "check the spelling against the README");
}

namespace {
// "config.json:5:3": the line and column of byte `at` (1-based; npos: the file alone).
std::string position(const std::string& file, const std::string& text, size_t at) {
    if (at == std::string::npos) return file;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < at && i < text.size(); ++i) {
        if (text[i] == '\n')
            ++line, col = 1;
        else
            ++col;
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

// nlohmann parses any depth without recursion, but dump() (used in messages) and every recursive
// walk of the result recurse once per level: a config nested a million deep overflowed the
// stack. A real config nests a handful of levels.
constexpr int kMaxJsonDepth = 256;
void check_depth(const std::string& text, const std::string& file) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if ((c == '[' || c == '{') && ++depth > kMaxJsonDepth) {
            throw Error::bad_input(
                position(file, text, i),
                "the JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels",
                "a config needs only a few; check the file");
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}
}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& file) {
    check_depth(text, file);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error::bad_input(position(file, text, e.byte > 0 ? e.byte - 1 : 0), "malformed JSON",
                               "fix the syntax near this position");
    } catch (const nlohmann::json::exception& e) {
        // A number beyond a double (1e999) is out_of_range 406, which carries no position: find
        // the number's text, quoted in the message as "... parsing '1e999'".
        const std::string what = e.what();
        const size_t q = what.find("parsing '");
        const std::string token = q == std::string::npos || !what.ends_with("'")
                                      ? ""
                                      : what.substr(q + 9, what.size() - q - 10);
        const size_t at = token.empty() ? std::string::npos : text.find(token);
        throw Error::bad_input(position(file, text, at),
                               token.empty() || token.size() > 40
                                   ? "a number is out of range"
                                   : "the number " + token + " is out of range",
                               "JSON numbers must fit a double");
    }
}

}  // namespace hgq
