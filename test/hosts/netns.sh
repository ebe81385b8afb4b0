#!/usr/bin/env bash
# Nodes on several hosts, with network namespaces as the hosts (issue 21).
#
#   netns.sh [--reduced] [--report FILE]   the whole check (below)
#   netns.sh create | remove               only the three hosts and their links
#   netns.sh cut HOST | restore HOST       HOST = a, b or c: its link down / up
#
# Three namespaces (clh-a, clh-b, clh-c) joined by a bridge in this namespace,
# with addresses in 10.213.0.0/24 that nothing else here uses: the bridge is
# .1 (so the tests and the CLI, which run here, reach every node by its
# address), the hosts .11, .12, .13. The layout (CROWDLEDGER_HOSTS) spreads
# the network over them:
#   a: ca.registry, orderer0, peer0.registry, ca.platform1, peer0.platform1
#   b: orderer1, ca.platform2, peer0.platform2
#   c: orderer2, peer1.registry
# each chaincode service beside its peer. The check brings the network up
# there, plays the demo across it (skipped with --reduced), then runs
# test/integration/hosts-partition.test.ts, which cuts host c's link, writes
# with two orderers and one registry peer, restores the link and waits for c's
# nodes to catch up. Namespaces, links and the network are removed after,
# pass or fail. Without root or `ip netns` it says so and exits 77 (skipped).
set -euo pipefail
. "$(dirname "$0")/../../network/lib/common.sh"
cd "$REPO_DIR"

PREFIX="${CROWDLEDGER_NETNS_PREFIX:-clh}"
SUBNET="${CROWDLEDGER_NETNS_SUBNET:-10.213.0}"
HOSTS=(a b c)
BRIDGE="$PREFIX-br"
SKIPPED=77

host_ns() { printf '%s-%s' "$PREFIX" "$1"; }
host_addr() {
  case "$1" in
    a) printf '%s.11' "$SUBNET" ;;
    b) printf '%s.12' "$SUBNET" ;;
    c) printf '%s.13' "$SUBNET" ;;
    *) die "no host $1 (a, b or c)" ;;
  esac
}
# The link's end in this namespace: down, the host is cut off from the others and from here.
host_link() { printf '%s-%s0' "$PREFIX" "$1"; }

# Says why namespaces can't be made here; nothing when they can.
missing_netns() {
  if [[ "$(id -u)" != 0 ]]; then
    echo "not root (network namespaces need root)"
  elif ! command -v ip >/dev/null; then
    echo "no \`ip\` command (iproute2)"
  elif ! ip netns list >/dev/null 2>&1; then
    echo "\`ip netns\` does not work here"
  fi
}

create() {
  local h ns
  for h in "${HOSTS[@]}"; do
    ns="$(host_ns "$h")"
    ! ip netns list | cut -d' ' -f1 | grep -qxF "$ns" ||
      die "namespace $ns exists already (another run?): \`$0 remove\`, or set CROWDLEDGER_NETNS_PREFIX"
  done
  ! ip link show "$BRIDGE" >/dev/null 2>&1 || die "link $BRIDGE exists already: \`$0 remove\`"
  ip link add "$BRIDGE" type bridge
  ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  for h in "${HOSTS[@]}"; do
    ns="$(host_ns "$h")"
    ip netns add "$ns"
    ip link add "$(host_link "$h")" type veth peer name "$PREFIX-${h}1"
    ip link set "$PREFIX-${h}1" netns "$ns"
    ip link set "$(host_link "$h")" master "$BRIDGE" up
    ip -n "$ns" addr add "$(host_addr "$h")/24" dev "$PREFIX-${h}1"
    ip -n "$ns" link set "$PREFIX-${h}1" up
    ip -n "$ns" link set lo up
  done
  for h in "${HOSTS[@]}"; do
    wait_for 10 "" answers "$(host_addr "$h")" || die "host $h ($(host_addr "$h")) does not answer from here"
  done
  info "hosts $(for h in "${HOSTS[@]}"; do printf '%s=%s ' "$(host_ns "$h")" "$(host_addr "$h")"; done)up"
}

# A host answers when a connection to a closed port is refused at once
# (no ping here); a host cut off lets it time out.
answers() {
  local rc=0
  timeout 2 bash -c "</dev/tcp/$1/1" 2>/dev/null || rc=$?
  ((rc == 1))
}

# Removes what create made; quiet about what is already gone.
remove() {
  local h
  for h in "${HOSTS[@]}"; do
    ip link del "$(host_link "$h")" 2>/dev/null || true
    ip netns del "$(host_ns "$h")" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
}

# The layout's placement: by org, and by node name for the orderers and the
# registry's second peer, so that losing host c leaves two orderers, a
# registry peer and every platform.
write_hosts() {
  local a b c
  a="$(jq -cn --arg h "$(host_addr a)" --arg n "$(host_ns a)" '{host: $h, netns: $n}')"
  b="$(jq -cn --arg h "$(host_addr b)" --arg n "$(host_ns b)" '{host: $h, netns: $n}')"
  c="$(jq -cn --arg h "$(host_addr c)" --arg n "$(host_ns c)" '{host: $h, netns: $n}')"
  jq -n --argjson a "$a" --argjson b "$b" --argjson c "$c" '{
    registry: $a, platform1: $a, platform2: $b,
    "orderer1.registry": $b, "orderer2.registry": $c, "peer1.registry": $c
  }' >"$1"
}

check() {
  local reduced="$1" report="$2" hosts_file
  trap 'bash network/clean.sh >/dev/null 2>&1 || true; remove; rm -f "${hosts_file:-}"' EXIT
  remove
  step "Three hosts as network namespaces"
  create
  hosts_file="$(mktemp)"
  write_hosts "$hosts_file"
  export CROWDLEDGER_HOSTS="$hosts_file"
  bash network/clean.sh >/dev/null
  npm run --silent build
  step "The network, spread over them"
  bash network/up.sh
  if [[ "$reduced" != 1 ]]; then
    step "The demo, across the hosts"
    node cli/dist/main.js demo
  fi
  step "Host c cut off and back: test/integration/hosts-partition.test.ts"
  local args=()
  [[ -z "$report" ]] || args=(--json --outputFile "$report")
  CROWDLEDGER_TEST_NETNS=1 CROWDLEDGER_NETNS_PREFIX="$PREFIX" CROWDLEDGER_NETNS_SUBNET="$SUBNET" \
    npm run --silent test:integration -- "${args[@]}" test/integration/hosts-partition.test.ts
}

main() {
  local reduced=0 report="" why
  case "${1:-}" in
    create | remove | cut | restore)
      why="$(missing_netns)"
      [[ -z "$why" ]] || die "$why"
      case "$1" in
        create) create ;;
        remove) remove ;;
        cut) ip link set "$(host_link "${2:?cut HOST}")" down ;;
        restore) ip link set "$(host_link "${2:?restore HOST}")" up ;;
      esac
      return
      ;;
  esac
  while (($# > 0)); do
    case "$1" in
      --reduced) reduced=1 ;;
      --report) report="${2:?--report FILE}" && shift ;;
      *) die "usage: netns.sh [--reduced] [--report FILE] | create | remove | cut HOST | restore HOST" ;;
    esac
    shift
  done
  why="$(missing_netns)"
  if [[ -n "$why" ]]; then
    echo "SKIPPED: nodes on several hosts need network namespaces, and here: $why" >&2
    exit "$SKIPPED"
  fi
  export CROWDLEDGER_HOME="${CROWDLEDGER_NETNS_HOME:-$REPO_DIR/.crowdledger-netns}"
  check "$reduced" "$report"
}

main "$@"
