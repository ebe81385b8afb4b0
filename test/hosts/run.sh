#!/usr/bin/env bash
# `make test-hosts`: what issue 21's standard packages and existing networks
# need beyond `make test`, on networks of its own (torn down whatever happens),
# one at a time. Ends with one totals line.
#  1. A hand-written layout (other node names, ports, host 127.0.0.2, channel,
#     chaincode and platform names) running the standard Node package through
#     network/builders/node, used through hand-written profiles by the SDK and
#     the CLI: test/integration/existing-network.test.ts.
#  2. The chaincode service's OCI image (buildah), unpacked and run chrooted
#     as every peer's chaincode service of a ccaas network
#     (test/hosts/ccaas-image.sh), with the smoke and register suites on it.
#  3. A platform added to a default network that is running and holds data
#     (`crowdledger network add-platform`): test/integration/add-platform.test.ts.
set -euo pipefail
. "$(dirname "$0")/../../network/lib/common.sh"
cd "$REPO_DIR"

base="${CROWDLEDGER_HOSTS_BASE_PORT:-19000}"
export CROWDLEDGER_HOME="$REPO_DIR/.crowdledger-hosts"
failed=0 passed=0
results="$(mktemp -d)"

teardown() { bash network/clean.sh >/dev/null 2>&1 || true; }
trap teardown EXIT

jest_file() {
  local name="$1"
  shift
  npm run --silent test:integration -- --json --outputFile "$results/$name.json" "$@" || true
  if [[ -s "$results/$name.json" ]]; then
    passed=$((passed + $(jq .numPassedTests "$results/$name.json")))
    failed=$((failed + $(jq .numFailedTests "$results/$name.json")))
  else
    echo "$name wrote no report" >&2
    failed=$((failed + 1))
  fi
}

npm run --silent build

step "1. A hand-written network on 127.0.0.2 with the node package, through hand-written profiles"
CROWDLEDGER_TEST_HOSTS=1 CROWDLEDGER_CHAINCODE_TYPE=node CROWDLEDGER_BASE_PORT="$base" \
  jest_file existing test/integration/existing-network.test.ts

step "2. The ccaas image, run chrooted as every peer's chaincode service"
teardown
if bash network/install-buildah.sh && CROWDLEDGER_BASE_PORT="$base" CROWDLEDGER_CHAINCODE_TYPE=ccaas bash network/up.sh &&
  bash test/hosts/ccaas-image.sh; then
  passed=$((passed + 1))
  jest_file image test/integration/smoke.test.ts test/integration/register.test.ts
else
  echo "the image check failed" >&2
  failed=$((failed + 1))
fi
teardown

step "3. A platform added to a running network with data (network add-platform)"
if CROWDLEDGER_BASE_PORT="$base" CROWDLEDGER_CHAINCODE_TYPE=ccaas bash network/up.sh; then
  CROWDLEDGER_TEST_ADD_PLATFORM=1 jest_file add-platform test/integration/add-platform.test.ts
else
  echo "the network for add-platform did not come up" >&2
  failed=$((failed + 1))
fi
teardown
trap - EXIT
echo "tests: $passed passed, $failed failed"
((failed == 0))
