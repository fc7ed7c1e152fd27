#!/usr/bin/env bash
# bootstrap: install what vnicsim needs from Debian 12's archive (only what is missing), then configure and build.
# Run as root, or as a user with sudo. Idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build tools, the simulation stack (SimGrid with its ns-3 model, GSL, libxml2), the test framework and the plotter.
# fonts-dejavu-core gives gnuplot's PNG terminal a font on minimal systems.
packages=(build-essential cmake pkg-config libsimgrid-dev libgsl-dev libxml2-dev libcriterion-dev gnuplot-nox
  fonts-dejavu-core)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
