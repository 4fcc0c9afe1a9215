#!/usr/bin/env bash
# Installs the Debian 12 packages HGQ Studio builds and tests with, when any is missing.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
# dpkg-dev … lintian are for the Debian package and its test (packaging/test-package.sh);
# slurm-wlm and munge for the one-node SLURM cluster the cluster tests start
# (scripts/local-slurm.sh).
packages=(cmake g++ make pkg-config qt6-base-dev libqcustomplot-dev libeigen3-dev libsqlite3-dev
          nlohmann-json3-dev libcli11-dev zlib1g-dev dataset-fashion-mnist verilator yosys
          dpkg-dev file desktop-file-utils appstream lintian
          slurm-wlm munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
