#!/usr/bin/env bash
# fuzz.sh: build the scenario-parser fuzzer with clang (libFuzzer, ASan, UBSan) and run it for a bounded time.
#
#   scripts/fuzz.sh [SECONDS]      (default 60)
#
# Builds build-fuzz/fuzz_scenario, copies the seed corpus tests/fuzz/corpus into build-fuzz/corpus (inputs found by
# earlier runs there are kept; the repository is never written to), runs the fuzzer for SECONDS and exits non-zero on
# a crash, a leak, a timeout or running out of memory, printing the reproducer. Missing tools are installed from
# Debian's archive as root or through sudo (scripts/deps.sh). Environment: FUZZ_JOBS (build parallelism, default:
# nproc), FUZZ_TIMEOUT (seconds one input may take, default 25), FUZZ_ARGS (more libFuzzer flags).
set -euo pipefail

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: $0 [SECONDS]" >&2
  exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build-fuzz
jobs=${FUZZ_JOBS:-$(nproc)}
per_input=${FUZZ_TIMEOUT:-25}

say() { echo "fuzz.sh: $*" >&2; }

# ---- tools: clang with libFuzzer, and the libraries the project builds against ----------------------------------
libfuzzer_works() {
  command -v clang > /dev/null 2>&1 || return 1
  local dir
  dir=$(mktemp -d)
  printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t* d, size_t n) { return 0; }\n' \
    > "$dir/t.c"
  clang -fsanitize=fuzzer,address,undefined "$dir/t.c" -o "$dir/t" > /dev/null 2>&1
  local rc=$?
  rm -rf "$dir"
  return $rc
}

# shellcheck source=scripts/deps.sh
. "$root/scripts/deps.sh"
missing=()
libfuzzer_works || missing+=(clang libclang-rt-dev)
deps_missing_stack missing
if [ ${#missing[@]} -gt 0 ]; then
  deps_install fuzz.sh "${missing[@]}" || exit 2
  libfuzzer_works || { say "clang cannot build a libFuzzer target even after installing it"; exit 2; }
fi

# ---- build -----------------------------------------------------------------------------------------------------
mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNICSIM_FUZZ=ON \
  -DVNICSIM_TESTS=OFF > "$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" --target fuzz_scenario -j "$jobs" > "$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }

# ---- run -------------------------------------------------------------------------------------------------------
corpus=$build/corpus
artifacts=$build/artifacts
mkdir -p "$corpus" "$artifacts"
cp "$root"/tests/fuzz/corpus/* "$corpus"/
log=$build/fuzz.log
stamp=$build/.started
touch "$stamp"

say "fuzzing the scenario parser for ${seconds} s ($(find "$corpus" -type f | wc -l) inputs to start from; log in $log)"
rc=0
# An outer limit in case the fuzzer itself stops answering; libFuzzer enforces the per-input timeout.
# shellcheck disable=SC2086
timeout --kill-after=30 $((seconds + per_input + 120)) \
  "$build/fuzz_scenario" -max_total_time="$seconds" -timeout="$per_input" -rss_limit_mb=4096 \
  -dict="$root/tests/fuzz/scenario.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 ${FUZZ_ARGS:-} \
  "$corpus" > "$log" 2>&1 || rc=$?

# The progress in brief: where coverage started and ended, and the final statistics.
grep -m1 -E '^#[0-9]+[[:space:]]+INITED' "$log" >&2 || true
grep -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|DONE)' "$log" | tail -n1 >&2 || true
grep -E '^stat::' "$log" >&2 || true

if [ $rc -eq 0 ]; then
  say "no crash, leak or timeout in ${seconds} s"
  exit 0
fi
say "the fuzzer stopped with status $rc; its report:"
grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)' "$log" | tail -n 60 >&2 || true
found=$(find "$artifacts" -type f -newer "$stamp" 2> /dev/null | sort)
if [ -n "$found" ]; then
  for f in $found; do
    say "reproducer: $f"
  done
  say "replay one with: $build/fuzz_scenario <reproducer> (it holds the scenario, then a NUL byte and --set lines)"
else
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    say "the fuzzer did not stop by itself: it was killed after its time"
  fi
  say "no reproducer was written; see $log"
fi
exit 1
