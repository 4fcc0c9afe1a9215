#!/usr/bin/env bash
# Builds the engine, the hgq CLI and the engine (non-GUI) tests with AddressSanitizer and
# UndefinedBehaviorSanitizer (g++) in build-asan/ and runs them with ctest: any memory error,
# leak or undefined behaviour fails the run, with its stack printed at the end. Under ASan the
# tests take about 10 minutes on 2 cores (the first build 35 minutes or more); test_cli's 300-epoch
# digits demo needs 20-60 s of its 120 s process timeout, so a busy machine can time it out.
# Usage: scripts/sanitize.sh [CTEST ARGS...]   e.g. scripts/sanitize.sh -R "test_data|test_loaders"
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-asan
sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHGQ_BUILD_GUI=OFF \
  -DHGQ_BUILD_TESTS=ON -DCMAKE_CXX_FLAGS="$sanitizers" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" -j2

# Leaks are checked (no suppressions needed: the OpenMP runtime's pool reports none). Every
# report, from a test or from an hgq process a test starts, goes to a file in
# build-asan/sanitizer-reports/ (printed below), and the process exits 86, a code no test expects.
reports=$build/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS=detect_leaks=1:exitcode=86:detect_stack_use_after_return=1:log_path=$reports/asan
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan
status=0
# The package test builds a portable release of its own: nothing sanitized to check there.
ctest --test-dir "$build" -E '^package$' --output-on-failure "$@" || status=$?
if [ -n "$(ls -A "$reports")" ]; then
  echo "Sanitizer reports ($reports):"
  cat "$reports"/*
  status=1
fi
exit "$status"
