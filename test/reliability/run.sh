#!/usr/bin/env bash
# `make reliability`: faults under load on a network of its own (own folder
# and ports, so a demo or test network can keep running), torn down whatever
# happens. SOAK=1 runs the 30-minute soak instead; ONLY=<text> runs only the
# scenarios whose name contains it. Not part of `make test` or CI.
set -euo pipefail
. "$(dirname "$0")/../../network/lib/common.sh"
cd "$REPO_DIR"

export CROWDLEDGER_HOME="${CROWDLEDGER_RELIABILITY_HOME:-$REPO_DIR/.crowdledger-reliability}"
export CROWDLEDGER_BASE_PORT="${CROWDLEDGER_RELIABILITY_BASE_PORT:-19000}"
export CROWDLEDGER_RELIABILITY=1

teardown() {
  step "Tearing down the reliability network"
  bash network/clean.sh || true
}
trap teardown EXIT
bash network/clean.sh >/dev/null
node cli/dist/main.js network up
# The resident memory of the fresh network, before any load (README, Numbers).
node cli/dist/main.js network status | tail -n 1
suite="test/reliability/faults.test.ts"
if [[ "${SOAK:-}" == 1 ]]; then
  suite="test/reliability/soak.test.ts"
fi
step "Reliability: $suite (network $CROWDLEDGER_HOME, ports from $CROWDLEDGER_BASE_PORT)"
npm run --silent test:reliability -- --testPathPatterns "$suite"
