// SPDX-License-Identifier: GPL-3.0-or-later
// HGQ Studio — fx_emul stand-in for Vitis HLS' <ap_fixed.h>: ap_fixed, ap_ufixed (and ap_int,
// ap_uint). A self-written emulation for the app's own `hgq verify` C-simulation only; see
// ap_common.h. Never copy it into an exported project (it would shadow Vitis' real header).
#ifndef HGQ_FX_EMUL_AP_FIXED_H
#define HGQ_FX_EMUL_AP_FIXED_H

#include "ap_int.h"

#endif  // HGQ_FX_EMUL_AP_FIXED_H
