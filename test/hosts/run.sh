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
#  3. Nodes on three hosts (network namespaces made for the run, removed
#     after): the network spread over them, one host's link cut and restored
#     (test/hosts/netns.sh --reduced: without the demo, which `make
#     test-netns` adds). Without root or `ip netns` it says so and counts as
#     skipped.
set -euo pipefail
. "$(dirname "$0")/../../network/lib/common.sh"
cd "$REPO_DIR"

base="${CROWDLEDGER_HOSTS_BASE_PORT:-19000}"
export CROWDLEDGER_HOME="$REPO_DIR/.crowdledger-hosts"
failed=0 passed=0 skipped=0
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

step "3. Nodes on three hosts (network namespaces): one cut off and back"
netns_rc=0
CROWDLEDGER_NETNS_HOME="$CROWDLEDGER_HOME" CROWDLEDGER_BASE_PORT="$base" \
  bash test/hosts/netns.sh --reduced --report "$results/netns.json" || netns_rc=$?
if ((netns_rc == 77)); then
  skipped=$((skipped + 1))
elif [[ -s "$results/netns.json" ]]; then
  passed=$((passed + $(jq .numPassedTests "$results/netns.json")))
  failed=$((failed + $(jq .numFailedTests "$results/netns.json")))
  # The network or the namespaces failed around tests that passed.
  if ((netns_rc != 0)) && [[ "$(jq .numFailedTests "$results/netns.json")" == 0 ]]; then
    failed=$((failed + 1))
  fi
else
  echo "the namespaces check failed before its tests ran" >&2
  failed=$((failed + 1))
fi
trap - EXIT
echo "tests: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
