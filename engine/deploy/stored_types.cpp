// SPDX-License-Identifier: GPL-3.0-or-later
// An integer model rebuilt from the types a study stored with its point (types_json): the
// inverse of types_json on a skeleton that supplies the structure (kinds, geometry, patch
// indices, ReLU). What a what-if opens instead of tracing the whole training split again.
#include <charconv>

#include "core/error.h"
#include "deploy/deploy.h"

namespace hgq {
namespace {

int to_int(std::string_view s, const std::string& text) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
        throw Error::bad_input("stored type '" + text + "'", "is not an ap_fixed type",
                               "the study's point is damaged; restore a copy");
    return v;
}

// "ap_fixed<W,I[,Q[,O]]>" / "ap_ufixed<W,I[,Q[,O]]>"; Q and O default to TRN and WRAP.
FixedFormat parse_ap_type(const std::string& text) {
    FixedFormat f;
    const bool sign = text.rfind("ap_fixed<", 0) == 0;
    if (!sign && text.rfind("ap_ufixed<", 0) != 0)
        throw Error::bad_input("stored type '" + text + "'", "is not an ap_fixed type",
                               "the study's point is damaged; restore a copy");
    f.is_signed = sign;
    std::string_view body(text);
    body = body.substr(body.find('<') + 1);
    if (body.empty() || body.back() != '>') return parse_ap_type("?");
    body.remove_suffix(1);
    std::vector<std::string_view> parts;
    for (size_t at = 0;;) {
        const size_t comma = body.find(',', at);
        parts.push_back(body.substr(at, comma - at));
        if (comma == std::string_view::npos) break;
        at = comma + 1;
    }
    if (parts.size() < 2 || parts.size() > 4) return parse_ap_type("?");
    f.W = to_int(parts[0], text);
    f.I = to_int(parts[1], text);
    for (int q = 0; q <= int(QMode::RND_CONV) && parts.size() > 2; ++q)
        if (parts[2] == to_string(QMode(q))) f.q = QMode(q);
    for (int o = 0; o <= int(OMode::SAT_ZERO) && parts.size() > 3; ++o)
        if (parts[3] == to_string(OMode(o))) f.o = OMode(o);
    return f;
}

// A tensor's element types; pruned ("0") elements take the modes its other elements have (one
// layer's types share them), else `fallback`'s.
std::vector<FixedFormat> parse_types(const nlohmann::json& a, FixedFormat fallback) {
    std::vector<FixedFormat> out;
    for (const auto& t : a)
        out.push_back(t == "0" ? FixedFormat{} : parse_ap_type(t.get<std::string>()));
    for (const FixedFormat& f : out)
        if (f.W != 0) {
            fallback.q = f.q, fallback.o = f.o;
            break;
        }
    for (FixedFormat& f : out)
        if (f.W == 0) f = FixedFormat{0, 0, false, fallback.q, fallback.o};
    return out;
}

template <class T>
std::vector<T> vec(const nlohmann::json& j, size_t n, const std::string& where) {
    if (!j.is_array() || j.size() != n)
        throw Error::bad_input(where, "stored types do not match the model's shape",
                               "the study's point is damaged; restore a copy");
    return j.get<std::vector<T>>();
}

}  // namespace

IntegerModel model_from_types(IntegerModel im, const nlohmann::json& types) {
    const std::string where = "stored point types";
    const auto& in = types.at("input").at("out");
    vec<nlohmann::json>(in, im.input_fmt.size(), where);
    im.input_fmt = parse_types(
        in, FixedFormat{0, 0, false, im.input_fmt.empty() ? QMode::TRN : im.input_fmt[0].q,
                        im.input_fmt.empty() ? OMode::WRAP : im.input_fmt[0].o});
    for (IntLayer& d : im.layers) {
        const auto& t = types.at(d.name);
        if (!d.pool_f.empty()) {
            d.pool_f = vec<int>(t.at("out_f"), d.pool_f.size(), where + " of " + d.name);
            continue;
        }
        d.w_code = vec<int64_t>(t.at("weight_code"), d.w_code.size(), where + " of " + d.name);
        d.w_f = vec<int>(t.at("weight_f"), d.w_f.size(), where + " of " + d.name);
        d.b_code = vec<int64_t>(t.at("bias_code"), d.b_code.size(), where + " of " + d.name);
        d.b_f = vec<int>(t.at("bias_f"), d.b_f.size(), where + " of " + d.name);
        d.bias_preshifted = t.at("bias_preshifted").get<bool>();
        vec<nlohmann::json>(t.at("out"), d.out_fmt.size(), where + " of " + d.name);
        const OMode o = d.out_fmt.empty() ? OMode::WRAP : d.out_fmt[0].o;
        d.out_fmt = parse_types(t.at("out"), FixedFormat{0, 0, false, QMode::TRN, o});
    }
    return im;
}

}  // namespace hgq
