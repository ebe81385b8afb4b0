#!/usr/bin/env bash
# The batch-timeout sweep behind network/settings.json's default (bench
# README, "Tuning"): for each timeout, a network of its own with that
# timeout, the workloads named (independent buys and their interleaved
# baseline by default) at every in-flight level, then teardown. Prints one
# table of every timeout's rows; writes nothing to bench/results.
#   TUNE_TIMEOUTS="100ms 250ms 500ms" TUNE_ONLY=independent-buys bash bench/tune.sh
set -euo pipefail
cd "$(dirname "$0")/.."
timeouts="${TUNE_TIMEOUTS:-100ms 250ms 500ms 1s}"
only="${TUNE_ONLY:-independent-buys}"
out="$(mktemp -d "${TMPDIR:-/tmp}/bench-tune.XXXXXX")"
trap 'rm -rf "$out"' EXIT

for timeout in $timeouts; do
  echo "==> batch timeout $timeout" >&2
  CROWDLEDGER_BATCH_TIMEOUT="$timeout" BENCH_ONLY="$only" \
    BENCH_COMMAND="CROWDLEDGER_BATCH_TIMEOUT=$timeout BENCH_ONLY=$only bash bench/run.sh" \
    bash bench/run.sh >"$out/$timeout.md"
done

echo "| batch timeout | workload | in flight | tx/s | p50 ms | p95 ms | p99 ms | failed |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for timeout in $timeouts; do
  # The bench's own table: | workload | in flight | tx/s | p50 | p95 | p99 | failed | …
  awk -F' *[|] *' -v t="$timeout" \
    'NR > 2 && /^[|]/ && $2 !~ /^(workload|-+)$/ && $2 != "" && $3 ~ /^[0-9]+$/ {
       printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", t, $2, $3, $4, $5, $6, $7, $8 }' \
    "$out/$timeout.md"
done
