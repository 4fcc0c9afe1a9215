// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/row_pattern.h"

#include <numeric>

namespace hgq {
namespace {

constexpr int kMaxPeriod = 1024;  // lcm(k, 16) up to here

// The repeating unit of a flat walk: lcm(k, 16) values when that fits the buffers, else one row.
int period_of(int k) {
    const int p = std::lcm(k, 16);
    return p <= kMaxPeriod ? p : k;
}

// v repeated over one period.
void repeat(const Scalar* v, int k, int period, Scalar* rep) {
    for (int j = 0; j < period; ++j) rep[j] = v[j % k];
}

// out = x − rep over n values in periods; acc[j] += each period's slot j. Separate loops with and
// without the sums, so each vectorizes without a branch.
void centre_flat(const Scalar* __restrict x, int64_t n, const Scalar* __restrict rep, int period,
                 Scalar* __restrict out) {
    int64_t i = 0;
    for (; i + period <= n; i += period)
        for (int j = 0; j < period; ++j) out[i + j] = x[i + j] - rep[j];
    for (int j = 0; i + j < n; ++j) out[i + j] = x[i + j] - rep[j];
}

void centre_flat_sums(const Scalar* __restrict x, int64_t n, const Scalar* __restrict rep,
                      int period, Scalar* __restrict out, Scalar* __restrict acc) {
    int64_t i = 0;
    for (; i + period <= n; i += period)
        for (int j = 0; j < period; ++j) {
            out[i + j] = x[i + j] - rep[j];
            acc[j] += out[i + j];
        }
    for (int j = 0; i + j < n; ++j) {
        out[i + j] = x[i + j] - rep[j];
        acc[j] += out[i + j];
    }
}

}  // namespace

void centre_rows(const Scalar* x, int64_t rows, int k, const Scalar* centre, Scalar* out,
                 Scalar* col_sums) {
    const int period = period_of(k);
    Scalar rep_buf[kMaxPeriod], acc_buf[kMaxPeriod];
    if (period != k) repeat(centre, k, period, rep_buf);
    const Scalar* rep = period == k ? centre : rep_buf;  // a one-row period is the row itself
    if (!col_sums) return centre_flat(x, rows * k, rep, period, out);
    Scalar* acc = period == k ? col_sums : acc_buf;
    for (int j = 0; j < period; ++j) acc[j] = 0;
    centre_flat_sums(x, rows * k, rep, period, out, acc);
    if (period == k) return;
    for (int j = 0; j < k; ++j) col_sums[j] = 0;
    for (int j = 0; j < period; ++j) col_sums[j % k] += acc[j];
}

void add_to_rows(Scalar* d, int64_t rows, int k, const Scalar* v) {
    const int period = period_of(k);
    Scalar rep_buf[kMaxPeriod];
    if (period != k) repeat(v, k, period, rep_buf);
    const Scalar* rep = period == k ? v : rep_buf;
    const int64_t n = rows * k;
    int64_t i = 0;
    for (; i + period <= n; i += period)
        for (int j = 0; j < period; ++j) d[i + j] += rep[j];
    for (int j = 0; i + j < n; ++j) d[i + j] += rep[j];
}

}  // namespace hgq
