#!/usr/bin/env bash
# test: set everything up, then build and run the whole test suite (Criterion unit tests and end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
ctest --test-dir build --output-on-failure -j2
