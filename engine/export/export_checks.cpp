// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/export_checks.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "core/error.h"

namespace hgq::exportfs {
namespace {

std::set<std::string> words(const char* text) {
    std::istringstream in(text);
    std::set<std::string> out;
    for (std::string w; in >> w;) out.insert(w);
    return out;
}

// C++17 keywords and alternative tokens, plus what the generated HLS code and its testbench
// define or call at global scope (a top function of that name would clash with it).
const std::set<std::string>& cpp_reserved() {
    static const auto s = words(
        "alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t "
        "char16_t char32_t class compl concept const consteval constexpr constinit const_cast "
        "continue co_await co_return co_yield decltype default delete do double dynamic_cast else "
        "enum explicit export extern false float for friend goto if inline int long mutable "
        "namespace new noexcept not not_eq nullptr operator or or_eq private protected public "
        "register reinterpret_cast requires return short signed sizeof static static_assert "
        "static_cast struct switch template this thread_local throw true try typedef typeid "
        "typename union unsigned using virtual void volatile wchar_t while xor xor_eq "
        "main std printf fprintf puts exit abort ldexp llround round floor ceil fabs "
        "read_rows input_t result_t x y N_INPUT N_OUTPUT INPUT_F RESULT_F HGQ_PRAGMA "
        "ap_fixed ap_ufixed ap_int ap_uint");
    return s;
}

// Verilog-2005 and SystemVerilog-2017 keywords: Verilator reads .v files with both reserved.
const std::set<std::string>& verilog_reserved() {
    static const auto s = words(
        "accept_on alias always always_comb always_ff always_latch and assert assign assume "
        "automatic before begin bind bins binsof bit break buf bufif0 bufif1 byte case casex casez "
        "cell chandle checker class clocking cmos config const constraint context continue cover "
        "covergroup coverpoint cross deassign default defparam design disable dist do edge else "
        "end endcase endchecker endclass endclocking endconfig endfunction endgenerate endgroup "
        "endinterface endmodule endpackage endprimitive endprogram endproperty endspecify "
        "endsequence endtable endtask enum event eventually expect export extends extern final "
        "first_match for force foreach forever fork forkjoin function generate genvar global "
        "highz0 highz1 if iff ifnone ignore_bins illegal_bins implements implies import incdir "
        "include initial inout input inside instance int integer interconnect interface "
        "intersect join join_any join_none large let liblist library local localparam logic "
        "longint macromodule matches medium modport module nand negedge nettype new nexttime "
        "nmos nor noshowcancelled not notif0 notif1 null or output package packed parameter "
        "pmos posedge primitive priority program property protected pull0 pull1 pulldown pullup "
        "pulsestyle_ondetect pulsestyle_onevent pure rand randc randcase randsequence rcmos real "
        "realtime ref reg reject_on release repeat restrict return rnmos rpmos rtran rtranif0 "
        "rtranif1 s_always s_eventually s_nexttime s_until s_until_with scalared sequence "
        "shortint shortreal showcancelled signed small soft solve specify specparam static "
        "string strong strong0 strong1 struct super supply0 supply1 sync_accept_on "
        "sync_reject_on table tagged task this throughout time timeprecision timeunit tran "
        "tranif0 tranif1 tri tri0 tri1 triand trior trireg type typedef union unique unique0 "
        "unsigned until until_with untyped use uwire var vectored virtual void wait wait_order "
        "wand weak weak0 weak1 while wildcard wire with within wor xnor xor");
    return s;
}

}  // namespace

void check_top_name(const std::string& name, Language lang, const std::vector<std::string>& taken) {
    const std::string where = "--name " + (name.size() > 40 ? name.substr(0, 40) + "…" : name);
    const char* hint =
        "use a C/Verilog identifier such as hgq_model: a letter, then letters, "
        "digits or _ (at most 64)";
    bool ident = !name.empty() && name.size() <= 64 && std::isalpha((unsigned char)name[0]);
    for (char c : name) ident = ident && (std::isalnum((unsigned char)c) || c == '_');
    if (!ident) throw Error::bad_input(where, "is not a usable top name", hint);
    if (name.rfind("ap_", 0) == 0 || name.rfind("hls_", 0) == 0)
        throw Error::bad_input(where, "uses a prefix Vitis HLS reserves (ap_, hls_)", hint);
    const auto& reserved = lang == Language::Cpp ? cpp_reserved() : verilog_reserved();
    if (reserved.count(name))
        throw Error::bad_input(where,
                               lang == Language::Cpp ? "is a C++ keyword or a name the generated "
                                                       "code and its testbench use"
                                                     : "is a Verilog/SystemVerilog keyword",
                               hint);
    for (const auto& t : taken)
        if (t == name)
            throw Error::bad_input(where, "is the name of one of the model's layers in the code",
                                   "choose another name, e.g. " + name + "_top");
}

void check_part(const std::string& part) {
    bool ok = !part.empty() && part.size() <= 64 && std::isalnum((unsigned char)part[0]);
    for (char c : part)
        ok = ok && (std::isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.');
    if (!ok)
        throw Error::bad_input("--part " + part.substr(0, 64), "is not an FPGA part name",
                               "use a part as Vivado names it, e.g. xcvu13p-flga2577-2-e "
                               "(letters, digits, '-', '_', '.')");
}

void check_clock_ns(double clock_ns) {
    if (!(std::isfinite(clock_ns) && clock_ns > 0 && clock_ns <= 1000)) {
        char v[32];
        std::snprintf(v, sizeof v, "%g", clock_ns);
        throw Error::bad_input(std::string("--clock-ns ") + v, "is not a clock period",
                               "give the period in ns, greater than 0 and at most 1000 "
                               "(e.g. 5 for 200 MHz)");
    }
}

std::string tcl_literal(const std::string& value) {
    return "{" + value + "}";
}

}  // namespace hgq::exportfs
