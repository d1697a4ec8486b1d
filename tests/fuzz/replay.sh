#!/bin/sh
# Replays the fuzzer's regressions: runs `AVRRSIM validate` on every file of
# tests/fuzz/regressions/ (each was once a crash, leak, hang or sanitizer
# report), and, for a file that validates or has --set edits, `AVRRSIM run
# -n 2 -j 1` as the fuzzer does (keep regressions small: they must run in
# well under a second). NAME.sets, beside NAME.yaml, holds the --set edits
# of the run, one PATH=VALUE a line (validate takes none).
# validate passes with status 0 (valid) or 2 (reported as invalid); run also
# with 1 (a runtime failure it reported, such as a replication it cannot
# finish). A signal, a timeout (10 s), a sanitizer report (its exit status is
# set to 86 here, as 1 would pass) or valgrind's 99 fails the file.
# Builds nothing:
#   sh tests/fuzz/replay.sh path/to/avrrsim
# Prints one line per file and ends with "fuzz-regressions: N passed, N failed".
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh tests/fuzz/replay.sh AVRRSIM" >&2
    exit 2
fi
avrrsim=$1
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}exitcode=86"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
log=$(mktemp)
out=$(mktemp -d)/out
trap 'rm -rf "$log" "$(dirname "$out")"' EXIT
# Runs a command with a 10-second limit; sets $why and returns 1 unless it
# ends with status 0 or 2 (or 1, for run).
check() {
    # SIGKILL a second after the SIGTERM: a run stuck inside one replication
    # does not stop on SIGTERM. /dev/null: a scenario naming /dev/stdin must not wait.
    timeout -k 1 10 "$@" >"$log" 2>&1 </dev/null
    status=$?
    case $status in
    0 | 2) return 0 ;;
    1)
        # a runtime failure reported as such (a run that cannot go on) is a
        # graceful end; a silent one is not
        if grep -q '^avrrsim: error: ' "$log"; then return 0; fi
        why="$2 ended with status 1 and no message" ;;
    1) [ "$2" = run ] && return 0
       why="$2 ended with status 1" ;;
    124) why="$2 timed out after 10 s" ;;
    137) why="$2 killed by signal 9 (still running 1 s after the 10 s limit, or out of memory)" ;;
    *)
        if [ "$status" -gt 128 ]; then
            why="$2 killed by signal $((status - 128))"
        else
            why="$2 ended with status $status"
        fi
        ;;
    esac
    return 1
}

for file in "$here"/regressions/*; do
    [ -f "$file" ] || continue
    case $file in *.sets) continue ;; esac
    name=regressions/$(basename "$file")
    sets_file=${file%.*}.sets
    set --
    if [ -f "$sets_file" ]; then
        while IFS= read -r edit || [ -n "$edit" ]; do
            set -- "$@" --set "$edit"
        done <"$sets_file"
    fi
    why=""
    if check "$avrrsim" validate "$file"; then
        shown="validate $status"
        if [ "$status" -eq 0 ] || [ $# -gt 0 ]; then
            rm -rf "$out"
            check "$avrrsim" run "$file" -n 2 -j 1 --quiet --no-plots -o "$out" "$@" &&
                shown="$shown, run${1:+ with $(($# / 2)) --set} $status"
        fi
    fi
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        echo "ok   $name ($shown)"
    else
        failed=$((failed + 1))
        # on stderr too, so that a failing e2e case shows it
        echo "FAIL $name: $why" | tee /dev/stderr
        sed 's/^/    /' "$log" | head -n 20 | tee /dev/stderr
    fi
done
echo "fuzz-regressions: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
