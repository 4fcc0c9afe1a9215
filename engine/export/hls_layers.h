// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the HLS writer: the C++ body of each layer (export spec §2.5).
#pragma once
#include <sstream>

#include "export/cse.h"
#include "export/hls_types.h"

namespace hgq::hls {

struct Emitted {
    int64_t adders = 0, nonzero_weights = 0;
};

// Writes `static void <name>(const <in_t> x[..], <out_t> y[..])` for layer `l`; a dense or conv
// body builds the `shared` graph (export/hls_shared.h), or one sum per output when null.
Emitted emit_layer(std::ostream& os, const IntLayer& d, const std::string& fn, const Tensor& in,
                   const std::string& in_t, const Tensor& out, const std::string& out_t,
                   const cse::Graph* shared);

}  // namespace hgq::hls
