#!/usr/bin/env bash
# Configures and builds scsim with a CMake preset (default: optimised, in build/).
#   scripts/build.sh [default|debug|asan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
