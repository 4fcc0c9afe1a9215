// SPDX-License-Identifier: GPL-3.0-or-later
// The "training" and "beta" parts of the experiment config.
#include "config/experiment.h"
#include "config/json_reader.h"

#include <algorithm>

namespace hgq {

void parse_training(JsonReader t, TrainOptions& o) {
    o.epochs = int(t.integer("epochs", 100, 1, 10'000'000));
    o.batch_size = int(t.integer("batch_size", 256, 1, 1 << 24));
    o.seed = uint64_t(t.integer("seed", 1, 0, INT64_MAX));
    o.threads = int(t.integer("threads", 1, 1, 256));
    o.state_interval = t.number("checkpoint_every_seconds", 2.0, 0, 86400);
    if (t.has("optimizer")) {
        JsonReader opt = t.object("optimizer");
        opt.only_key({"adam"});
        JsonReader a = opt.object("adam");
        o.adam.lr = a.number("lr", 1e-3, 0, 10);
        o.adam.beta1 = a.number("beta1", 0.9, 0, 0.999999);
        o.adam.beta2 = a.number("beta2", 0.999, 0, 0.999999999);
        o.adam.epsilon = a.number("epsilon", 1e-7, 0, 1);
        a.finish();
        opt.finish();
    }
    o.lr.lr0 = o.adam.lr;
    if (t.has("lr_schedule")) {
        JsonReader s = t.object("lr_schedule");
        const std::string kind = s.only_key({"constant", "cosine_restarts"});
        JsonReader k = s.object(kind);
        if (kind == "cosine_restarts") {
            o.lr.kind = LrSchedule::Kind::CosineRestarts;
            o.lr.period = int(k.integer("period", 100, 1, 10'000'000));
            o.lr.decay = k.number("decay", 1.0, 0, 10);
            o.lr.min_lr = k.number("min", 0.0, 0, o.adam.lr);
        }
        k.finish();
        s.finish();
    }
    t.finish();
}

// [{"until_epoch": 30, "value": 5e-7}, {"until_epoch": 300, "from": 1e-6, "to": 1e-3,
//   "shape": "geometric"}]; no list: β = 0 (plain quantization-aware training).
void parse_beta(std::vector<JsonReader> blocks, BetaSchedule& b) {
    int previous = 0;
    for (JsonReader& r : blocks) {
        BetaBlock blk;
        blk.until_epoch = int(r.integer("until_epoch", 0, 1, 10'000'000));
        if (!r.has("until_epoch")) r.fail("until_epoch", "is required");
        if (blk.until_epoch <= previous)
            r.fail("until_epoch",
                   "must be larger than the previous block's (" + std::to_string(previous) + ")");
        previous = blk.until_epoch;
        if (r.has("value")) {
            blk.from = blk.to = r.number("value", 0, 0, 1e3);
        } else {
            blk.from = r.number("from", 0, 0, 1e3);
            blk.to = r.number("to", 0, 0, 1e3);
            const std::string shape = r.str("shape", "linear");
            if (shape == "linear")
                blk.shape = BetaBlock::Shape::Linear;
            else if (shape == "geometric")
                blk.shape = BetaBlock::Shape::Geometric;
            else
                r.fail("shape", "unknown shape '" + shape + "'", "use linear or geometric");
            if (blk.shape == BetaBlock::Shape::Geometric && (blk.from <= 0 || blk.to <= 0))
                r.fail("from", "a geometric block needs from > 0 and to > 0");
        }
        r.finish();
        b.blocks.push_back(blk);
    }
}

// {"controller": {"target_ebops": 3000, "warmup_epochs": 10, "init": 1e-6, "p": 1.0, "i": 2e-3,
//  "d": 0.0, "min": 1e-10, "max": 1.0, "damp_under_target": 0}}: β steered to a target EBOPs.
void parse_beta_controller(JsonReader b, TrainOptions& o) {
    b.only_key({"controller"});
    JsonReader r = b.object("controller");
    BetaControllerConfig c;
    if (!r.has("target_ebops")) r.fail("target_ebops", "is required", "the EBOPs to steer to");
    c.target_ebops = r.number("target_ebops", 0, 0, 1e15);
    if (!(c.target_ebops > 0)) r.fail("target_ebops", "must be larger than 0");
    c.warmup_epochs = int(r.integer("warmup_epochs", 10, 0, 10'000'000));
    c.min = r.number("min", 1e-10, 0, 1e3);
    c.max = r.number("max", 1.0, 0, 1e3);
    if (!(c.min > 0)) r.fail("min", "must be larger than 0 (β is steered in log space)");
    if (c.max < c.min) r.fail("max", "must be at least min (" + std::to_string(c.min) + ")");
    c.init = r.number("init", std::clamp(1e-6, c.min, c.max), 0, 1e3);
    if (c.init < c.min || c.init > c.max) r.fail("init", "must lie within [min, max]");
    c.p = r.number("p", 1.0, 0, 1e3);
    c.i = r.number("i", 2e-3, 0, 1e3);
    c.d = r.number("d", 0.0, 0, 1e3);
    c.damp_under_target = r.number("damp_under_target", 0.0, 0, 0.999);
    r.finish();
    b.finish();
    o.beta_controller = c;
}

}  // namespace hgq
