#!/bin/sh
# Runs the scenario fuzzer (built by `make fuzz`, see tests/fuzz/README.md).
#   sh tests/fuzz/run.sh FUZZER [SECONDS] [extra libFuzzer options...]
# The corpus grows in build/fuzz/corpus (kept between runs; FUZZ_WORK moves
# build/fuzz); the seeds are every *.yaml of the repository and
# tests/fuzz/seeds/, copied afresh into build/fuzz/seeds; crashes,
# leaks and timeouts land in build/fuzz/artifacts/. Minimise one with
#   FUZZER -minimize_crash=1 -runs=10000 -timeout=5 ARTIFACT
# and keep it as tests/fuzz/regressions/NAME.yaml.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
fuzzer=$1
seconds=${2:-600}
[ $# -ge 2 ] && shift 2 || shift 1
work="${FUZZ_WORK:-$root/build/fuzz}"
mkdir -p "$work/corpus" "$work/artifacts"
rm -rf "$work/seeds"
mkdir -p "$work/seeds"
# seeds: every scenario of the repository, named by its path, then the
# fuzzer's own seeds (features no scenario of the repository uses, --set
# strings) and its regressions
(cd "$root" && find scenarios tests -name '*.yaml' ! -path 'tests/fuzz/*' -type f) |
while read -r file; do
    cp "$root/$file" "$work/seeds/$(echo "$file" | tr / _)"
done
cp "$root"/tests/fuzz/seeds/* "$root"/tests/fuzz/regressions/* "$work/seeds/" 2>/dev/null || true
exec "$fuzzer" "$work/corpus" "$work/seeds" \
    -dict="$root/tests/fuzz/yaml.dict" \
    -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
    -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$@"
