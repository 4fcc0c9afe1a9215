// SPDX-License-Identifier: GPL-3.0-or-later
// Checkpoint BLOBs: a model snapshot (nested JSON objects whose leaves are numbers or flat numeric
// arrays) as named tensors with a dtype/shape header and a CRC-32, so a damaged row is detected
// instead of silently loading wrong weights.
//
// Layout (little-endian):
//   "HGQT" | u32 version=1 | u32 tensor count
//   per tensor: u16 name length | name ("layer/param") | u8 dtype (1 f32, 2 f64, 3 null: a layer
//               without parameters, no data) | u8 rank (0|1)
//               | u64 length if rank 1 | values
//   u32 CRC-32 (zlib) of every byte before it
// A leaf is stored as f32 when every value is exactly a float (the float32 engine's parameters),
// else as f64: the round trip is exact either way.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace hgq::store {

std::string encode_snapshot(const nlohmann::json& snapshot);
// `where` names the row in errors, e.g. "study.sqlite: checkpoints row 12".
nlohmann::json decode_snapshot(const std::string& blob, const std::string& where);

}  // namespace hgq::store
