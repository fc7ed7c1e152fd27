#!/usr/bin/env bash
# bootstrap: install what vnicsim needs from Debian 12's archive (only what is missing), then configure and build.
# Run as root, or as a user with sudo. Idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build tools, the simulation stack (SimGrid with its ns-3 model, GSL, libxml2), the test framework and the plotter.
# fonts-dejavu-core gives gnuplot's PNG terminal a font on minimal systems. pajeng's pj_dump reads `run --paje`'s
# traces back in the tests (e2e_paje_dump).
packages=(build-essential cmake pkg-config libsimgrid-dev libgsl-dev libxml2-dev libcriterion-dev gnuplot-nox
  fonts-dejavu-core pajeng)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
deps_install bootstrap "${missing[@]}" || exit 1

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
