#!/usr/bin/env bash
# slurm-test: vnicsim submit, merge and status against a real Slurm. Starts a single-node cluster of its own in a
# temporary directory (munged, slurmctld and slurmd with their own configuration, key, ports, state and logs; the
# machine's own Slurm and munge, if any, are not touched), then:
#   1. submits a 24-point sweep as 4 array tasks and a merge job, waits, and checks that the merged results.csv,
#      hosts.csv and checks.csv are byte-identical to `vnicsim run` of the same scenario on this machine (and the
#      manifests identical apart from how they were written: the command and the wall times);
#   2. submits it again into a new directory with one point that never ends, cancels that task with scancel while it
#      runs, checks that `vnicsim status` names its unfinished points as missing and that merge exits 1 naming them,
#      resubmits with --resume and checks the final merge is byte-identical again;
#   3. checks that mixing experiments is refused with exit status 2 and a message naming the difference: the scenario
#      changed since, a --set that changes a parameter, and the part of another scenario copied into the directory.
# The daemons are stopped by their PIDs when the script ends, whatever happens (trap).
#
# Needs root (the daemons run as root, in a cluster of one node; without root it runs itself again through sudo when
# sudo asks no password) and installs slurm-wlm and munge from Debian when missing (scripts/deps.sh). Where Slurm
# cannot run here (neither root nor sudo, no package, daemons that do not start) it prints one line
# "slurm-test: SKIPPED: <why>" and exits 0: CI goes on, and the log says the test did not run. It never prints
# PASSED unless every check ran.
# Usage: scripts/slurm-test.sh [--keep]   (--keep: leave the temporary directory, to read the logs; VNICSIM=PATH tests
# that binary instead of build/vnicsim)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
keep=0
[ "${1:-}" = --keep ] && keep=1
skipped=0

# skip WHY: Slurm cannot run here; say so on one line and end with status 0 (the trap still stops what started)
skip() {
  echo "slurm-test: SKIPPED: $*" >&2
  skipped=1
  exit 0
}
fail() {
  echo "slurm-test: FAILED: $*" >&2
  exit 1
}
say() { printf 'slurm-test: [%3ds] %s\n' "$SECONDS" "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null 2>&1 && sudo -n true 2> /dev/null; then
    exec sudo -n --preserve-env=PATH,TMPDIR "$0" "$@"
  fi
  skip "not root and no sudo without a password: the test starts slurmctld, slurmd and munged of its own, which needs root"
fi

# shellcheck source=scripts/deps.sh
. scripts/deps.sh
export PATH=$PATH:/usr/sbin:/sbin # the daemons live there, which a user's PATH may not hold
# missing_tools: the commands the test needs that are not installed, each with its Debian package ("sbatch:slurm-wlm")
missing_tools() {
  local tool
  for tool in sbatch squeue scancel scontrol sinfo slurmctld slurmd; do
    command -v $tool > /dev/null 2>&1 || echo "$tool:slurm-wlm"
  done
  command -v munged > /dev/null 2>&1 || echo "munged:munge"
}
missing=$(missing_tools)
if [ -n "$missing" ]; then
  mapfile -t packages < <(echo "$missing" | cut -d: -f2 | sort -u)
  deps_install slurm-test "${packages[@]}" || skip "cannot install ${packages[*]} (apt-get failed)"
  # Debian's packages start their services where a service manager runs: stop those, the test starts its own
  for svc in slurmd slurmctld munge; do
    if command -v systemctl > /dev/null 2>&1 && systemctl is-active --quiet $svc 2> /dev/null; then systemctl stop $svc || true; fi
  done
  missing=$(missing_tools)
  [ -z "$missing" ] || skip "still missing after installing ${packages[*]}: $(echo "$missing" | cut -d: -f1 | tr '\n' ' ')"
fi
# VNICSIM=PATH tests another build (a sanitizer build, say); by default this tree's, built when missing
V=${VNICSIM:-$top/build/vnicsim}
if [ -z "${VNICSIM:-}" ] && ! [ -x "$V" ]; then
  say "building vnicsim"
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
  cmake --build build -j2 --target vnicsim > /dev/null
fi
[ -x "$V" ] || fail "no vnicsim at $V"

T=$(mktemp -d "${TMPDIR:-/tmp}/vnicsim-slurm.XXXXXX")
chmod 0700 "$T"
pids=() # the daemons this script started

# job_pids: the processes of this test's jobs still alive: the job steps (slurmstepd, which detach from slurmd) and the
# vnicsim they run, told apart from any other process of the machine by this test's SLURM_CONF in their environment
job_pids() {
  local p
  for p in $(ps -eo pid=,comm= | awk '$2 == "slurmstepd" || $2 == "vnicsim" {print $1}'); do
    { tr '\0' '\n' < "/proc/$p/environ"; } 2> /dev/null | grep -qxF "SLURM_CONF=$T/slurm.conf" && echo "$p"
  done
  return 0
}

cleanup() {
  local rc=$? pid left
  trap - INT TERM
  # the jobs first, while the daemons still run to end them; then the daemons, each by its PID; then whatever of the
  # jobs outlived them (a job step cut off from its slurmd), by PID
  if [ ${#pids[@]} -gt 0 ] && [ -f "$T/slurm.conf" ]; then
    scancel --quiet --user="$(id -un)" > /dev/null 2>&1 || true
    for _ in $(seq 100); do
      [ -z "$(squeue -h 2> /dev/null)" ] && [ -z "$(job_pids)" ] && break
      sleep 0.2
    done
  fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  left=$(job_pids | tr '\n' ' ')
  if [ -n "$left" ]; then
    say "killing what the jobs left running: PIDs $left"
    for pid in $left; do kill -KILL "$pid" 2> /dev/null || true; done
  fi
  if [ $rc -ne 0 ] || [ $skipped = 1 ]; then
    for log in slurmctld.log slurmd.log munged.log; do
      [ -f "$T/$log" ] && { echo "--- last lines of $log" >&2; tail -15 "$T/$log" >&2; }
    done
  fi
  if [ $keep = 1 ]; then say "kept $T"; else rm -rf "$T"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the cluster: munged, slurmctld, slurmd ----

# two TCP ports nobody listens on
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<> /dev/tcp/127.0.0.1/$p) 2> /dev/null; then
      echo $p
      return 0
    fi
  done
  return 1
}
ctld_port=$(free_port) || skip "no free TCP port"
slurmd_port=$(free_port) || skip "no free TCP port"
[ "$ctld_port" != "$slurmd_port" ] || slurmd_port=$((ctld_port + 1))
host=$(hostname -s)
mem_mb=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
cpus=$(nproc)
mkdir -p "$T/state" "$T/spool" "$T/munge"
chmod 0700 "$T/munge"

dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 0400 "$T/munge/munge.key"
munged -F --force --key-file="$T/munge/munge.key" --socket="$T/munge/munge.socket" \
  --pid-file="$T/munge/munged.pid" --log-file="$T/munged.log" --seed-file="$T/munge/munged.seed" \
  > "$T/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$T/munge/munge.socket" ] && break; kill -0 "${pids[0]}" 2> /dev/null || break; sleep 0.1; done
[ -S "$T/munge/munge.socket" ] || skip "munged does not start here: $(tail -2 "$T/munged.out" "$T/munged.log" 2> /dev/null | tr '\n' ' ')"

cat > "$T/slurm.conf" << EOF
# a one-node cluster of its own, for scripts/slurm-test.sh
ClusterName=vnicsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
KillWait=5
MinJobAge=300
MaxArraySize=1001
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
touch "$T/cgroup.conf"
export SLURM_CONF=$T/slurm.conf

slurmctld -D -i -f "$SLURM_CONF" > "$T/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" > "$T/slurmd.out" 2>&1 &
pids+=($!)
up=0
for _ in $(seq 150); do
  if sinfo -h -o '%T' 2> /dev/null | grep -qE '^(idle|mixed|allocated)'; then
    up=1
    break
  fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null || break 2; done
  sleep 0.2
done
if [ $up = 0 ]; then
  # the daemons' own last words first (e.g. slurmd: "No filesystem mounted on /sys/fs/cgroup"), then their stderr
  why=$(tail -n 3 "$T/slurmd.log" "$T/slurmctld.log" 2> /dev/null; cat "$T/slurmd.out" "$T/slurmctld.out" 2> /dev/null) || true
  skip "the Slurm daemons do not start here: $(echo "$why" | grep -iE 'error|fatal' | head -3 | tr '\n' ' ')"
fi
say "a one-node Slurm runs ($host, slurmctld port $ctld_port, slurmd port $slurmd_port)"

# ---- helpers ----

# wait_jobs ID...: until Slurm has none of these jobs queued or running (at most 120 s)
wait_jobs() {
  local ids
  ids=$(IFS=,; echo "$*")
  for _ in $(seq 600); do
    [ -z "$(squeue -h -j "$ids" 2> /dev/null)" ] && return 0
    sleep 0.2
  done
  squeue >&2 || true
  fail "jobs $ids did not end within 120 s"
}

# same_as_reference DIR: the merged tables of DIR are byte-identical to the single-machine run's, and the manifests
# are identical apart from "run" (the command that wrote them) and the wall times (no python or jq needed)
same_as_reference() {
  local t
  for t in results.csv hosts.csv checks.csv; do
    cmp -s "$1/$t" "$T/ref/$t" || { diff "$T/ref/$t" "$1/$t" | head -5 >&2; fail "$1/$t differs from one machine's run"; }
  done
  # the manifest as vnicsim writes it (one member a line, one point a line) without the "run" object, the total wall
  # time and each point's wall time
  local side
  for side in ref "$1"; do
    sed -e '/^  "run": {/,/^  },$/d' -e '/^  "total_wall_time_s": /d' -e 's/, "wall_time_s": [^,}]*//' \
      "$T/$side/manifest.json" > "$T/manifest-$side.cmp"
  done
  grep -q '"fingerprint": "[0-9a-f]\{16\}"' "$T/manifest-$1.cmp" || fail "$1/manifest.json records no fingerprints"
  cmp -s "$T/manifest-ref.cmp" "$T/manifest-$1.cmp" ||
    { diff "$T/manifest-ref.cmp" "$T/manifest-$1.cmp" | head -5 >&2; fail "$1/manifest.json differs from one machine's run"; }
}

# expect_refusal WHAT NEEDLE CMD...: CMD exits 2 and its stderr names NEEDLE
expect_refusal() {
  local what=$1 needle=$2 rc=0
  shift 2
  "$@" > /dev/null 2> "$T/refusal.txt" || rc=$?
  [ $rc = 2 ] || fail "$what: exit status $rc, not 2: $(cat "$T/refusal.txt")"
  grep -q -- "$needle" "$T/refusal.txt" || fail "$what: the message does not name $needle: $(cat "$T/refusal.txt")"
  say "$what: refused (exit 2): $(head -c 200 "$T/refusal.txt")"
}

# ---- the scenario: 24 points, a fraction of a second each ----

cat > "$T/sweep.xml" << EOF
<scenario name="slurmtest" seed="7" replications="2">
  <platform file="$top/platforms/one-host.xml"/>
  <consumers cores-per-host="2"/>
  <workload requests="2000"/>
  <sweep param="nic.service-time" values="200ns 100ns 20ns"/>
  <sweep param="access.mode" values="speculative lock"/>
  <sweep param="nic.queue-depth" values="16 64"/>
</scenario>
EOF
cd "$T"
"$V" run sweep.xml -o ref -q || fail "the single-machine run failed"

# ---- 1. four tasks, merged ----

"$V" submit sweep.xml -o a --slurm --tasks 4 > jobs-a.txt 2> submit-a.txt || fail "submit: $(cat submit-a.txt)"
read -r tasks merge < jobs-a.txt
grep -q -- '--shard 3/4 --resume' a/slurm/1-tasks.sbatch || fail "the batch script does not hold the tasks' commands"
wait_jobs "$tasks" "$merge"
[ -f a/results.csv ] || fail "the merge job wrote nothing: $(cat a/slurm/logs/1-merge.out 2> /dev/null)"
same_as_reference a
"$V" status a > status-a.txt || fail "status after a complete run: exit $?: $(cat status-a.txt)"
say "1. 24 points in 4 array tasks, merged: byte-identical to one machine's run"

# ---- 2. a task cancelled mid-run, then resumed ----

# point 5 never ends in this submission (its task is shard 1/4: points 1, 5, 9, ...): that task is cancelled while
# it waits on it, after point 1 was written
VNICSIM_FAULT=hang:5 "$V" submit sweep.xml -o b --slurm --tasks 4 > jobs-b.txt 2> submit-b.txt || fail "submit: $(cat submit-b.txt)"
read -r tasks merge < jobs-b.txt
for _ in $(seq 600); do
  grep -q '^1,' b/parts/shard-1-of-4/results.csv 2> /dev/null && break
  sleep 0.2
done
grep -q '^1,' b/parts/shard-1-of-4/results.csv || fail "task 1 never wrote its first point"
sleep 0.5
scancel "${tasks}_1"
wait_jobs "$tasks" "$merge"
rc=0
"$V" status b > status-b.txt 2>&1 || rc=$?
[ $rc = 1 ] || fail "status of an incomplete run: exit $rc, not 1: $(cat status-b.txt)"
grep -E '^ *missing +5: 5,9,13,17,21$' status-b.txt > /dev/null || fail "status does not name points 5,9,13,17,21 as missing: $(cat status-b.txt)"
grep -q 'missing: 5,9,13,17,21' b/slurm/logs/1-merge.out || fail "the merge job does not name the missing points: $(cat b/slurm/logs/1-merge.out)"
say "2. task 1 cancelled: status and merge name points 5,9,13,17,21 as missing"
"$V" submit sweep.xml -o b --slurm --resume --tasks 2 > jobs-b2.txt 2> submit-b2.txt || fail "submit --resume: $(cat submit-b2.txt)"
read -r tasks merge < jobs-b2.txt
grep -q -- '--points 5,13,21 --resume' b/slurm/2-tasks.sbatch || fail "the resumed tasks do not run the missing points: $(grep exec b/slurm/2-tasks.sbatch)"
wait_jobs "$tasks" "$merge"
grep -q 'merged the 24 points' b/slurm/logs/2-merge.out || fail "the second merge: $(cat b/slurm/logs/2-merge.out)"
same_as_reference b
"$V" status b > /dev/null || fail "status after the resumed run: exit $?"
say "   resubmitted with --resume (points 5,9,13,17,21 in 2 tasks): merged, byte-identical to one machine's run"

# ---- 3. mixing experiments is refused ----

cp sweep.xml sweep.orig
sed -i 's/cores-per-host="2"/cores-per-host="8"/' sweep.xml
expect_refusal "3. the scenario changed since, submit --resume" "consumers.cores-per-host is 2 there, 8 in the scenario" \
  "$V" submit sweep.xml -o b --slurm --resume
expect_refusal "   the scenario changed since, merge" "consumers.cores-per-host is 2 there, 8 in the scenario" "$V" merge b
expect_refusal "   the scenario changed since, status" "consumers.cores-per-host" "$V" status b
cp sweep.orig sweep.xml
expect_refusal "   a --set that changes a parameter, submit --resume" "workload.requests is 2000 there, 500 in the scenario" \
  "$V" submit sweep.xml -o b --slurm --resume --set workload.requests=500
expect_refusal "   a --set that changes a parameter, run --shard --resume" "workload.requests is 2000 there, 500" \
  "$V" run sweep.xml -o b --shard 1/4 --resume --set workload.requests=500
sed 's/name="slurmtest"/name="other"/; s/requests="2000"/requests="1000"/' sweep.xml > other.xml
"$V" run other.xml -o other --shard 2/4 -q || fail "the other scenario's shard failed"
cp -r other/parts/shard-2-of-4 b/parts/shard-2-of-4-other
expect_refusal "   the part of another scenario in the directory, merge" "scenario.name is other there, slurmtest in the scenario" \
  "$V" merge b
expect_refusal "   the part of another scenario in the directory, status" "holds point 2 of another experiment" "$V" status b
expect_refusal "   the part of another scenario in the directory, submit --resume" "scenario.name is other there, slurmtest" \
  "$V" submit sweep.xml -o b --slurm --resume
rm -rf b/parts/shard-2-of-4-other
"$V" merge b 2> /dev/null || fail "merge after the foreign part was removed"
same_as_reference b

[ -z "$(squeue -h 2> /dev/null)" ] || fail "jobs left in the queue: $(squeue)"
say "PASSED (in ${SECONDS} s)"
