#!/bin/sh
# make bench: fixed workloads, timed whole-process (outputs included), each
# with -j 1 and -j every core, beside the random-number floor measured in the
# same run (tests/bench/floor.c), and the baseline beside what an analyst
# would write instead (tests/bench/analyst.py, numpy). Every time is the best
# of BENCH_REPEAT runs (3 unless set): on a shared machine the fastest run is
# the one least disturbed. The runs a ratio compares (a workload's floor, its
# -j 1 and -j every core, and for the baseline the numpy script) take turns,
# round by round, so that a slow spell of the machine does not fall on one
# side of a ratio only. Charts are not rendered (gnuplot is not ours to
# measure). Prints a table, what single GSL draws cost here
# (tests/bench/draws.c) and the issue's targets; asserts nothing.
# BENCH_SCALE=0.1 runs a tenth of every workload (for a quick look).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
avrrsim="$root/avrrsim"
floor="$root/build/bench/floor"
draws="$root/build/bench/draws"
scale=${BENCH_SCALE:-1}
repeat=${BENCH_REPEAT:-3}
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

reps() { awk -v n="$1" -v s="$scale" 'BEGIN { r = int(n * s); print (r < 10 ? 10 : r) }'; }

# once COMMAND...: runs it once; sets w (wall time, s) and m (peak resident
# memory, KiB)
once() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    read -r w m < "$work/time"
}

# reported COMMAND...: runs it once; it prints "replications persons
# seconds": sets persons and s
reported() {
    read -r _ persons s <<EOF2
$("$@")
EOF2
}

least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
most() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a) ? b : a }'; }

# rounds FLOOR_REPLICATIONS COMMAND...: `repeat` rounds of the floor (with
# FLOOR_REPLICATIONS), COMMAND -j 1, COMMAND -j every core (when there are
# several) and, when analyst is set, the numpy script; sets the best of each:
# floor_s, wall_1, wall_all, analyst_s, and the largest rss_1, rss_all (KiB),
# persons (the floor's) and analyst_persons
rounds() {
    floor_n=$1
    shift
    floor_s="" wall_1="" wall_all="" analyst_s="" rss_1=0 rss_all=0
    i=0
    while [ "$i" -lt "$repeat" ]; do
        if [ -n "$analyst" ]; then
            reported env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 \
                "$root/tests/bench/analyst.py" "$analyst" "$work/analyst.csv"
            analyst_s=$(least "$analyst_s" "$s") analyst_persons=$persons
        fi
        reported "$floor" "$root/$floor_file" "$floor_n"
        floor_s=$(least "$floor_s" "$s") floor_persons=$persons
        once "$@" -j 1
        wall_1=$(least "$wall_1" "$w") rss_1=$(most "$rss_1" "$m")
        if [ "$cores" -gt 1 ]; then
            once "$@" -j "$cores"
            wall_all=$(least "$wall_all" "$w") rss_all=$(most "$rss_all" "$m")
        fi
        i=$((i + 1))
    done
    persons=$floor_persons
    [ "$cores" -gt 1 ] || wall_all=$wall_1 rss_all=$rss_1
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
    name=${spec%%:*}; rest=${spec#*:}; floor_file=${rest%%:*}; n=$(reps "${rest#*:}")
    # beside the baseline, what an analyst would write instead: its core model
    # in numpy (tests/bench/analyst.py), one core, the whole process's CPU time
    analyst=""
    [ "$name" = baseline ] && analyst=$n
    rounds "$n" "$avrrsim" run "$root/$floor_file" -n "$n" --no-plots -o "$work/out" --quiet
    line "$name floor (draws only)" 1 "$n" "$persons" "$floor_s" - "$floor_s"
    line "$name" 1 "$n" "$persons" "$wall_1" "$rss_1" "$floor_s"
    [ "$cores" -gt 1 ] && line "$name" "$cores" "$n" "$persons" "$wall_all" "$rss_all" "$floor_s"
    ratio=$(awk -v w="$wall_1" -v f="$floor_s" 'BEGIN { printf "%.2f", w / f }')
    case "$name" in   # what the targets below read
        baseline)
            baseline_floor_ratio=$ratio baseline_wall_1=$wall_1 baseline_wall_all=$wall_all
            baseline_persons=$persons baseline_floor_s=$floor_s
            analyst_rate=$(awk -v p="$analyst_persons" -v s="$analyst_s" 'BEGIN { print p / s }')
            line "baseline, numpy (analyst)" 1 "$n" "$analyst_persons" "$analyst_s" - - ;;
        holot-capacity) holot_floor_ratio=$ratio ;;
    esac
done

# a sweep of twenty points over the mean detention length (avrrsim sweep),
# beside the floor of as many replications of the baseline (one run, not
# twenty times a short one, whose noise the ratio would multiply)
n=$(reps 500)
analyst="" floor_file=scenarios/baseline.yaml
rounds $((n * 20)) "$avrrsim" sweep "$root/scenarios/baseline.yaml" -n "$n" -o "$work/sweep" \
    --quiet --vary "model.detention.length_days.mean=10:200:20"
reported "$floor" "$root/scenarios/baseline.yaml" "$n"   # the persons of one point, exactly
sweep_persons=$(awk -v p="$persons" 'BEGIN { print p * 20 }')
line "sweep, 20 points" 1 $((n * 20)) "$sweep_persons" "$wall_1" "$rss_1" "$floor_s"
[ "$cores" -gt 1 ] && line "sweep, 20 points" "$cores" $((n * 20)) "$sweep_persons" "$wall_all" "$rss_all" "$floor_s"

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

# what single draws cost with GSL here (tests/bench/draws.c): the floor's
# parts, and what any program drawing with GSL can reach
"$draws" > "$work/draws"
awk '{ ns[$1] = $2 } END {
    printf "GSL draws here (taus2, one call each, best of 5): uniform %.1f ns, Gaussian (ziggurat) %.1f ns, lognormal %.1f ns, gamma %.1f ns, Poisson(600) %.0f ns\n",
           ns["uniform"], ns["gaussian_ziggurat"], ns["lognormal"], ns["gamma"], ns["poisson_600"]
    printf "a baseline person drawn with them one by one (3 uniforms, a lognormal): %.1f ns, %.1f M persons/s\n",
           ns["person"], 1e3 / ns["person"] }' "$work/draws"

# the issue's targets, from the rows above. The engine makes every draw the
# floor makes, so a rate above the floor's is out of reach with these draws.
engine_rate=$(awk -v p="$baseline_persons" -v w="$baseline_wall_1" 'BEGIN { print p / w }')
floor_rate=$(awk -v p="$baseline_persons" -v f="$baseline_floor_s" 'BEGIN { print p / f }')
awk -v e="$engine_rate" -v a="$analyst_rate" -v bf="$baseline_floor_ratio" -v hf="$holot_floor_ratio" \
    -v f="$floor_rate" \
    -v b1="$baseline_wall_1" -v bj="$baseline_wall_all" -v c="$cores" -v m="$bytes_per_replication" '
    function verdict(ok) { return ok ? "met" : "NOT met" }
    function reach(rate) {
        return rate > f ? sprintf("; above the floor itself (%.2f M persons/s): out of reach with these draws", f / 1e6) : ""
    }
    BEGIN {
        printf "targets:\n"
        printf "  baseline within 2x the floor:             %5.2fx       %s\n", bf, verdict(bf <= 2)
        printf "  capacity scenario within 6x the floor:    %5.2fx       %s\n", hf, verdict(hf <= 6)
        printf "  baseline, one core, 2x the numpy script:  %5.2fx       %s (%.2f M against %.2f M persons/s%s)\n",
               e / a, verdict(e / a >= 2), e / 1e6, a / 1e6, reach(2 * a)
        printf "  baseline, 30 M persons/s on one core:     %5.2f M      %s%s\n", e / 1e6, verdict(e >= 30e6),
               reach(30e6)
        if (c > 1)
            printf "  baseline, -j %d at 1.8x the throughput of -j 1: %.2fx  %s\n", c, b1 / bj, verdict(b1 / bj >= 1.8)
        printf "  memory, at most 1 KiB per replication:    %d bytes   %s\n", m, verdict(m <= 1024)
    }'
