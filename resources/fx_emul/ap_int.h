// SPDX-License-Identifier: GPL-3.0-or-later
// HGQ Studio — fx_emul stand-in for Vitis HLS' <ap_int.h>: ap_int, ap_uint (and the fixed-point
// types, which share one implementation). A self-written emulation for the app's own `hgq verify`
// C-simulation only; see ap_common.h. Never copy it into an exported project (it would shadow
// Vitis' real header).
#ifndef HGQ_FX_EMUL_AP_INT_H
#define HGQ_FX_EMUL_AP_INT_H

#include "ap_common.h"

#endif  // HGQ_FX_EMUL_AP_INT_H
