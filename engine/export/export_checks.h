// SPDX-License-Identifier: GPL-3.0-or-later
// What an export checks before it writes a single file: the top name is an identifier the
// generated C++/Verilog and its testbench can use, the part name is one Vivado could know (and
// is safe inside Tcl), the clock is a real period. Every failure is bad input naming the option.
#pragma once
#include <string>
#include <vector>

namespace hgq::exportfs {

enum class Language { Cpp, Verilog };

// `name` as the top function (Cpp) or module (Verilog): [A-Za-z][A-Za-z0-9_]*, at most 64
// characters, no keyword of the language, and none of `taken` (names the generated code itself
// defines: layer functions, types, testbench helpers).
void check_top_name(const std::string& name, Language lang, const std::vector<std::string>& taken);

// An FPGA part name as Xilinx/AMD write them (letters, digits, '-', '_', '.'), at most 64
// characters: it goes into Tcl scripts, where [ ] $ " { } \ ; and spaces would be code.
void check_part(const std::string& part);

// A finite clock period in (0, 1000] ns.
void check_clock_ns(double clock_ns);

// A Tcl word that Tcl reads back literally: braces, for values check_part has vetted.
std::string tcl_literal(const std::string& value);

}  // namespace hgq::exportfs
