#!/bin/sh
# The MPI tests (make test-mpi): runs, sweeps and batches under mpirun with 2
# and 3 ranks, each output tree compared byte for byte (every file but
# manifest.json) with one process of the plain build, same scenario and
# seed; a bad scenario and a bad sweep point reported once with exit status
# 2; a rank killed mid-run: non-zero exit, no output directory; the README's
# mpirun lines as written. Charts are not rendered (--no-plots: their
# scripts and data are compared).
# usage: tests/mpi/run.sh MPI_PROGRAM PLAIN_PROGRAM
# Prints a line per case and ends with "mpi: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
mpi=$1
plain=$2
# mpirun refuses root unless told; CI runs as root. Only here, not globally.
if [ "$(id -u)" = 0 ]; then
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
fi
# more ranks than cores is fine here (2 cores, up to 3 ranks)
MPIRUN="mpirun --oversubscribe"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok   mpi/$1"; }
fail() { failed=$((failed + 1)); echo "FAIL mpi/$1: $2"; }

# same_tree A B: every file of either tree in both, equal byte for byte
# (manifest.json aside); prints the first difference
same_tree() {
    (cd "$1" && find . -type f ! -name manifest.json | sort) > "$work/list.a"
    (cd "$2" && find . -type f ! -name manifest.json | sort) > "$work/list.b"
    if ! cmp -s "$work/list.a" "$work/list.b"; then
        echo "different files: $(diff "$work/list.a" "$work/list.b" | head -n 4 | tr '\n' ' ')"
        return 1
    fi
    test -s "$work/list.a" || { echo "no files"; return 1; }
    while IFS= read -r f; do
        cmp "$1/$f" "$2/$f" >/dev/null || { echo "$f differs"; return 1; }
    done < "$work/list.a"
}

# compare NAME RANKS COMMAND ARGS...: the command with one process and under
# mpirun with RANKS ranks, into $work/NAME-1 and $work/NAME-RANKS; the trees,
# standard outputs (the directory's name aside) and exit statuses must agree
compare() {
    name=$1 ranks=$2
    shift 2
    one="$work/$name-1" many="$work/$name-$ranks"
    rm -rf "$one" "$many"
    "$plain" "$@" -o "$one" --no-plots --quiet > "$work/out.1" 2> "$work/err.1"
    s1=$?
    $MPIRUN -np "$ranks" "$mpi" "$@" -o "$many" --no-plots --quiet > "$work/out.n" 2> "$work/err.n"
    sn=$?
    sed "s|$many|DIR|g" "$work/out.n" > "$work/out.n.dir"
    sed "s|$one|DIR|g" "$work/out.1" > "$work/out.1.dir"
    if [ "$s1" != 0 ] || [ "$sn" != 0 ]; then
        fail "$name, $ranks ranks" "exit status $s1 alone, $sn under mpirun: $(head -c 600 "$work/err.n")"
    elif ! why=$(same_tree "$one" "$many"); then
        fail "$name, $ranks ranks" "$why"
    elif ! cmp -s "$work/out.1.dir" "$work/out.n.dir"; then
        fail "$name, $ranks ranks" "stdout differs: $(diff "$work/out.1.dir" "$work/out.n.dir" | head -n 6)"
    elif find "$many" -name manifest.json | while IFS= read -r m; do
             grep -q "\"ranks\": $ranks," "$m" || echo "$m"; done | grep -q .; then
        fail "$name, $ranks ranks" "a manifest.json does not record $ranks ranks"
    else
        pass "$name, $ranks ranks"
    fi
}

# a small scenario (tests/mpi/small.yaml): many blocks per rank in seconds;
# 2,000 replications also cross the 1,000 whose monthly series are kept
small="$root/tests/mpi/small.yaml"
base="$root/scenarios/baseline.yaml"
grid="--vary model.detention.length_days.mean=30:90:3 --vary model.avrr.uptake=0.05,0.2"

for ranks in 2 3; do
    compare run "$ranks" run "$small" -n 2000 -s 7 -j 1
    # shellcheck disable=SC2086
    compare sweep "$ranks" sweep "$small" -n 300 -s 7 -j 1 $grid
    compare batch "$ranks" batch "$small" "$root/scenarios/holot-capacity.yaml" -n 40 -s 7 -j 1
done
# threads inside the ranks; batches of --precision; Latin hypercube strata
compare run-threads 2 run "$small" -n 1000 -j 2
compare run-precision 3 run "$small" -n 5000 --precision 0.3 -j 1
compare run-lhs 3 run "$small" -n 1000 --set sampling=lhs -j 1
# shellcheck disable=SC2086
compare sweep-precision 2 sweep "$small" -n 5000 --precision 0.5 -j 1 \
    --vary model.avrr.uptake=0.05,0.2,0.4

# a bad scenario: every rank finds it, rank 0 alone reports, exit 2
bad="$root/tests/e2e/bad-negative-cost/s.yaml"
"$plain" run "$bad" -o "$work/bad-1" > /dev/null 2> "$work/bad.1"
$MPIRUN -q -np 3 "$mpi" run "$bad" -o "$work/bad-3" > /dev/null 2> "$work/bad.3"
status=$?
if [ "$status" != 2 ]; then
    fail "bad scenario" "exit status $status, expected 2"
elif ! cmp -s "$work/bad.1" "$work/bad.3"; then
    fail "bad scenario" "stderr is not one process's: $(diff "$work/bad.1" "$work/bad.3" | head -n 8)"
elif [ -e "$work/bad-3" ]; then
    fail "bad scenario" "an output directory was written"
else
    pass "bad scenario: one report, exit 2"
fi
# the same without -q: mpirun adds its own notice; ours is still there once
$MPIRUN -np 2 "$mpi" run "$bad" -o "$work/bad-2" > /dev/null 2> "$work/bad.2"
status=$?
count=$(grep -c "must be at least 0" "$work/bad.2")
if [ "$status" = 2 ] && [ "$count" = 1 ]; then
    pass "bad scenario without -q: reported once"
else
    fail "bad scenario without -q" "exit status $status, the report $count times"
fi

# a sweep point that does not load: found by rank 0, reported once, exit 2
$MPIRUN -q -np 2 "$mpi" sweep "$small" -n 70 -j 1 --vary model.avrr.uptake=0.1,1.5 -o "$work/badpoint" \
    > /dev/null 2> "$work/badpoint.err"
status=$?
count=$(grep -c "at sweep point 2 of 2" "$work/badpoint.err")
if [ "$status" = 2 ] && [ "$count" = 1 ] && [ ! -e "$work/badpoint" ]; then
    pass "bad sweep point: one report, exit 2, no output"
else
    fail "bad sweep point" "exit status $status, the report $count times: $(head -c 400 "$work/badpoint.err")"
fi

# a foreign output directory: rank 0 alone inspects it; every rank stops
mkdir -p "$work/foreign" && echo keep > "$work/foreign/mine.txt"
$MPIRUN -q -np 2 "$mpi" run "$small" -n 70 -o "$work/foreign" > /dev/null 2> "$work/foreign.err"
status=$?
if [ "$status" = 2 ] && [ "$(grep -c "did not write" "$work/foreign.err")" = 1 ] &&
   [ "$(ls -A "$work/foreign")" = mine.txt ]; then
    pass "foreign output directory refused once, untouched"
else
    fail "foreign output directory" "exit status $status: $(head -c 400 "$work/foreign.err")"
fi

# a rank killed mid-run: the job stops, non-zero exit, no output directory,
# and mpirun names the rank (rank 0's "interrupted by SIGTERM; no results
# written" may be cut off: mpirun stops forwarding output as it ends the job)
mkdir "$work/killed"
$MPIRUN -np 3 "$mpi" run "$base" -n 6000 -j 1 -o "$work/killed/out" --no-plots --quiet \
    > /dev/null 2> "$work/killed.err" &
mpirun_pid=$!
victim=""
for _ in $(seq 1 100); do
    for p in $(pgrep -P "$mpirun_pid" 2>/dev/null); do
        tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1' && victim=$p
    done
    [ -n "$victim" ] && break
    sleep 0.1
done
sleep 3   # mid-run: ranks are computing blocks
[ -n "$victim" ] && kill -9 "$victim"
wait "$mpirun_pid"
status=$?
if [ -z "$victim" ]; then
    fail "rank killed mid-run" "rank 1 was not found"
elif [ "$status" = 0 ]; then
    fail "rank killed mid-run" "exit status 0"
elif [ -n "$(ls -A "$work/killed")" ]; then
    fail "rank killed mid-run" "left $(ls -A "$work/killed")"
elif ! grep -q "rank 1 .* exited on signal 9" "$work/killed.err"; then
    fail "rank killed mid-run" "no clear message: $(head -c 600 "$work/killed.err")"
else
    pass "rank killed mid-run: exit $status, no output directory"
fi

# README: every mpirun line of "Running on a cluster", as written, with 2 ranks
mkdir -p "$work/readme/scenarios" && cp "$root"/scenarios/*.yaml "$work/readme/scenarios/" &&
    ln -s "$mpi" "$work/readme/avrrsim"
awk '/^    mpirun / { cmd = substr($0, 5); while (cmd ~ /\\$/) { sub(/\\$/, "", cmd); getline; sub(/^ +/, "", $0); cmd = cmd $0 } print cmd }' \
    "$root/README.md" > "$work/readme/commands.sh"
if [ "$(wc -l < "$work/readme/commands.sh")" -lt 1 ]; then
    fail "README mpirun lines" "none found"
else
    readme_ok=1
    while IFS= read -r line; do
        case "$line" in *"-np 2 "*) ;; *) readme_ok=0; fail "README mpirun lines" "not 2 ranks: $line"; continue ;; esac
        (cd "$work/readme" && sh -c "$line" > /dev/null 2> "$work/readme.err") ||
            { readme_ok=0; fail "README mpirun lines" "failed: $line: $(head -c 400 "$work/readme.err")"; }
    done < "$work/readme/commands.sh"
    [ "$readme_ok" = 1 ] && pass "README mpirun lines ($(wc -l < "$work/readme/commands.sh"))"
fi

# the Slurm example is a valid bash script
if bash -n "$root/scripts/slurm/sweep.sbatch"; then pass "scripts/slurm/sweep.sbatch parses"; else fail "slurm script" "bash -n"; fi

echo "mpi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
