#!/usr/bin/env bash
# The whole test suite: lint, type check, build, unit tests, then integration
# tests on a fresh network of its own (own folder and ports, so a demo network
# can keep running), torn down whatever happens. Ends with one totals line.
set -euo pipefail
. "$(dirname "$0")/../network/lib/common.sh"
cd "$REPO_DIR"

export CROWDLEDGER_HOME="${CROWDLEDGER_TEST_HOME:-$REPO_DIR/.crowdledger-test}"
export CROWDLEDGER_BASE_PORT="${CROWDLEDGER_TEST_BASE_PORT:-17000}"
results="$(mktemp -d)"

teardown() {
  step "Tearing down the test network"
  bash network/clean.sh || true
}

count() {
  local file="$1" field="$2"
  [[ -f "$file" ]] && jq ".$field" "$file" || echo 0
}

summary() {
  local passed=0 failed=0 skipped=0 f
  for f in "$results"/*.json; do
    [[ -f "$f" ]] || continue
    passed=$((passed + $(count "$f" numPassedTests)))
    failed=$((failed + $(count "$f" numFailedTests)))
    skipped=$((skipped + $(count "$f" numPendingTests) + $(count "$f" numTodoTests)))
  done
  passed=$((passed + demo_passed))
  skipped=$((skipped + extra_skipped))
  failed=$((failed + extra_failures))
  echo "tests: $passed passed, $failed failed, $skipped skipped"
}

extra_failures=0
extra_skipped=0
demo_passed=0
status=0

# A failed check counts as one failed test, and the run goes on so one report
# shows everything that is wrong.
check() {
  local what="$1"
  shift
  step "$what"
  if ! "$@"; then
    echo "$what failed" >&2
    extra_failures=$((extra_failures + 1))
    status=1
  fi
}

# Build first: type-aware lint of the CLI reads the client's declarations.
check "Build" npm run --silent build
if ((status != 0)); then
  summary
  exit 1
fi
check "Lint and format check" npm run --silent lint
check "Type check" npm run --silent typecheck

# jest_run NAME ARGS… — a run that crashed before writing its report counts as a failure.
jest_run() {
  local name="$1"
  shift
  npm run --silent "test:$name" -- --json --outputFile "$results/$name.json" "$@" || status=1
  if [[ ! -s "$results/$name.json" ]]; then
    echo "$name tests wrote no report" >&2
    extra_failures=$((extra_failures + 1))
    status=1
  fi
}

step "Unit tests"
jest_run unit

step "Integration tests on a fresh network ($CROWDLEDGER_HOME, ports from $CROWDLEDGER_BASE_PORT)"
trap teardown EXIT
bash network/clean.sh >/dev/null
if bash network/up.sh; then
  jest_run integration
  # What the suites used and no node may keep, searched for in every block and log they left.
  jest_run scan
else
  echo "network did not come up: integration tests not run" >&2
  extra_failures=$((extra_failures + 1))
  status=1
fi
teardown
trap - EXIT

# The README's first command, as a newcomer runs it, on a network of its own.
demo_home="$REPO_DIR/.crowdledger-demo-check"
demo_teardown() { CROWDLEDGER_HOME="$demo_home" bash network/clean.sh >/dev/null 2>&1 || true; }
trap demo_teardown EXIT
if CROWDLEDGER_HOME="$demo_home" CROWDLEDGER_BASE_PORT=18000 make --no-print-directory demo; then
  demo_passed=1
else
  echo "make demo failed" >&2
  extra_failures=$((extra_failures + 1))
  status=1
fi
demo_teardown
trap - EXIT

# Issue 21's reduced form: a hand-written network on the node package and the
# ccaas image (test/hosts/run.sh, its own networks, torn down after). Its
# totals line is added to ours.
hosts_log="$results/hosts.log"
bash test/hosts/run.sh 2>&1 | tee "$hosts_log" || status=1
hosts_totals="$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$hosts_log" | tail -n 1 || true)"
if [[ -n "$hosts_totals" ]]; then
  hosts_passed="$(sed -E 's/^tests: ([0-9]+) passed.*/\1/' <<<"$hosts_totals")"
  hosts_failed="$(sed -E 's/^tests: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$hosts_totals")"
  demo_passed=$((demo_passed + hosts_passed))
  if [[ "$hosts_totals" =~ ,\ ([0-9]+)\ skipped ]]; then
    extra_skipped=$((extra_skipped + BASH_REMATCH[1]))
  fi
  extra_failures=$((extra_failures + hosts_failed))
  ((hosts_failed == 0)) || status=1
else
  echo "make test-hosts wrote no totals" >&2
  extra_failures=$((extra_failures + 1))
  status=1
fi
summary
exit "$status"
