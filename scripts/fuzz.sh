#!/usr/bin/env bash
# Fuzzes the data loaders and the config parser: builds the libFuzzer targets of tests/fuzz with
# clang++ (ASan + UBSan) in build-fuzz/, runs each for SECONDS (default 60) from the committed
# seeds, and prints one line per target: executions, crashes and edges covered. Exits 1 if any
# target crashed; a crash's input and log are kept in build-fuzz/findings/<target>/ for
# reproducing (build-fuzz/fuzz_<target> FILE). New corpus entries go to a temporary folder, not
# the repository.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: csv arff npy idx config)
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv arff npy idx config)
build=$root/build-fuzz

CXX=clang++ cmake -S "$root/tests/fuzz" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/hgq-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Leaks count as crashes; UB stops the run with a stack; a 2 GiB RSS or a 10 s input is a finding.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TMPDIR=$work  # where the targets write their input files (fuzz_util.h)

crashed=0
printf '%-8s %8s %12s %8s %9s\n' target seconds executions crashes coverage
for t in "${targets[@]}"; do
  corpus=$work/corpus-$t findings=$work/findings-$t
  mkdir -p "$corpus" "$findings"
  rm -rf "$build/findings/$t"
  dict=()
  [ -f "$root/tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
  status=0
  "$build/fuzz_$t" "$corpus" "$root/tests/fuzz/corpus/$t" "${dict[@]}" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=4096 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$findings/" >"$work/$t.log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
  # Crashes, leaks, timeouts and OOMs; a slow-unit (over 10 s once, e.g. a stalled disk) is not.
  crashes=$(find "$findings" -type f ! -name 'slow-unit-*' | wc -l)
  coverage=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -1 | cut -d' ' -f2)
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi  # died without an artifact
  printf '%-8s %8s %12s %8s %9s\n' "$t" "$seconds" "${execs:-?}" "$crashes" "${coverage:-?}"
  if [ "$crashes" -gt 0 ]; then
    crashed=1
    mkdir -p "$build/findings/$t"
    cp "$work/$t.log" "$build/findings/$t/"
    cp "$findings"/* "$build/findings/$t/" 2>/dev/null || true
    echo "  see $build/findings/$t/ ($t.log and the crashing input)"
  fi
done
exit "$crashed"
