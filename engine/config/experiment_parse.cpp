// SPDX-License-Identifier: GPL-3.0-or-later
#include <filesystem>

#include "config/experiment.h"
#include "config/json_reader.h"
#include "core/error.h"
#include "data/dataset.h"

namespace hgq {
namespace {

Granularity parse_granularity(JsonReader& r) {
    const std::string g = r.str("granularity", "per-element");
    if (g == "per-weight" || g == "per-element") return Granularity::PerElement;
    if (g == "per-channel") return Granularity::PerChannel;
    if (g == "per-layer") return Granularity::PerLayer;
    r.fail("granularity", "unknown granularity '" + g + "'",
           "use per-weight/per-element, per-channel or per-layer");
}

Rounding parse_rounding(JsonReader& r, const std::string& fallback) {
    const std::string s = r.str("rounding", fallback);
    if (s == "RND") return Rounding::RND;
    if (s == "TRN") return Rounding::TRN;
    if (s == "stochastic") return Rounding::Stochastic;
    if (s == "auto") return Rounding::Auto;
    r.fail("rounding", "unknown rounding '" + s + "'", "use RND, TRN, stochastic or auto");
}

QuantSpec parse_quant(JsonReader r, const std::string& rounding_fallback) {
    QuantSpec q;
    q.granularity = parse_granularity(r);
    q.init_bits = Scalar(r.number("init_fractional_bits", 2, -23, 23));
    q.rounding = parse_rounding(r, rounding_fallback);
    r.finish();
    return q;
}

// "kernel_size": 3 or [3, 3]; 1-D layers take one number.
void parse_pair(JsonReader& r, const std::string& key, bool one_d, int fallback, int& a, int& b) {
    a = b = fallback;
    if (!r.has(key)) return;
    std::vector<int64_t> v;
    if (r.is_list(key))
        v = r.integers(key, 1, 1024);
    else
        v = {r.integer(key, fallback, 1, 1024)};
    if (one_d && v.size() != 1) r.fail(key, "a 1-D layer takes one number");
    if (v.size() == 1) v.push_back(v[0]);
    if (v.size() != 2) r.fail(key, "must be a number or a list of two");
    if (one_d)
        a = 1, b = int(v[0]);
    else
        a = int(v[0]), b = int(v[1]);
}

void parse_activation(JsonReader& r, LayerSpec& l) {
    l.batchnorm = r.boolean("batchnorm", false);
    const std::string act = r.str("activation", "linear");
    if (act != "relu" && act != "linear")
        r.fail("activation", "unknown activation '" + act + "'",
               "HGQ layers take relu or linear (logits)");
    l.relu = act == "relu";
}

LayerSpec parse_layer(JsonReader& r) {
    LayerSpec l;
    l.type = r.str_required("layer");
    const bool one_d = l.type.ends_with("1d");
    if (l.type == "dense") {
        l.units = int(r.integer("units", 0, 1, 1 << 16));
        parse_activation(r, l);
    } else if (l.type == "conv1d" || l.type == "conv2d") {
        l.units = int(r.integer("filters", 0, 1, 1 << 16));
        parse_pair(r, "kernel_size", one_d, 3, l.kh, l.kw);
        parse_pair(r, "strides", one_d, 1, l.sh, l.sw);
        const std::string pad = r.str("padding", "valid");
        if (pad != "valid" && pad != "same")
            r.fail("padding", "unknown padding '" + pad + "'", "use valid or same");
        l.same = pad == "same";
        l.parallel_factor = int(r.integer("parallel_factor", 0, 1, 1 << 20));
        parse_activation(r, l);
    } else if (l.type == "maxpool1d" || l.type == "maxpool2d" || l.type == "avgpool1d" ||
               l.type == "avgpool2d") {
        parse_pair(r, "pool_size", one_d, 2, l.kh, l.kw);
        parse_pair(r, "strides", one_d, 0, l.sh, l.sw);
        if (l.sh == 0) l.sh = l.kh, l.sw = l.kw;  // Keras: strides default to the pool size
    } else if (l.type != "input_quantizer" && l.type != "flatten") {
        r.fail("layer", "unknown layer type '" + l.type + "'",
               "use input_quantizer, dense, conv1d, conv2d, maxpool1d/2d, avgpool1d/2d or flatten");
    }
    r.finish();  // a misspelt field ("unit") is reported before the missing one it stands for
    if (l.type == "dense" && l.units == 0) r.fail("units", "is required for a dense layer");
    if (l.type.starts_with("conv") && l.units == 0)
        r.fail("filters", "is required for a convolution");
    return l;
}

void parse_data(JsonReader r, DataConfig& d, const std::filesystem::path& base) {
    d.source = r.str_required("source");
    static const std::vector<std::string> sources = {"digits", "fashion-mnist", "idx",
                                                     "csv",    "arff",          "npy"};
    if (std::find(sources.begin(), sources.end(), d.source) == sources.end())
        r.fail("source", "unknown data source '" + d.source + "'",
               "use digits, fashion-mnist, idx, csv, arff or npy");
    auto file = [&](const std::string& key) {
        const std::string p = r.str(key, "");
        return p.empty() ? p : (base / p).lexically_normal().string();
    };
    d.path = file("path");
    d.labels = file("labels");
    d.test_path = file("test_path");
    d.test_labels = file("test_labels");
    d.dir = file("dir");
    d.label_column = r.str("label_column", "");
    d.header = r.boolean("header", true);
    d.label_order = r.strings("label_order");
    d.limit = r.integer("limit", 0, 0, int64_t(1) << 40);
    const bool needs_path =
        d.source == "idx" || d.source == "csv" || d.source == "arff" || d.source == "npy";
    if (needs_path && d.path.empty()) r.fail("path", "is required for source '" + d.source + "'");
    if ((d.source == "idx" || d.source == "npy") && d.labels.empty())
        r.fail("labels", "is required for source '" + d.source + "' (the label file)");
    r.finish();
}

}  // namespace

void parse_training(JsonReader t, TrainOptions& o);
void parse_beta(std::vector<JsonReader> blocks, BetaSchedule& b);
void parse_beta_controller(JsonReader b, TrainOptions& o);

ExperimentConfig parse_experiment(const nlohmann::json& j, const std::string& file) {
    ExperimentConfig c;
    c.file = file;
    JsonReader r(j, "", file);
    c.name = r.str("name", std::filesystem::path(file).stem().string());
    const auto base = std::filesystem::path(file).parent_path();
    if (!r.has("data")) r.fail("data", "is required");
    parse_data(r.object("data"), c.data, base);
    JsonReader split = r.object("split");
    c.validation_fraction = split.number("validation", 0.15, 0, 0.95);
    c.test_fraction = split.number("test", 0.2, 0, 0.95);
    c.split_seed = uint64_t(split.integer("seed", 42, 0, INT64_MAX));
    split.finish();
    c.standardize = r.boolean("standardize", true);
    for (JsonReader& l : r.array("model")) c.model.layers.push_back(parse_layer(l));
    if (c.model.layers.empty()) r.fail("model", "must list at least one layer");
    JsonReader q = r.object("quantization");
    c.model.weights = parse_quant(q.object("weights"), "RND");
    c.model.activations = parse_quant(q.object("activations"), "auto");
    c.training.gamma = q.number("gamma", 2e-6, 0, 1);
    q.finish();
    parse_training(r.object("training"), c.training);
    if (r.has("beta") && !r.is_list("beta")) {  // {"controller": {...}}: steered to a target
        if (!j.at("beta").is_object())
            r.fail("beta", "must be a list of β blocks or {\"controller\": {...}}");
        parse_beta_controller(r.object("beta"), c.training);
    }
    else
        parse_beta(r.array("beta"), c.training.beta);
    r.finish();
    return c;
}

ExperimentConfig load_experiment(const std::string& path) {
    return parse_experiment(parse_json_text(read_file_maybe_gz(path, kMaxConfigFileBytes), path),
                            path);
}

}  // namespace hgq
