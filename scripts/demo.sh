#!/usr/bin/env bash
# The main job: installs what is missing, builds, then compares the Samsung and
# TSMC sourcing paths for a Stargate-scale build-out:
#   1. validate + network analysis of both scenarios (bottleneck, critical path),
#   2. the same replications of each with common random numbers (build/scsim compare),
#   3. a plot of installed accelerators over time (results/installed.png).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh default
for name in stargate_tsmc stargate_samsung; do
  echo
  echo "=== build/scsim validate configs/$name.textproto"
  build/scsim validate "configs/$name.textproto"
done
echo
echo "=== build/scsim compare configs/stargate_tsmc.textproto configs/stargate_samsung.textproto -j $(nproc) -o results/compare"
build/scsim compare configs/stargate_tsmc.textproto configs/stargate_samsung.textproto -j "$(nproc)" -o results/compare
echo
/usr/bin/python3 scripts/plot_installed.py results/compare/stargate_tsmc results/compare/stargate_samsung \
  -o results/installed.png
