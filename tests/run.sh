#!/bin/sh
# Runs every unit test binary given as an argument (cmocka, TAP output) and
# every end-to-end case under tests/e2e/, and ends with one line:
# "N passed, N failed". Exit status 0 only when nothing failed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for bin in "$@"; do
    CMOCKA_MESSAGE_OUTPUT=TAP "$bin" >"$log" 2>&1
    rc=$?
    ok=$(grep -c '^ok ' "$log")
    bad=$(grep -c '^not ok ' "$log")
    planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1)
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi   # crashed or aborted
    if [ -n "$planned" ] && [ $((ok + bad)) -lt "$planned" ] && [ "$bad" -eq 0 ]; then bad=1; fi
    passed=$((passed + ok))
    failed=$((failed + bad))
    if [ "$bad" -ne 0 ]; then
        echo "FAIL $(basename "$bin") (exit $rc):"
        sed 's/^/    /' "$log"
    else
        echo "ok   $(basename "$bin"): $ok tests"
    fi
done

e2e_out=$(mktemp)
sh "$root/tests/e2e/run.sh" >"$e2e_out" 2>&1
cat "$e2e_out"
e2e_passed=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$e2e_out")
e2e_failed=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$e2e_out")
rm -f "$e2e_out"
if [ -z "$e2e_passed" ]; then e2e_passed=0; e2e_failed=1; echo "FAIL e2e runner did not finish"; fi
passed=$((passed + e2e_passed))
failed=$((failed + e2e_failed))

# the fuzzer's regressions: each once a crash, leak or hang
fuzz_out=$(mktemp)
sh "$root/tests/fuzz/replay.sh" "${AVRRSIM:-$root/avrrsim}" >"$fuzz_out" 2>&1
cat "$fuzz_out"
fuzz_passed=$(sed -n 's/^fuzz-regressions: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$fuzz_out")
fuzz_failed=$(sed -n 's/^fuzz-regressions: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$fuzz_out")
rm -f "$fuzz_out"
if [ -z "$fuzz_passed" ]; then fuzz_passed=0; fuzz_failed=1; echo "FAIL fuzz regression replay did not finish"; fi
passed=$((passed + fuzz_passed))
failed=$((failed + fuzz_failed))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
