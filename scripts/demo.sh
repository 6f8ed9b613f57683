#!/usr/bin/env bash
# The main job: installs what is missing, builds, then compares the TSMC, Samsung and dual sourcing paths for a
# Stargate-scale build-out and ends on a report page:
#   1. validate + network analysis of each scenario (bottleneck, critical path),
#   2. the same 200 replications of each with common random numbers (build/scsim compare -> results/demo/),
#   3. every chart in PNG and SVG (scripts/plot.py -> results/demo/plots/),
#   4. one self-contained page (scripts/report.py -> results/demo/report.html).
# Under a minute after the build on two cores.
#   scripts/demo.sh [REPLICATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
replications="${1:-200}"
scripts/setup.sh
scripts/build.sh default
configs=(configs/stargate_tsmc.textproto configs/stargate_samsung.textproto configs/stargate_dual.textproto)
started=$(date +%s)
for config in "${configs[@]}"; do
  echo
  echo "=== build/scsim validate $config"
  build/scsim validate "$config"
done
echo
echo "=== build/scsim compare ${configs[*]} -r $replications -j $(nproc) -o results/demo"
build/scsim compare "${configs[@]}" -r "$replications" -j "$(nproc)" -o results/demo
echo
echo "=== scripts/plot.py results/demo --format png,svg"
/usr/bin/python3 scripts/plot.py results/demo --format png,svg
echo
echo "=== scripts/report.py results/demo"
/usr/bin/python3 scripts/report.py results/demo
echo
echo "Done in $(( $(date +%s) - started )) s. Open the report:"
echo "  file://$(pwd)/results/demo/report.html"
echo "Data: results/demo/compare.csv and results/demo/<scenario>/ (docs/outputs.md says what each file holds)."
