#!/usr/bin/env bash
# One command: install what is missing, build, and start HGQ Studio on the bundled digits demo.
#   bash run.sh              the desktop app (opens ./hgq-study.sqlite; press "Start sweep")
#   bash run.sh --headless   the main job without a display: a β-ramp HGQ training of the
#                            bundled 8×8 digits, printing the deployed Pareto front; options after
#                            it go to `hgq train` (e.g. --epochs 50 --json)
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
case "${1:-}" in
  --headless)
    cmake --build build -j"$(nproc)" --target hgq
    exec ./build/app/hgq train resources/examples/digits_mlp.json "${@:2}" ;;
  "")
    cmake --build build -j"$(nproc)" --target hgq hgq-studio
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      echo "run.sh: no display found; running the main job headless (bash run.sh --headless)" >&2
      exec ./build/app/hgq train resources/examples/digits_mlp.json
    fi
    exec ./build/app/hgq-studio hgq-study.sqlite ;;
  *) echo "usage: bash run.sh [--headless [hgq train options]]" >&2; exit 2 ;;
esac
