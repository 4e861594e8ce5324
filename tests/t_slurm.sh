#!/bin/sh
# A real one-node Slurm cluster (Debian's slurm-wlm and munge) runs the
# script of `capmatch sweep --emit slurm`; the merged sweep.csv must equal a
# local sweep's. The daemons run on a configuration in a temporary folder
# and are stopped by their process ids. Root only (it installs packages and
# runs the daemons as root); elsewhere it prints SKIP with the reason. Also
# checks the GNU parallel command that the README gives for one machine.
set -u
. tests/lib.sh
skip() { echo "SKIP: slurm: $*"; echo "$pass passed, $fail failed"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root to install slurm-wlm and munge and to run their daemons"
need=""
for p in slurm-wlm munge parallel; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need; } > /dev/null 2>&1 \
        || skip "apt-get could not install$need"
fi
for c in munged slurmctld slurmd sbatch sinfo squeue; do
    command -v $c > /dev/null || skip "$c is missing after installing slurm-wlm and munge"
done

tmp=$(mktemp -d /tmp/capmatch-slurm.XXXXXX)
chmod 755 "$tmp"
pids=""
stop() {
    for p in $pids; do kill "$p" 2> /dev/null; done
    for p in $pids; do
        i=0; while kill -0 "$p" 2> /dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$p" 2> /dev/null
    done
    pids=""
}
trap 'stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
show_logs() { for l in "$tmp"/*.log; do echo "--- $l"; tail -n 15 "$l"; done; }

# munge: its own key, socket, pid and log files in the temporary folder
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool"
dd if=/dev/urandom bs=1 count=1024 of="$tmp/munge/munge.key" 2> /dev/null
chown root:root "$tmp/munge/munge.key"
chmod 0400 "$tmp/munge/munge.key"
chmod 0700 "$tmp/munge"
sock="$tmp/munge/munge.socket"
munged --force --key-file="$tmp/munge/munge.key" --socket="$sock" --pid-file="$tmp/munge/munged.pid" \
    --log-file="$tmp/munged.log" --seed-file="$tmp/munge/munge.seed" > "$tmp/munged.out" 2>&1 \
    || { cat "$tmp/munged.out"; skip "munged did not start: $(tail -n 1 "$tmp/munged.log" 2> /dev/null)"; }
i=0; while [ ! -s "$tmp/munge/munged.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pids="$(cat "$tmp/munge/munged.pid")"

host=$(hostname -s)
conf="$tmp/slurm.conf"
cat > "$conf" <<EOF
ClusterName=capmatch-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
SchedulerType=sched/backfill
NodeName=$host CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$conf"
slurmctld -D -i -f "$conf" > "$tmp/slurmctld.out" 2>&1 &
pids="$pids $!"
slurmd -D -f "$conf" > "$tmp/slurmd.out" 2>&1 &
pids="$pids $!"
i=0
until sinfo -h -N -o '%T' 2> /dev/null | grep -q '^idle'; do
    i=$((i + 1))
    if [ $i -gt 120 ]; then
        show_logs
        skip "the node did not become idle within 60 s: $(tail -n 1 "$tmp/slurmctld.log" 2> /dev/null)"
    fi
    sleep 0.5
done
ok

# a small sweep: the instance of the other sweep tests, a few variants, a
# short time limit
/usr/bin/python3 tests/gen_instance.py --countries 6 --courses 10 --donors 3 --seed 5 --mip-gap 0 \
    --db no --formats machine --out "$tmp/inst" > /dev/null || bad "generate the instance"
cat > "$tmp/inst/sweep.yaml" <<'YAML'
base: scenario.yaml
variants:
  - name: baseline
  - name: budgets-80
    budget_scale: 0.8
grid: {budget_scale: [0.5, 1.5]}
marginal: {step: 10%}
YAML
chmod -R a+rX "$tmp"
# --cold: the array's tasks start from nothing, as a cold local sweep does
$CAPMATCH sweep "$tmp/inst/sweep.yaml" -o "$tmp/local" -j 2 --cold --quiet --time-limit 20 2> "$tmp/local.err"; rc=$?
check "the local sweep exits 0 (got $rc)" '[ $rc = 0 ]'
$CAPMATCH sweep "$tmp/inst/sweep.yaml" -o "$tmp/slurm-out" --emit slurm --time-limit 20 > "$tmp/job.sh"; rc=$?
check "--emit slurm exits 0 (got $rc)" '[ $rc = 0 ]'
(cd "$tmp" && sh "$tmp/job.sh") > "$tmp/ids" 2> "$tmp/submit.err"; rc=$?
check "the Slurm script submits (got $rc): $(cat "$tmp/submit.err")" '[ $rc = 0 ]'
merge=$(sed -n 's/^merge job: //p' "$tmp/ids")
array=$(sed -n 's/^array job: //p' "$tmp/ids")
check "it prints both job ids ($array, $merge)" '[ -n "$merge" ] && [ -n "$array" ]'
# bounded wait: the merge job leaves the queue (done or failed)
i=0
while [ -n "$merge" ] && squeue -h -j "$merge" 2> /dev/null | grep -q . && [ $i -lt 1200 ]; do
    sleep 0.5; i=$((i + 1))
done
check "the merge job ended within 10 minutes" '[ $i -lt 1200 ]'
if [ -f "$tmp/slurm-out/sweep.csv" ]; then ok; else
    bad "no merged sweep.csv; the array's and merge's output:"
    cat "$tmp"/slurm-out/slurm-*.out 2> /dev/null | tail -n 20
    show_logs
fi
# timing columns aside: sweep.csv holds none, so the files must be equal
check "the merged sweep.csv equals the local sweep's" 'cmp -s "$tmp/slurm-out/sweep.csv" "$tmp/local/sweep.csv"'
check "and so does marginal.csv" 'cmp -s "$tmp/slurm-out/marginal.csv" "$tmp/local/marginal.csv"'
n=$($CAPMATCH sweep "$tmp/inst/sweep.yaml" --list | wc -l)
check "every one of the $n tasks wrote its variant" \
    '[ "$(ls "$tmp"/slurm-out/variants/*/variant.tsv | wc -l)" = "$n" ]'
stop

# the README's GNU parallel equivalent on one machine: one --task a process, then --merge
f="$tmp/inst/sweep.yaml"; out="$tmp/par"
mkdir -p "$out"
$CAPMATCH sweep "$f" --list | awk '{print NR - 1}' \
    | parallel -j 2 "$CAPMATCH" sweep "$f" -o "$out" --task {} --quiet --time-limit 20; rc=$?
check "the GNU parallel command runs every task (got $rc)" '[ $rc = 0 ]'
$CAPMATCH sweep "$f" -o "$out" --merge --quiet; rc=$?
check "its merge exits 0 (got $rc)" '[ $rc = 0 ]'
check "its sweep.csv equals the local sweep's" 'cmp -s "$out/sweep.csv" "$tmp/local/sweep.csv"'
finish
