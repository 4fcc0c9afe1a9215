#!/usr/bin/env bash
# Builds the Debian package from a portable configuration and tests it the way a user gets it:
# unpacked into a scratch root (and, as root, installed with apt), then the installed `hgq`
# trains, exports and verifies the bundled digits demo from an unrelated working directory, the
# installed `hgq-studio` starts, and desktop-file-validate, appstreamcli and lintian judge the
# metadata and the .deb (lintian errors fail, warnings are listed).
#
# Usage: bash packaging/test-package.sh [BUILD_DIR]      (default: build-package/ in the tree)
#   HGQ_PACKAGE_JOBS=N   parallel build jobs (default: all cores)
#   HGQ_PACKAGE_NO_INSTALL=1   never install into the system, even as root
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$src/build-package}")
jobs=${HGQ_PACKAGE_JOBS:-$(nproc)}
t_start=$SECONDS

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
step() { echo "== $* ($((SECONDS - t_start)) s)"; }

for tool in cmake cpack dpkg-deb dpkg-shlibdeps file desktop-file-validate appstreamcli lintian; do
  command -v "$tool" >/dev/null || fail "$tool is missing (bash scripts/install-deps.sh installs it)"
done

# Package builds are portable (x86-64-v2, not -march=native) and skip the test suite. The
# hardening flags are what Debian's dpkg-buildflags adds and lintian looks for.
step "configure $out"
cmake -S "$src" -B "$out" -DCMAKE_BUILD_TYPE=Release -DHGQ_NATIVE=OFF -DHGQ_BUILD_TESTS=OFF \
      -DHGQ_BUILD_GUI=ON -DCMAKE_CXX_FLAGS="-D_FORTIFY_SOURCE=2 -fstack-protector-strong" \
      -DCMAKE_EXE_LINKER_FLAGS="-Wl,-z,relro -Wl,-z,now" >/dev/null
step "build (-j$jobs)"
t_build=$SECONDS
cmake --build "$out" -j"$jobs" >"$out/package-build.log" 2>&1 ||
  { tail -40 "$out/package-build.log"; fail "build failed (log: $out/package-build.log)"; }
build_seconds=$((SECONDS - t_build))

step "cpack -G DEB"
rm -f "$out"/hgq-studio_*.deb
(cd "$out" && cpack -G DEB >"$out/package-cpack.log" 2>&1) ||
  { cat "$out/package-cpack.log"; fail "cpack failed"; }
debs=("$out"/hgq-studio_*.deb)
[ -f "${debs[0]}" ] || fail "cpack wrote no hgq-studio_*.deb"
deb=${debs[0]}
dpkg-deb --field "$deb" Package Version Architecture Section Depends Recommends Suggests

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
dpkg-deb -x "$deb" "$root"

step "installed files"
share=$root/usr/share
expect=(usr/bin/hgq usr/bin/hgq-studio
        usr/share/hgq-studio/examples/digits_mlp.json usr/share/hgq-studio/data/digits.csv.gz
        usr/share/hgq-studio/fx_emul/ap_fixed.h usr/share/hgq-studio/parts.json
        usr/share/applications/org.hgqstudio.HGQStudio.desktop
        usr/share/metainfo/org.hgqstudio.HGQStudio.metainfo.xml
        usr/share/icons/hicolor/scalable/apps/org.hgqstudio.HGQStudio.svg
        usr/share/man/man1/hgq.1.gz usr/share/man/man1/hgq-studio.1.gz
        usr/share/doc/hgq-studio/copyright usr/share/doc/hgq-studio/changelog.gz)
for s in 16 32 48 64 128 256; do expect+=("usr/share/icons/hicolor/${s}x$s/apps/org.hgqstudio.HGQStudio.png"); done
for f in "${expect[@]}"; do [ -f "$root/$f" ] || fail "the package lacks /$f"; done
echo "all ${#expect[@]} expected files present"

# The installed binaries, run with no HGQ_RESOURCES from a folder unrelated to the source tree,
# must take their resources from <root>/usr/share/hgq-studio.
unset HGQ_RESOURCES
mkdir -p "$tmp/work"
cd "$tmp/work"
hgq=$root/usr/bin/hgq
step "hgq --version"
"$hgq" --version | grep -q "0\.1\.0" || fail "hgq --version does not say 0.1.0"

step "hgq train (installed digits example, 3 epochs)"
"$hgq" train "$share/hgq-studio/examples/digits_mlp.json" --epochs 3 --db "$tmp/s.sqlite" \
  --json >"$tmp/train.jsonl" || fail "hgq train failed"
point=$(tail -1 "$tmp/train.jsonl" | sed -n 's/.*"points":\[{[^}]*"point":\([0-9]*\).*/\1/p')
[ -n "$point" ] || fail "hgq train reported no deployed point: $(tail -1 "$tmp/train.jsonl")"
echo "trained; first front point $point"

step "hgq pareto --part (the installed part table)"
"$hgq" pareto --part xcvu9p --fraction 0.02 --db "$tmp/s.sqlite" >"$tmp/budget.txt" 2>&1 ||
  { cat "$tmp/budget.txt"; fail "hgq pareto --part failed"; }
grep -q "23,644 LUTs" "$tmp/budget.txt" || fail "the part budget is wrong: $(head -1 "$tmp/budget.txt")"

step "hgq export + verify (g++ against the installed fx_emul)"
"$hgq" export --point "$point" --out "$tmp/hls" --db "$tmp/s.sqlite" >/dev/null ||
  fail "hgq export failed"
"$hgq" verify "$tmp/hls" >"$tmp/verify.log" 2>&1 || { cat "$tmp/verify.log"; fail "hgq verify failed"; }
tail -1 "$tmp/verify.log"

# The source tree is still on this machine, so a lookup that fell back to it would pass the
# steps above too: hide installed resources and expect errors that name the installed paths.
step "resource lookup prefers the installed share/hgq-studio"
mv "$share/hgq-studio/data" "$tmp/data.aside"
if "$hgq" train "$share/hgq-studio/examples/digits_mlp.json" --epochs 1 --db "$tmp/t.sqlite" \
     >/dev/null 2>"$tmp/err.txt"; then fail "hgq train ran without the installed data"; fi
grep -q "$share/hgq-studio/data/digits.csv.gz" "$tmp/err.txt" ||
  fail "hgq did not look for the digits in the installed share dir: $(cat "$tmp/err.txt")"
mv "$tmp/data.aside" "$share/hgq-studio/data"
mv "$share/hgq-studio/fx_emul" "$tmp/fx_emul.aside"
if "$hgq" verify "$tmp/hls" >/dev/null 2>"$tmp/err.txt"; then fail "verify ran without fx_emul"; fi
grep -q "$share/hgq-studio/fx_emul" "$tmp/err.txt" ||
  fail "hgq verify did not look for fx_emul in the installed share dir: $(cat "$tmp/err.txt")"
mv "$tmp/fx_emul.aside" "$share/hgq-studio/fx_emul"
echo "data and fx_emul are read from $share/hgq-studio"

step "hgq-studio --version, and a start on the offscreen platform"
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$tmp/xdg-runtime
mkdir -m 700 "$XDG_RUNTIME_DIR"
"$root/usr/bin/hgq-studio" --version | grep -q "0\.1\.0" || fail "hgq-studio --version does not say 0.1.0"
status=0
timeout 5 "$root/usr/bin/hgq-studio" "$tmp/gui.sqlite" >"$tmp/gui.log" 2>&1 || status=$?
[ "$status" -eq 124 ] || { cat "$tmp/gui.log"; fail "hgq-studio exited with $status within 5 s"; }
echo "hgq-studio was still running after 5 s"

step "desktop-file-validate, appstreamcli validate"
desktop-file-validate "$share/applications/org.hgqstudio.HGQStudio.desktop" ||
  fail "desktop-file-validate"
appstreamcli validate --no-net "$share/metainfo/org.hgqstudio.HGQStudio.metainfo.xml" ||
  fail "appstreamcli validate"

# As root (CI), install the package for real; apt resolves Depends against the Debian mirror.
if [ "$(id -u)" -eq 0 ] && [ -z "${HGQ_PACKAGE_NO_INSTALL:-}" ]; then
  step "apt-get install ./$(basename "$deb")"
  was_installed=$(dpkg-query -W -f='${Status}' hgq-studio 2>/dev/null | grep -c "ok installed" || true)
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" \
    >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; fail "apt-get install of the package failed"; }
  /usr/bin/hgq train /usr/share/hgq-studio/examples/digits_mlp.json --epochs 2 \
    --db "$tmp/i.sqlite" >/dev/null || fail "the installed /usr/bin/hgq could not train"
  /usr/bin/hgq-studio --version >/dev/null || fail "the installed /usr/bin/hgq-studio"
  echo "installed and ran /usr/bin/hgq and /usr/bin/hgq-studio"
  if [ "$was_installed" -eq 0 ]; then  # leave the machine as it was
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq hgq-studio >/dev/null 2>&1 ||
      fail "could not remove the package again"
  fi
else
  echo "== not root (or HGQ_PACKAGE_NO_INSTALL): skipping the system install"
fi

# Errors (E:) fail; warnings and the informational tags are listed. (As root lintian only
# notes on stderr that root is not recommended.)
step "lintian"
lintian --tag-display-limit 0 --display-info "$deb" >"$tmp/lintian.txt" 2>&1 || true
errors=$(grep -c '^E: ' "$tmp/lintian.txt" || true)
warnings=$(grep -c '^W: ' "$tmp/lintian.txt" || true)
infos=$(grep -c '^I: ' "$tmp/lintian.txt" || true)
grep -v 'root privileges' "$tmp/lintian.txt" || true
echo "lintian: $errors error(s), $warnings warning(s), $infos info tag(s)"
[ "$errors" -eq 0 ] || fail "lintian reported errors"

size=$(stat -c %s "$deb")
installed_kb=$(dpkg-deb --field "$deb" Installed-Size)
echo "package: $deb"
echo "package size: $((size / 1024)) KiB (installed: $installed_kb KiB)"
echo "build: $build_seconds s with -j$jobs; total: $((SECONDS - t_start)) s"
echo "test-package: PASS"
