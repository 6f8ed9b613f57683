#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: validate and analyse
# the shipped Samsung and TSMC scenarios side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh default
for config in configs/stargate_tsmc.textproto configs/stargate_samsung.textproto configs/stargate_dual.textproto; do
  echo
  echo "=== build/scsim validate $config"
  build/scsim validate "$config"
done
