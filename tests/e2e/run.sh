#!/bin/sh
# End-to-end cases as data. Each folder under tests/e2e/ holds:
#   cmd       a shell command line run in a scratch copy of the folder, with
#             $AVRRSIM the built program and $ROOT the repository
#   status    the expected exit status (default 0)
#   stderr    optional: the exact expected standard error
#   stdout    optional: the exact expected standard output
#   slow      optional: present when the case takes minutes under valgrind
#   check     optional: a shell script run afterwards in the same scratch
#             folder; it fails the case by exiting non-zero
# E2E_ONLY=PATTERN runs only the cases whose name matches the shell pattern.
# Prints a line per case and ends with "e2e: N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AVRRSIM="${AVRRSIM:-$ROOT/avrrsim}"
export ROOT AVRRSIM
passed=0
failed=0
for case_dir in "$ROOT"/tests/e2e/*/; do
    name=$(basename "$case_dir")
    [ -f "$case_dir/cmd" ] || continue
    case "$name" in ${E2E_ONLY:-*}) ;; *) continue ;; esac
    if [ -f "$case_dir/slow" ] && [ "${E2E_SKIP_SLOW:-0}" = 1 ]; then
        echo "skip e2e/$name (slow)"
        continue
    fi
    work=$(mktemp -d)
    cp -R "$case_dir/." "$work/"
    expected_status=0
    [ -f "$case_dir/status" ] && expected_status=$(cat "$case_dir/status")
    (cd "$work" && sh ./cmd >"$work/.stdout" 2>"$work/.stderr" </dev/null)
    status=$?
    problem=""
    if [ "$status" != "$expected_status" ]; then
        problem="exit status $status, expected $expected_status"
    elif [ -f "$case_dir/stderr" ] && ! cmp -s "$case_dir/stderr" "$work/.stderr"; then
        problem="stderr differs:
$(diff "$case_dir/stderr" "$work/.stderr" | head -n 20)"
    elif [ -f "$case_dir/stdout" ] && ! cmp -s "$case_dir/stdout" "$work/.stdout"; then
        problem="stdout differs:
$(diff "$case_dir/stdout" "$work/.stdout" | head -n 20)"
    elif [ -f "$case_dir/check" ]; then
        if ! check_output=$(cd "$work" && sh ./check 2>&1); then
            problem="check failed:
$check_output"
        fi
    fi
    if [ -z "$problem" ]; then
        passed=$((passed + 1))
        echo "ok   e2e/$name"
    else
        failed=$((failed + 1))
        echo "FAIL e2e/$name: $problem"
        if [ "$status" != "$expected_status" ]; then
            sed 's/^/    stderr: /' "$work/.stderr" | head -n 20
        fi
    fi
    rm -rf "$work"
done
echo "e2e: $passed passed, $failed failed"
