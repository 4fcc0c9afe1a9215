// SPDX-License-Identifier: GPL-3.0-or-later
// The FPGA part table (resources/parts.json): what a budget such as "2 % of a VU9P's LUTs" means
// in LUTs, and which synthesis family's LUT calibration applies to the part.
#pragma once
#include <string>
#include <vector>

namespace hgq {

struct FpgaPart {
    std::string name;    // "xcvu9p" (lower case, no package or speed grade)
    std::string series;  // "Virtex UltraScale+"
    std::string family;  // yosys synth_xilinx family: xc7, xcu, xcup
    int64_t luts = 0, ffs = 0, dsps = 0, brams = 0, urams = 0;
    std::string source;  // the vendor table the counts come from
};

// Reads and checks the table; errors name the file and the entry.
std::vector<FpgaPart> load_fpga_parts(const std::string& path);

// The part `name` names: exact, or a full part number that starts with it ("xcvu9p-flga2104-2-e"
// is an xcvu9p), case-insensitive. Unknown: an error listing the known parts.
const FpgaPart& find_fpga_part(const std::vector<FpgaPart>& parts, const std::string& name,
                               const std::string& file);

}  // namespace hgq
