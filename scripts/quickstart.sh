#!/usr/bin/env bash
# quickstart: set everything up, run the default scenario, draw its plots and print the comparison.
# Results land in results/default/ (results.csv, hosts.csv, checks.csv, manifest.json, plots/*.png).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
build/vnicsim run scenarios/default.xml -o results/default -j"$(nproc)"
build/vnicsim plot results/default
build/vnicsim compare results/default
