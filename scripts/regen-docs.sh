#!/bin/sh
# regen-docs.sh: rewrite the parts of scenarios/scenario.xsd (the <xs:attribute> lines of every parameter element) and
# of docs/scenario-format.md (the reference table of every parameter element) that are generated from the parameter
# table, src/scenario/param_table.c. Run it after adding, removing or changing a parameter; the param_docs tests fail
# until then. The rest of both files (element structure, prose) is written by hand. BUILD names the build directory.
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build}
cmake -S . -B "$build" >/dev/null
cmake --build "$build" --target param_docs -j2 >/dev/null
"$build/tests/param_docs" write scenarios/scenario.xsd docs/scenario-format.md
