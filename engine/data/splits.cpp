// SPDX-License-Identifier: GPL-3.0-or-later
// Seeded splits and standardisation fit on the training split only.
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "data/dataset.h"

namespace hgq {
namespace {

uint64_t splitmix64(uint64_t& s) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Unbiased integer in [0, bound) by rejection (Lemire's multiply-shift would do too).
uint64_t bounded(uint64_t& s, uint64_t bound) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t r;
    do r = splitmix64(s);
    while (r >= limit);
    return r % bound;
}

std::vector<int64_t> range(int64_t begin, int64_t end, const std::vector<int64_t>& perm) {
    return std::vector<int64_t>(perm.begin() + begin, perm.begin() + end);
}

}  // namespace

std::vector<int64_t> seeded_permutation(int64_t n, uint64_t seed) {
    std::vector<int64_t> p(n);
    std::iota(p.begin(), p.end(), 0);
    uint64_t s = seed;
    for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[bounded(s, uint64_t(i) + 1)]);
    return p;
}

Splits split_dataset(const Dataset& all, double validation_fraction, double test_fraction,
                     uint64_t seed) {
    // Written as negations so that NaN fractions are rejected too.
    if (!(validation_fraction >= 0) || !(test_fraction >= 0) ||
        !(validation_fraction + test_fraction < 1))
        throw Error::bad_input("split", "validation and test fractions must be >= 0 and sum below 1");
    const auto perm = seeded_permutation(all.size(), seed);
    const int64_t n_test = std::llround(test_fraction * double(all.size()));
    const int64_t n_val = std::llround(validation_fraction * double(all.size()));
    if (n_test + n_val >= all.size())
        throw Error::bad_input("split", "the data set has " + std::to_string(all.size()) +
                                            " rows: too few to leave any for training after "
                                            "the validation and test splits; add rows or lower "
                                            "the fractions");
    Splits s;
    s.test = all.subset(range(0, n_test, perm));
    s.validation = all.subset(range(n_test, n_test + n_val, perm));
    s.train = all.subset(range(n_test + n_val, all.size(), perm));
    return s;
}

Splits split_with_test(const Dataset& train, Dataset test, double validation_fraction,
                       uint64_t seed) {
    Splits s = split_dataset(train, validation_fraction, 0.0, seed);
    s.test = std::move(test);
    s.test.n_classes = std::max(s.test.n_classes, s.train.n_classes);
    return s;
}

void standardize(Splits& s) {
    const auto& x = s.train.x;
    if (x.rows() == 0) return;
    s.mean = x.colwise().mean();
    const RowVec var = (x.rowwise() - s.mean).array().square().colwise().mean();
    s.inv_std =
        var.unaryExpr([](Scalar v) { return v > 0 ? Scalar(1) / std::sqrt(v) : Scalar(1); });
    for (Dataset* d : {&s.train, &s.validation, &s.test})
        d->x = ((d->x.rowwise() - s.mean).array().rowwise() * s.inv_std.array()).matrix();
}

}  // namespace hgq
