# SPDX-License-Identifier: GPL-3.0-or-later
# Read by cpack (CPACK_PROJECT_CONFIG_FILE) before it packs anything: a tree configured with
# HGQ_NATIVE=ON has -march=native binaries that may die with SIGILL on the user's CPU.
if(CPACK_HGQ_NATIVE AND NOT "$ENV{HGQ_ALLOW_NATIVE_PACKAGE}")
  message(FATAL_ERROR "refusing to package a -march=native build: reconfigure with "
                      "-DHGQ_NATIVE=OFF (or set HGQ_ALLOW_NATIVE_PACKAGE=1 for a local package)")
endif()
