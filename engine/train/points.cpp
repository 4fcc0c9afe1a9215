// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/points.h"

#include "cost/exact.h"
#include "train/trainer.h"

namespace hgq {

std::vector<FrontPoint> evaluate_front(const Model& like, const std::vector<Checkpoint>& front,
                                       const Splits& data, int threads) {
    std::vector<FrontPoint> points;
    Model m(like.spec(), like.input_shape(), like.n_classes(), 0);
    for (const Checkpoint& c : front) {
        m.restore(c.snapshot);
        trace_minmax(m, data.train.x, 4096, threads);
        FrontPoint p;
        p.id = static_cast<int>(points.size()) + 1;
        p.epoch = c.epoch;
        p.beta = c.beta;
        p.val_accuracy = c.val_accuracy;
        p.ebops_train = c.ebops;
        p.ebops_exact = exact_ebops(m);
        p.test_accuracy = evaluate(m, data.test, 4096, threads).accuracy;
        points.push_back(p);
    }
    return points;
}

}  // namespace hgq
