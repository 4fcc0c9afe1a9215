#!/usr/bin/env bash
# One command: install what is missing, build, and run HGQ Studio's main job — a β-ramp HGQ
# training on the bundled 8×8 digits, printing the accuracy-versus-EBOPs Pareto front.
#   bash run.sh              train the digits demo (the desktop app arrives with the GUI)
#   bash run.sh --headless   the same job, explicitly headless (what scripts and CI use)
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target hgq
case "${1:-}" in
  --headless|"") exec ./build/app/hgq train resources/examples/digits_mlp.json "${@:2}" ;;
  *) echo "usage: bash run.sh [--headless] [hgq train options]" >&2; exit 2 ;;
esac
