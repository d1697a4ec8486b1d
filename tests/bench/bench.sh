#!/bin/sh
# make bench: fixed workloads, timed whole-process (outputs included), each
# with -j 1 and -j every core, beside the random-number floor measured in the
# same run (tests/bench/floor.c), and the baseline beside what an analyst
# would write instead (tests/bench/analyst.py, numpy). Every time is the best
# of BENCH_REPEAT runs (3 unless set): on a shared machine the fastest run is
# the one least disturbed. Charts are not rendered (gnuplot is not ours to
# measure). Prints a table and the issue's targets; asserts nothing.
# BENCH_SCALE=0.1 runs a tenth of every workload (for a quick look).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
avrrsim="$root/avrrsim"
floor="$root/build/bench/floor"
scale=${BENCH_SCALE:-1}
repeat=${BENCH_REPEAT:-3}
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

reps() { awk -v n="$1" -v s="$scale" 'BEGIN { r = int(n * s); print (r < 10 ? 10 : r) }'; }

# best COMMAND...: runs it `repeat` times; sets wall (the shortest wall
# time, s) and rss (the largest peak resident memory, KiB)
best() {
    wall="" rss=0
    i=0
    while [ "$i" -lt "$repeat" ]; do
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
        read -r w m < "$work/time"
        wall=$(awk -v a="$wall" -v b="$w" 'BEGIN { print (a == "" || b < a) ? b : a }')
        rss=$(awk -v a="$rss" -v b="$m" 'BEGIN { print (b > a ? b : a) }')
        i=$((i + 1))
    done
}

# best_seconds COMMAND...: the smallest of the third word that COMMAND
# prints ("replications persons seconds"), over `repeat` runs; sets persons
# and seconds
best_seconds() {
    seconds=""
    i=0
    while [ "$i" -lt "$repeat" ]; do
        read -r _ persons s <<EOF2
$("$@")
EOF2
        seconds=$(awk -v a="$seconds" -v b="$s" 'BEGIN { print (a == "" || b < a) ? b : a }')
        i=$((i + 1))
    done
}

line() {   # LABEL THREADS REPLICATIONS PERSONS SECONDS RSS_KIB FLOOR_SECONDS
    awk -v l="$1" -v j="$2" -v n="$3" -v p="$4" -v w="$5" -v m="$6" -v f="$7" 'BEGIN {
        printf "%-34s %3d %8d %14.0f %9.2f %16.0f %9s %8s\n", l, j, n, p, w, p / w / j,
               m == "-" ? "-" : sprintf("%.1f", m / 1024), f == "-" ? "-" : sprintf("%.2f", w * j / f) }'
}

printf "machine: %s cores (%s), load average at start: %s; best of %s runs\n" "$cores" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$repeat"
printf "%-34s %3s %8s %14s %9s %16s %9s %8s\n" workload -j reps persons wall_s persons/s/core peak_MiB x_floor

for spec in "baseline:scenarios/baseline.yaml:10000" "holot-capacity:scenarios/holot-capacity.yaml:2000"; do
    name=${spec%%:*}; rest=${spec#*:}; file=${rest%%:*}; n=$(reps "${rest#*:}")
    best_seconds "$floor" "$root/$file" "$n"
    floor_seconds=$seconds
    line "$name floor (draws only)" 1 "$n" "$persons" "$floor_seconds" - "$floor_seconds"
    for threads in 1 "$cores"; do
        best "$avrrsim" run "$root/$file" -n "$n" -j "$threads" --no-plots -o "$work/out" --quiet
        line "$name" "$threads" "$n" "$persons" "$wall" "$rss" "$floor_seconds"
        ratio=$(awk -v w="$wall" -v f="$floor_seconds" 'BEGIN { printf "%.2f", w / f }')
        case "$name:$threads" in   # what the targets below read
            baseline:1) baseline_floor_ratio=$ratio baseline_wall_1=$wall baseline_persons=$persons ;;
            baseline:*) baseline_wall_all=$wall ;;
            holot-capacity:1) holot_floor_ratio=$ratio ;;
        esac
    done
done

# what an analyst would write instead: the baseline's core model in numpy
# (tests/bench/analyst.py), one core, the whole process's CPU time
n=$(reps 10000)
best_seconds env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 \
    "$root/tests/bench/analyst.py" "$n" "$work/analyst.csv"
analyst_rate=$(awk -v p="$persons" -v s="$seconds" 'BEGIN { print p / s }')
line "baseline, numpy (analyst)" 1 "$n" "$persons" "$seconds" - -

# a sweep of twenty points over the mean detention length (avrrsim sweep)
n=$(reps 500)
best_seconds "$floor" "$root/scenarios/baseline.yaml" "$n"
floor_seconds=$(awk -v s="$seconds" 'BEGIN { print s * 20 }')
for threads in 1 "$cores"; do
    best "$avrrsim" sweep "$root/scenarios/baseline.yaml" -n "$n" -j "$threads" -o "$work/sweep" \
        --quiet --vary "model.detention.length_days.mean=10:200:20"
    line "sweep, 20 points" "$threads" $((n * 20)) "$(awk -v p="$persons" 'BEGIN { print p * 20 }')" \
        "$wall" "$rss" "$floor_seconds"
done

# memory per replication: a short horizon, 1,000 against 20,000 replications
for n in 1000 20000; do
    /usr/bin/time -f "%M" -o "$work/rss$n" "$avrrsim" run "$root/scenarios/baseline.yaml" \
        --set horizon_months=3 -n "$n" -o "$work/mem" --quiet --no-plots >/dev/null
done
bytes_per_replication=$(awk -v a="$(cat "$work/rss1000")" -v b="$(cat "$work/rss20000")" \
    'BEGIN { printf "%.0f", (b - a) * 1024 / 19000 }')
awk -v a="$(cat "$work/rss1000")" -v b="$(cat "$work/rss20000")" -v d="$bytes_per_replication" 'BEGIN {
    printf "peak memory of the engine (charts not rendered), baseline at 3 months: %.1f MiB at 1,000 replications, %.1f MiB at 20,000: %d bytes per replication\n",
           a / 1024, b / 1024, d }'

# the issue's targets, from the rows above
engine_rate=$(awk -v p="$baseline_persons" -v w="$baseline_wall_1" 'BEGIN { print p / w }')
awk -v e="$engine_rate" -v a="$analyst_rate" -v bf="$baseline_floor_ratio" -v hf="$holot_floor_ratio" \
    -v b1="$baseline_wall_1" -v bj="$baseline_wall_all" -v c="$cores" -v m="$bytes_per_replication" '
    function verdict(ok) { return ok ? "met" : "NOT met" }
    BEGIN {
        printf "targets:\n"
        printf "  baseline within 2x the floor:             %5.2fx       %s\n", bf, verdict(bf <= 2)
        printf "  capacity scenario within 6x the floor:    %5.2fx       %s\n", hf, verdict(hf <= 6)
        printf "  baseline, one core, 2x the numpy script:  %5.2fx       %s (%.2f M against %.2f M persons/s)\n",
               e / a, verdict(e / a >= 2), e / 1e6, a / 1e6
        printf "  baseline, 30 M persons/s on one core:     %5.2f M      %s\n", e / 1e6, verdict(e >= 30e6)
        if (c > 1)
            printf "  baseline, -j %d at 1.8x the throughput of -j 1: %.2fx  %s\n", c, b1 / bj, verdict(b1 / bj >= 1.8)
        printf "  memory, at most 1 KiB per replication:    %d bytes   %s\n", m, verdict(m <= 1024)
    }'
