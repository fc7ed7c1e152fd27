#!/usr/bin/env bash
# same-results: check that a change of the code leaves the simulation's results untouched. Runs the shipped scenarios
# (or the ones given) with a reference vnicsim and with this tree's, and compares results.csv, hosts.csv and
# checks.csv byte for byte (manifest.json holds wall times and versions, so it is not compared).
#
#   scripts/same-results.sh REV [SCENARIO.xml...]        build git revision REV in a temporary worktree as reference
#   scripts/same-results.sh --ref-bin PATH [SCENARIO...]  use an already built reference binary
#   scripts/same-results.sh --ref-out DIR [SCENARIO...]   use reference outputs already made (DIR/<scenario name>/)
#   options: -j N (points at once, default 2), --keep (keep the output directories and print where they are)
#
# Columns renamed on purpose since the reference are listed in RENAMES below ("old new"); the reference's header is
# rewritten with them before comparing, so a rename is the only difference allowed, and only where listed.
# Exit status: 0 all identical, 1 a difference (the first differing lines are shown), 2 bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

RENAMES=(
  "lock_wait_mean_s access_wait_mean_s" # results.csv: the wait for the access path, whatever the mode
  "lock_wait_s access_wait_s"           # per-WR traces
)

# Columns added on purpose since the reference (removed from both sides' tables before comparing, so a reference that
# already has some of them compares too).
ADDED=(vcpu_descheduled_fraction lock_holder_preemptions lock_held_descheduled_s exact_stats)

ref_rev="" ref_bin="" ref_out="" jobs=2 keep=0
scenarios=()
while [ $# -gt 0 ]; do
  case $1 in
    --ref-bin) ref_bin=$2; shift 2 ;;
    --ref-out) ref_out=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    -j*) jobs=${1#-j}; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "same-results: unknown option $1" >&2; exit 2 ;;
    *)
      if [ -z "$ref_rev$ref_bin$ref_out" ] && ! [ -f "$1" ]; then ref_rev=$1; else scenarios+=("$1"); fi
      shift ;;
  esac
done
if [ -z "$ref_rev$ref_bin$ref_out" ]; then
  echo "same-results: give a reference revision, --ref-bin PATH or --ref-out DIR" >&2
  exit 2
fi
[ ${#scenarios[@]} -gt 0 ] || scenarios=(scenarios/*.xml)

work=$(mktemp -d "${TMPDIR:-/tmp}/vnicsim-same.XXXXXX")
cleanup() {
  if [ -n "$ref_rev" ] && [ -d "$work/ref-src" ]; then git -C "$top" worktree remove --force "$work/ref-src" || true; fi
  if [ "$keep" = 1 ]; then echo "same-results: outputs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ -n "$ref_rev" ]; then
  echo "same-results: building the reference $ref_rev" >&2
  git -C "$top" worktree add --detach "$work/ref-src" "$ref_rev" > /dev/null 2>&1
  cmake -S "$work/ref-src" -B "$work/ref-build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNICSIM_TESTS=OFF > /dev/null
  cmake --build "$work/ref-build" -j"$(nproc)" --target vnicsim > /dev/null
  ref_bin=$work/ref-build/vnicsim
fi
cmake --build build -j"$(nproc)" --target vnicsim > /dev/null
new_bin=$top/build/vnicsim

sed_renames=()
for r in "${RENAMES[@]}"; do
  read -r old new <<< "$r"
  sed_renames+=(-e "1s/\\b$old\\b/$new/g")
done

# drop_added FILE: FILE without the ADDED columns (RFC 4180 fields, quoted ones included).
drop_added() {
  python3 - "$1" "${ADDED[@]}" << 'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
keep = [i for i, name in enumerate(rows[0]) if name not in sys.argv[2:]]
w = csv.writer(sys.stdout, lineterminator='\n')
for r in rows:
    w.writerow([r[i] for i in keep])
PY
}

status=0
for sc in "${scenarios[@]}"; do
  name=$(basename "$sc" .xml)
  sides="ref new"
  if [ -n "$ref_out" ]; then
    mkdir -p "$work/ref"
    if ! [ -f "$ref_out/$name/results.csv" ]; then
      echo "same-results: $name: no reference outputs in $ref_out/$name" >&2
      status=1
      continue
    fi
    cp -r "$ref_out/$name" "$work/ref/$name"
    sides=new
  fi
  for side in $sides; do
    bin=$ref_bin
    [ "$side" = new ] && bin=$new_bin
    start=$(date +%s)
    if ! "$bin" run "$sc" -o "$work/$side/$name" -j "$jobs" > "$work/$side-$name.log" 2>&1; then
      echo "same-results: $name: the $side binary failed (log: $work/$side-$name.log)" >&2
      tail -5 "$work/$side-$name.log" >&2
      status=1
      keep=1
      continue 2
    fi
    echo "same-results: $name: $side run in $(($(date +%s) - start)) s" >&2
  done
  for table in results.csv hosts.csv checks.csv; do
    sed "${sed_renames[@]}" "$work/ref/$name/$table" > "$work/ref/$name/$table.sed"
    drop_added "$work/ref/$name/$table.sed" > "$work/ref/$name/$table.renamed"
    drop_added "$work/new/$name/$table" > "$work/new/$name/$table.common"
    if cmp -s "$work/ref/$name/$table.renamed" "$work/new/$name/$table.common"; then
      echo "same-results: $name/$table identical ($(wc -l < "$work/new/$name/$table") lines)"
    else
      echo "same-results: $name/$table DIFFERS:"
      diff "$work/ref/$name/$table.renamed" "$work/new/$name/$table.common" | head -10
      status=1
      keep=1
    fi
  done
done
exit $status
