#!/usr/bin/env bash
# Writes the node layout (every node's host, ports and folders) from
# settings.json, once per network: a running network keeps its layout until
# `clean`. Settings can be overridden with CROWDLEDGER_BASE_PORT,
# CROWDLEDGER_PLATFORMS, CROWDLEDGER_REGISTRY_PEERS, CROWDLEDGER_PLATFORM_PEERS
# (its older name CROWDLEDGER_PEERS_PER_ORG still counts) and
# CROWDLEDGER_ORDERERS, CROWDLEDGER_CHAINCODE_TYPE (ccaas, the default, or
# node), CROWDLEDGER_ORDERING (raft, the default, or bft: SmartBFT, at least
# four orderers; lib/ordering.sh), CROWDLEDGER_BATCH_TIMEOUT (e.g. 100ms, 1s:
# bench/tune.sh sweeps it), or replaced whole by a hand-written layout
# in CROWDLEDGER_LAYOUT (for nodes placed on several hosts).
#
# Hosts: settings.json `hosts` (or the JSON file named by CROWDLEDGER_HOSTS,
# which replaces it) places nodes. Keys are node names (`orderer2.registry`,
# `peer0.platform1`, `ca.registry`) or org keys (`platform2`: all its nodes);
# a node name wins over its org. A value is an address (`"10.0.0.5"`) or
# `{"host": "10.0.0.5", "netns": "clh-b"}` to also start the node in that
# network namespace (network/lib/hosts.sh). Unplaced nodes use `host`. A
# peer's chaincode service runs beside it, at its address.
#
# The registry runs two peers by default: every write needs its endorsement
# (DESIGN §2), so with one registry peer that peer is a single point of
# failure for every write of every platform.
#
# Ports: org k (0 = registry, 1.. = platforms) owns basePort + 100*k .. +99:
#   +0 CA, +1 CA operations; orderer n: +10+5n listen, +11+5n admin, +12+5n operations;
#   peer j: +40+5j listen, +41+5j chaincode callback, +42+5j operations, +43+5j chaincode service.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/ordering.sh"

write_layout() {
  if [[ -n "${CROWDLEDGER_LAYOUT:-}" ]]; then
    jq --arg home "$CROWDLEDGER_HOME" --arg type "${CROWDLEDGER_CHAINCODE_TYPE:-}" \
      --arg ordering "${CROWDLEDGER_ORDERING:-}" \
      '.home = $home | if $type != "" then .chaincodeType = $type else . end
        | if $ordering != "" then .ordering = $ordering else . end' "$CROWDLEDGER_LAYOUT" >"$LAYOUT"
    check_chaincode_type
    check_ordering
    check_batch_timeout
    return
  fi
  local settings="$NETWORK_DIR/settings.json" ordering
  ordering="$(ordering_setting)"
  jq -n \
    --slurpfile s "$settings" \
    --arg home "$CROWDLEDGER_HOME" \
    --argjson base "${CROWDLEDGER_BASE_PORT:-$(jq .basePort "$settings")}" \
    --argjson platforms "${CROWDLEDGER_PLATFORMS:-$(jq .platforms "$settings")}" \
    --argjson registryPeers "${CROWDLEDGER_REGISTRY_PEERS:-$(jq .registryPeers "$settings")}" \
    --argjson peers "${CROWDLEDGER_PLATFORM_PEERS:-${CROWDLEDGER_PEERS_PER_ORG:-$(jq .platformPeers "$settings")}}" \
    --arg type "${CROWDLEDGER_CHAINCODE_TYPE:-$(jq -r '.chaincodeType // "ccaas"' "$settings")}" \
    --arg ordering "$ordering" \
    --arg batchTimeout "${CROWDLEDGER_BATCH_TIMEOUT:-$(jq -r .batchTimeout "$settings")}" \
    --argjson orderers "$(ordering_orderer_count "$ordering")" \
    --slurpfile hosts "${CROWDLEDGER_HOSTS:-/dev/null}" '
    $s[0] as $s
    | ($hosts[0] // $s.hosts // {}) as $hosts
    | def place($name):
        ($hosts[$name] // $hosts[$name | sub("^[^.]*[.]"; "")] // null)
        | if . == null then {} elif type == "string" then {host: .}
          elif type == "object" and (.host | type) == "string" then {host} + (if .netns then {netns} else {} end)
          else error("hosts.\($name): an address, or {host, netns}") end;
      def node($name; $port): {name: $name, host: $s.host, port: $port, dir: ($home + "/nodes/" + $name)} + place($name);
      def org($k; $key; $msp):
        ($base + 100 * $k) as $b
        | {
            key: $key,
            mspId: $msp,
            kind: (if $k == 0 then "registry" else "platform" end),
            dir: ($home + "/orgs/" + $key),
            ca: (node("ca." + $key; $b) + {opsPort: ($b + 1)}),
            orderers: (if $k == 0 then [range($orderers) as $n
              | node("orderer\($n)." + $key; $b + 10 + 5 * $n)
                + {adminPort: ($b + 11 + 5 * $n), opsPort: ($b + 12 + 5 * $n)}] else [] end),
            peers: [range(if $k == 0 then $registryPeers else $peers end) as $j
              | node("peer\($j)." + $key; $b + 40 + 5 * $j)
                + {ccPort: ($b + 41 + 5 * $j), opsPort: ($b + 42 + 5 * $j), chaincodePort: ($b + 43 + 5 * $j)}]
          };
    if $platforms < 1 or $peers < 1 or $registryPeers < 1 or $orderers < 1
      or $peers > 10 or $registryPeers > 10 or $orderers > 5 then
      error("settings out of range: platforms >= 1, 1 <= registryPeers <= 10, 1 <= platformPeers <= 10, 1 <= orderers <= 5")
    else . end
    | {
        home: $home,
        channel: $s.channel,
        chaincode: $s.chaincode,
        chaincodeType: $type,
        ordering: $ordering,
        batchTimeout: $batchTimeout,
        orgs: ([org(0; "registry"; "RegistryMSP")]
          + [range(1; $platforms + 1) as $i | org($i; "platform\($i)"; "Platform\($i)MSP")])
      }
    # A misspelt name would leave its node on the default host unnoticed.
    | ([.orgs[] | .key, .ca.name, .orderers[].name, .peers[].name]) as $known
    | ([$hosts | keys[] | select(. as $k | $known | index($k) | not)]) as $unknown
    | if ($unknown | length) > 0 then error("hosts names no such node or org: \($unknown | join(", "))") else . end' \
    >"$LAYOUT.new" || {
    rm -f "$LAYOUT.new"
    die "network/settings.json (or CROWDLEDGER_HOSTS) is not a layout; see the jq error above"
  }
  mv "$LAYOUT.new" "$LAYOUT"
  check_chaincode_type
  check_ordering
  check_batch_timeout
}

# Whole milliseconds or seconds, 10 ms to 10 s: configtxgen takes other Go
# durations too, but a typo (250 for 250ms) would otherwise surface only as
# a channel that fails to be created.
check_batch_timeout() {
  local timeout ms
  timeout="$(jq -r .batchTimeout "$LAYOUT")"
  if [[ "$timeout" =~ ^([0-9]+)ms$ ]]; then
    ms="${BASH_REMATCH[1]}"
  elif [[ "$timeout" =~ ^([0-9]+)s$ ]]; then
    ms="$((BASH_REMATCH[1] * 1000))"
  else
    ms=0
  fi
  if ((ms < 10 || ms > 10000)); then
    rm -f "$LAYOUT"
    die "batchTimeout must be whole milliseconds or seconds from 10ms to 10s (e.g. 250ms), not $timeout"
  fi
}

check_chaincode_type() {
  local type
  type="$(jq -r '.chaincodeType // "ccaas"' "$LAYOUT")"
  if [[ "$type" != ccaas && "$type" != node ]]; then
    rm -f "$LAYOUT"
    die "chaincodeType must be ccaas or node, not $type"
  fi
}

mkdir -p "$CROWDLEDGER_HOME"
# A folder made before this script (by hand, by a test) keeps its own mode otherwise.
chmod 700 "$CROWDLEDGER_HOME"
if [[ ! -f "$LAYOUT" ]]; then
  write_layout
fi
