#!/bin/sh
# make bench: fixed workloads, timed whole-process (outputs included), each
# with -j 1 and -j every core, beside the random-number floor measured in the
# same run (tests/bench/floor.c), and the baseline beside what an analyst
# would write instead (tests/bench/analyst.py, numpy). Charts are not rendered (gnuplot is not
# ours to measure). Prints a table; asserts nothing.
# BENCH_SCALE=0.1 runs a tenth of every workload (for a quick look).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
avrrsim="$root/avrrsim"
floor="$root/build/bench/floor"
scale=${BENCH_SCALE:-1}
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

reps() { awk -v n="$1" -v s="$scale" 'BEGIN { r = int(n * s); print (r < 10 ? 10 : r) }'; }

# time_run LABEL THREADS REPLICATIONS ARGS... -> one table row
row() {
    label=$1 threads=$2 n=$3 persons=$4 floor_seconds=$5
    shift 5
    /usr/bin/time -f "%e %M" -o "$work/time" "$avrrsim" run "$@" -n "$n" -j "$threads" --no-plots \
        -o "$work/out" --quiet >/dev/null
    read -r wall rss < "$work/time"
    awk -v l="$label" -v j="$threads" -v n="$n" -v p="$persons" -v w="$wall" -v m="$rss" \
        -v f="$floor_seconds" 'BEGIN {
        printf "%-28s %3d %8d %14.0f %9.2f %16.0f %9.1f %8.2f\n",
               l, j, n, p, w, p / w / j, m / 1024, w * j / f }'
}

printf "machine: %s cores (%s), load average at start: %s\n" "$cores" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-28s %3s %8s %14s %9s %16s %9s %8s\n" workload -j reps persons wall_s persons/s/core peak_MiB x_floor

for spec in "baseline:scenarios/baseline.yaml:10000" "holot-capacity:scenarios/holot-capacity.yaml:2000"; do
    name=${spec%%:*}; rest=${spec#*:}; file=${rest%%:*}; n=$(reps "${rest#*:}")
    read -r _ persons floor_seconds <<EOF2
$("$floor" "$root/$file" "$n")
EOF2
    printf "%-28s %3s %8d %14.0f %9.2f %16.0f %9s %8s\n" "$name floor (draws only)" 1 "$n" \
        "$persons" "$floor_seconds" "$(awk -v p="$persons" -v f="$floor_seconds" 'BEGIN { print p / f }')" - 1.00
    row "$name" 1 "$n" "$persons" "$floor_seconds" "$root/$file"
    [ "$name" = baseline ] && engine_rate=$(awk -v p="$persons" -v w="$wall" 'BEGIN { print p / w }')
    row "$name" "$cores" "$n" "$persons" "$floor_seconds" "$root/$file"
done

# what an analyst would write instead: the baseline's core model in numpy
# (tests/bench/analyst.py), one core, the whole process's CPU time
n=$(reps 10000)
read -r _ persons analyst_seconds <<EOF2
$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 "$root/tests/bench/analyst.py" "$n" "$work/analyst.csv")
EOF2
analyst_rate=$(awk -v p="$persons" -v s="$analyst_seconds" 'BEGIN { print p / s }')
printf "%-28s %3s %8d %14.0f %9.2f %16.0f %9s %8s\n" "baseline, numpy (analyst)" 1 "$n" \
    "$persons" "$analyst_seconds" "$analyst_rate" - -

# a sweep of twenty points over the mean detention length (avrrsim sweep)
n=$(reps 500)
read -r _ persons floor_seconds <<EOF2
$("$floor" "$root/scenarios/baseline.yaml" "$n")
EOF2
for threads in 1 "$cores"; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$avrrsim" sweep "$root/scenarios/baseline.yaml" \
        -n "$n" -j "$threads" -o "$work/sweep" --quiet --vary "model.detention.length_days.mean=10:200:20" >/dev/null
    read -r wall rss < "$work/time"
    awk -v j="$threads" -v n="$n" -v p="$persons" -v w="$wall" -v m="$rss" -v f="$floor_seconds" 'BEGIN {
        printf "%-28s %3d %8d %14.0f %9.2f %16.0f %9.1f %8.2f\n",
        "sweep, 20 points", j, n * 20, p * 20, w, p * 20 / w / j, m / 1024, w * j / (f * 20) }'
done

# memory per replication: a short horizon, 1,000 against 20,000 replications
for n in 1000 20000; do
    /usr/bin/time -f "%M" -o "$work/rss$n" "$avrrsim" run "$root/scenarios/baseline.yaml" \
        --set horizon_months=3 -n "$n" -o "$work/mem" --quiet --no-plots >/dev/null
done
awk -v a="$(cat "$work/rss1000")" -v b="$(cat "$work/rss20000")" 'BEGIN {
    printf "peak memory of the engine (charts not rendered), baseline at 3 months: %.1f MiB at 1,000 replications, %.1f MiB at 20,000: %.0f bytes per replication\n",
           a / 1024, b / 1024, (b - a) * 1024 / 19000 }'
awk -v e="$engine_rate" -v a="$analyst_rate" 'BEGIN {
    printf "baseline, one core: avrrsim %.2f M persons/s, the numpy script %.2f M: %.2f times as fast\n",
           e / 1e6, a / 1e6, e / a }'
