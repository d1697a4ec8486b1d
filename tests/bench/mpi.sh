#!/bin/sh
# make bench MPI=1: the throughput of ./avrrsim (the MPI build) under mpirun
# with 1, 2 and 4 ranks of one thread each, for a run and a sweep of the
# baseline (charts not rendered), and what the ranks sent: Open MPI's own
# count (its pml "monitoring" component) of the bytes and messages each rank
# sent. Ranks beyond this machine's cores are oversubscribed: the table says
# so. Prints a table; asserts nothing.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
avrrsim="$root/avrrsim"
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$(id -u)" = 0 ]; then   # mpirun refuses root unless told (CI, containers)
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
fi
base="$root/scenarios/baseline.yaml"
n=1024   # a whole number of blocks at 2 and 4 ranks (128 and 64 replications)

printf "machine: %s cores (%s); one thread per rank (-j 1)\n" "$cores" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf "%-26s %5s %7s %8s %12s %8s %14s %12s %s\n" workload ranks reps wall_s reps_per_s speedup \
    bytes_to_rank0 bytes_per_rep note

# row LABEL RANKS REPLICATIONS ITEM_REPLICATIONS COMMAND ARGS... (the
# replications of one run or sweep point set the block size)
row() {
    label=$1 ranks=$2 reps=$3 item=$4
    shift 4
    rm -f "$work"/mon.*.prof
    /usr/bin/time -f "%e" -o "$work/time" mpirun --oversubscribe -np "$ranks" \
        --mca pml_monitoring_enable 1 --mca pml_monitoring_enable_output 3 \
        --mca pml_monitoring_filename "$work/mon" \
        "$avrrsim" "$@" -j 1 -o "$work/out" --no-plots --quiet > /dev/null
    wall=$(cat "$work/time")
    # bytes the other ranks sent to rank 0, and their messages of 1 KiB or
    # more (each a block of results; the histogram's bucket b counts sizes
    # from 2^(b-1) to 2^b bytes)
    sent=0 blocks=0
    for f in "$work"/mon.*.prof; do
        [ -f "$f" ] || continue
        set -- $(awk -F '\t' '$1 == "E" && $2 != 0 && $3 == 0 {
            split($4, b, " "); split($6, h, ","); big = 0
            for (i = 12; i <= 64; i++) big += h[i]
            print b[1], big }' "$f") 0 0
        sent=$((sent + $1)) blocks=$((blocks + $2))
    done
    if [ "$ranks" = 1 ]; then
        one=$wall
    fi
    block=$(( (item + 4 * ranks - 1) / (4 * ranks) ))
    [ "$block" -lt 64 ] && block=64
    note=""
    [ "$ranks" -gt "$cores" ] && note="oversubscribed: $ranks ranks on $cores cores"
    awk -v l="$label" -v k="$ranks" -v n="$reps" -v w="$wall" -v o="$one" -v s="$sent" -v b="$blocks" \
        -v B="$block" -v note="$note" 'BEGIN {
        per = b > 0 ? sprintf("%.0f", s / (b * B)) : "-"
        printf "%-26s %5d %7d %8.2f %12.1f %8.2f %14d %12s %s\n", l, k, n, w, n / w, o / w, s, per, note }'
}

for ranks in 1 2 4; do
    row "run, baseline" "$ranks" "$n" "$n" run "$base" -n "$n"
done
for ranks in 1 2 4; do
    row "sweep, 8 points x 128" "$ranks" "$n" 128 sweep "$base" -n 128 \
        --vary model.detention.length_days.mean=20:160:8
done
echo "bytes_per_rep: bytes sent to rank 0 by the other ranks over the replications they computed"
echo "(messages of 1 KiB or more x replications per block); rank 0 computes the rest itself."
