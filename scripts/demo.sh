#!/usr/bin/env bash
# The main job: installs what is missing, builds, then compares the Samsung and
# TSMC sourcing paths for a Stargate-scale build-out:
#   1. validate + network analysis of both scenarios (bottleneck, critical path),
#   2. simulate replications of each (build/scsim run),
#   3. plot installed accelerators over time (results/installed.png).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh default
jobs="$(nproc)"
for name in stargate_tsmc stargate_samsung; do
  echo
  echo "=== build/scsim validate configs/$name.textproto"
  build/scsim validate "configs/$name.textproto"
done
for name in stargate_tsmc stargate_samsung; do
  echo
  echo "=== build/scsim run configs/$name.textproto -j $jobs -o results/$name"
  build/scsim run "configs/$name.textproto" -j "$jobs" -o "results/$name"
done
echo
/usr/bin/python3 scripts/plot_installed.py results/stargate_tsmc results/stargate_samsung -o results/installed.png
