#!/usr/bin/env bash
# Measures a register import of N holders (default 100,000) and the streamed
# cap table CSV of the result, on the running network: wall time and the
# CLI's peak resident memory (/usr/bin/time -v). Not run in CI.
#   CROWDLEDGER_HOME=… bash bench/import-100k.sh [holders]
# IMPORT_BATCH (holders a transaction) and IMPORT_IN_FLIGHT (batches at once)
# override the CLI's defaults. ISSUE=1 then issues every imported holder's
# certificate with `certificates issue-due` (issue #23's run), timed the same
# way; ISSUE_CONCURRENCY and ISSUE_BATCH override its pace, ISSUE_START_BLOCK
# where it reads the feed from (0: run it on a network of its own).
set -euo pipefail
umask 077
cd "$(dirname "$0")/.."
holders="${1:-100000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/import-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
ref="bench-$(date +%s)"

node bench/register-csv.mjs "$holders" "$ref" "$work"
cli=(node cli/dist/main.js)

measure() {
  local label="$1"
  shift
  /usr/bin/time -v -o "$work/time.txt" "$@"
  local wall rss
  wall="$(sed -n 's/^\tElapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")"
  rss="$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$work/time.txt")"
  printf '%s: %s wall, %s MiB peak RSS\n' "$label" "$wall" "$((rss / 1024))" >&2
}

measure "import of $holders holders" \
  "${cli[@]}" assets import "$work/register.csv" --org platform1 --asset "$work/asset.json" --json \
  --batch-size "${IMPORT_BATCH:-250}" --in-flight "${IMPORT_IN_FLIGHT:-4}" >"$work/report.json"
# shellcheck disable=SC2016 # the $ are JavaScript's
node -e 'const r = require(process.argv[1]); console.error(`report: ${r.holdersOnLedger} holders, ${r.unitsOnLedger} of ${r.declaredTotal} units, finished ${r.finished}`)' "$work/report.json"
asset="$(node -e 'console.log(require(process.argv[1]).assetId)' "$work/report.json")"
measure "assets holders --csv ($holders holders)" \
  "${cli[@]}" assets holders "$asset" --org platform1 --csv >"$work/cap-table.csv"
printf 'cap table: %s lines\n' "$(wc -l <"$work/cap-table.csv")" >&2
# The table and JSON stream page by page too: their peak RSS should match the CSV's.
measure "assets holders --json ($holders holders)" \
  "${cli[@]}" assets holders "$asset" --org platform1 --json >"$work/cap-table.json"
measure "assets holders, table ($holders holders)" \
  "${cli[@]}" assets holders "$asset" --org platform1 >"$work/cap-table.txt"

if [[ "${ISSUE:-}" == 1 ]]; then
  measure "certificates issue-due for $holders holders" \
    "${cli[@]}" certificates issue-due --org platform1 --out "$work/certificates" --json \
    --checkpoint "$work/issue.checkpoint" --start-block "${ISSUE_START_BLOCK:-0}" \
    --concurrency "${ISSUE_CONCURRENCY:-16}" --batch-size "${ISSUE_BATCH:-50}" >"$work/issued.json"
  # shellcheck disable=SC2016 # the $ are JavaScript's
  node -e 'const r = require(process.argv[1]); console.error(`issued: ${JSON.stringify(r.counts ?? r)}`)' "$work/issued.json"
fi
