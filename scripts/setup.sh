#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages scsim needs, only those missing.
# Uses sudo when not root. Safe to run repeatedly.
#   scripts/setup.sh           what the README's commands and the tests use
#   scripts/setup.sh --fuzz    also clang and libFuzzer, for fuzz/run.sh (CI)
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  ninja-build ccache          # fast, cached builds (the CMake presets use Ninja)
  libsimgrid-dev            # SimGrid 3.32: the discrete-event engine
  libboost-graph-dev        # Boost.Graph 1.74: the supply network
  libprotobuf-dev protobuf-compiler  # protobuf 3.21: scenario schema
  catch2                    # Catch2 2.13: tests
  libfmt-dev                # fmt 9
  libcli11-dev              # CLI11: command line
  nlohmann-json3-dev        # JSON output
  zlib1g-dev                # timeline.csv.gz (--timeline full)
  graphviz                  # dot: renders `scsim graph` (README)
  python3 python3-matplotlib python3-pandas python3-numpy  # scripts/plot.py, report.py, scsim_results.py
  fonts-dejavu-core         # the charts' and report's font
  chromium                  # headless: the report page test
  python3-simpy             # SimPy 2.3: benchmark comparison
  libopenmpi-dev openmpi-bin  # OpenMPI: scsim --mpi and its 2-rank tests
  libnlopt-cxx-dev          # NLopt: scsim optimize
  time                      # /usr/bin/time: peak memory in scripts/bench.sh
)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libfuzzer-14-dev)  # fuzz/run.sh: the libFuzzer target under ASan + UBSan
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
