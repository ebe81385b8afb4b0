#!/usr/bin/env bash
# Stops every process the network started (by pid file); data stays.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
if [[ ! -f "$LAYOUT" ]]; then
  info "no network at $CROWDLEDGER_HOME"
  exit 0
fi
step "Stopping network at $CROWDLEDGER_HOME"
# Clients first, then the nodes they talk to; each tier stops in parallel.
stop_tier() {
  local args=() node
  while read -r node; do
    args+=("$(jq -r .name <<<"$node")" "$(jq -r .dir <<<"$node")")
  done < <(layout -c "$1")
  ((${#args[@]} == 0)) || stop_nodes "${args[@]}"
}
stop_tier '.orgs[].peers[] | {name: "cc.\(.name)", dir: ((.dir | sub("/[^/]*$"; "")) + "/cc.\(.name)")}'
# Services of a second chaincode name (deploy-extra.sh), listed as "name dir".
extra="$CROWDLEDGER_HOME/chaincode/extra-services"
if [[ -f "$extra" ]]; then
  mapfile -t extra_args < <(tr ' ' '\n' <"$extra")
  ((${#extra_args[@]} == 0)) || stop_nodes "${extra_args[@]}"
fi
stop_tier '.orgs[].peers[] | {name, dir}'
stop_tier '.orgs[].orderers[] | {name, dir}'
stop_tier '.orgs[] | .ca | {name, dir}'
info "stopped; ledgers kept (\`crowdledger network clean\` wipes them)"
