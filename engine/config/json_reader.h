// SPDX-License-Identifier: GPL-3.0-or-later
// Strict reading of a JSON config: every field is typed and range-checked, and a field nobody read
// is an error naming it ("config.json: model[1].unit: unknown field ...").
#pragma once
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace hgq {

class JsonReader {
  public:
    JsonReader(const nlohmann::json& j, std::string path, std::string file);

    bool has(const std::string& key) const { return j_.contains(key); }
    std::string str(const std::string& key, const std::string& fallback);
    std::string str_required(const std::string& key);
    double number(const std::string& key, double fallback, double lo, double hi);
    int64_t integer(const std::string& key, int64_t fallback, int64_t lo, int64_t hi);
    bool boolean(const std::string& key, bool fallback);
    std::vector<std::string> strings(const std::string& key);
    bool is_list(const std::string& key) const { return has(key) && j_.at(key).is_array(); }
    std::vector<int64_t> integers(const std::string& key, int64_t lo, int64_t hi);
    JsonReader object(const std::string& key);
    std::vector<JsonReader> array(const std::string& key);
    // The single key of an object like {"adam": {...}}, one of `allowed`.
    std::string only_key(const std::vector<std::string>& allowed) const;

    // Throws for every field not read.
    void finish() const;
    [[noreturn]] void fail(const std::string& key, const std::string& what,
                           const std::string& hint = {}) const;
    const std::string& path() const { return path_; }
    const std::string& file() const { return file_; }

  private:
    const nlohmann::json& at(const std::string& key);
    std::string field(const std::string& key) const;

    const nlohmann::json& j_;
    std::string path_, file_;
    std::set<std::string> used_;
};

// Parses text as JSON; a syntax error names the file, line and column.
nlohmann::json parse_json_text(const std::string& text, const std::string& file);

}  // namespace hgq
