#!/usr/bin/env bash
# Starts or stops one node of a network that was brought up before, by name:
#   node.sh start NAME   (ca.registry, orderer1.registry, peer0.registry, cc.peer0.registry, …)
#   node.sh stop NAME
# `start` returns when the node answers (health check, or the chaincode
# service listening); a peer then catches up on the blocks it missed from the
# orderers by itself. `up.sh` starts every node that is not running.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
. "$NETWORK_DIR/lib/ca.sh"
. "$NETWORK_DIR/lib/nodes.sh"
. "$NETWORK_DIR/lib/chaincode.sh"

if (($# != 2)) || [[ "$1" != start && "$1" != stop ]]; then
  die "usage: node.sh start|stop NAME"
fi
action="$1" name="$2"
[[ -f "$LAYOUT" ]] || die "no network at $CROWDLEDGER_HOME: run \`crowdledger network up\` first"

# kind, org and node JSON of the named node, one per line; nothing when unknown.
# shellcheck disable=SC2016 # jq variables, not shell ones
find_node() {
  layout -c --arg n "$1" '.orgs[] | . as $org
    | ((select(.ca.name == $n) | ["ca", $org, .ca]),
       (.orderers[] | select(.name == $n) | ["orderer", $org, .]),
       (.peers[] | select(.name == $n) | ["peer", $org, .]),
       (.peers[] | select("cc.\(.name)" == $n) | ["chaincode", $org, .]))
    | .[]'
}

mapfile -t found < <(find_node "$name")
if ((${#found[@]} != 3)); then
  die "no node named $name (nodes: $(layout -r '[.orgs[] | .ca.name, (.orderers[].name), (.peers[] | .name, "cc.\(.name)")] | join(" ")'))"
fi
kind="${found[0]}" org="${found[1]}" node="${found[2]}"
case "$kind" in
  chaincode) dir="$(chaincode_service_dir "$node")" ;;
  *) dir="$(jq -r .dir <<<"$node")" ;;
esac

if [[ "$action" == stop ]]; then
  stop_node "$name" "$dir"
  exit 0
fi
case "$kind" in
  ca) start_ca "$org" ;;
  orderer)
    start_orderer "$node"
    wait_healthy "$name" "$dir" "$(health_url "$node")"
    ;;
  peer)
    start_peer "$org" "$node"
    wait_healthy "$name" "$dir" "$(health_url "$node")"
    ;;
  chaincode)
    [[ -f "$CC_DIR/package-id" ]] || die "no chaincode deployed yet: run \`crowdledger network up\`"
    start_chaincode_service "$org" "$node" "$(cat "$CC_DIR/package-id")"
    wait_chaincode_service "$node"
    ;;
esac
info "$name running (pid $(node_pid "$dir"))"
