#!/usr/bin/env bash
# Brings the whole network up and returns only when it is ready: a real
# cross-org transaction has committed. Idempotent: a running network is left
# as it is; a stopped one restarts on its existing ledgers.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
. "$NETWORK_DIR/lib/ca.sh"
. "$NETWORK_DIR/lib/nodes.sh"
. "$NETWORK_DIR/lib/channel.sh"
. "$NETWORK_DIR/lib/chaincode.sh"
. "$NETWORK_DIR/lib/profiles.sh"

started=$SECONDS

# Chaincode services run beside the peers for a ccaas package only; a node
# package runs under its peer.
all_nodes() {
  # shellcheck disable=SC2016 # $type is jq's
  layout -c '(.chaincodeType // "ccaas") as $type | .orgs[] | (.ca, .orderers[], .peers[],
    (.peers[] | select($type == "ccaas") | {name: "cc.\(.name)", host, netns, port: .chaincodePort, dir: ((.dir | sub("/[^/]*$"; "")) + "/cc.\(.name)")}))'
}

# Names every node whose port is taken by something that is not that node.
check_ports() {
  local n busy=()
  while read -r n; do
    local dir name port ns
    name="$(jq -r .name <<<"$n")"
    dir="$(jq -r .dir <<<"$n")"
    ns="$(jq -r '.netns // empty' <<<"$n")"
    node_alive "$dir" && continue
    for port in $(jq -r '[.port, .opsPort, .adminPort, .ccPort] | map(select(. != null)) | .[]' <<<"$n"); do
      if port_in_use "$port" "$ns"; then busy+=("$name needs port $port${ns:+ in $ns}"); fi
    done
  done < <(all_nodes)
  if ((${#busy[@]} > 0)); then
    printf '    %s\n' "${busy[@]}" >&2
    die "ports already in use (another program or network?); change basePort in network/settings.json or set CROWDLEDGER_BASE_PORT"
  fi
}

everything_running() {
  local n
  while read -r n; do
    node_alive "$(jq -r .dir <<<"$n")" || return 1
  done < <(all_nodes)
  [[ -f "$CC_DIR/package-id" ]]
}

# invoke_as_registry USER CALL_JSON — a transaction endorsed by every peer of
# every org (so each peer's chaincode service answered) and committed on each
# of them, signed by one of the registry's users.
invoke_as_registry() {
  local user="$1" call="$2" org p targets=()
  org="$(layout -c '.orgs[0]')"
  p="$(jq -c '.peers[0]' <<<"$org")"
  while read -r t; do
    targets+=(--peerAddresses "$(jq -r '"\(.host):\(.port)"' <<<"$t")" --tlsRootCertFiles "$(jq -r .tls <<<"$t")")
  done < <(layout -c '.orgs[] | .peers[] + {tls: "\(.dir)/tlsca-cert.pem"}')
  local ord
  mapfile -t ord < <(orderer_args)
  CORE_PEER_MSPCONFIGPATH_OVERRIDE="$(jq -r .dir <<<"$org")/users/$user/msp" \
    peer_as "$org" "$p" chaincode invoke "${ord[@]}" -C "$(layout .channel)" -n "$(layout .chaincode)" "${targets[@]}" \
    -c "$call" --waitForEvent
}

# Every peer knows every other peer of the channel through gossip: gateway
# discovery, and so every SDK submit, depends on it. Peers refresh the count
# every second (peer.gossip.membershipTrackerInterval, set in lib/nodes.sh).
gossip_complete() {
  local others name ops channel metrics
  others=$(($(layout '[.orgs[].peers[]] | length') - 1))
  channel="$(layout .channel)"
  while read -r name ops; do
    metrics="$(curl -fsS --max-time 2 "http://$ops/metrics")" || return 1
    if ! grep -qx "gossip_membership_total_peers_known{channel=\"$channel\"} $others" <<<"$metrics"; then
      echo "$name does not know all $others other peers through gossip yet" >&2
      return 1
    fi
  done < <(layout '.orgs[].peers[] | "\(.name) \(.host):\(.opsPort)"')
}

# identity:WhoAmI submitted, not evaluated, by the registry's application: every
# peer endorses it (the chaincode policy needs a registry and a platform peer), the
# orderers put it in a block (Raft has a leader), and --waitForEvent returns
# only once every peer committed it VALID. It is a real transaction that any
# channel identity may take, and it writes nothing, so checking on every `up`
# leaves the register as it was; a real write such as recording the asset CA
# would rewrite that record (and its history) each time.
ready_check() {
  gossip_complete && invoke_as_registry app '{"function":"identity:WhoAmI","Args":[]}'
}

# The chaincode recognises holders by the issuer of their certificate
# (DESIGN §2): the registry records its asset-certificate CA once per network.
register_asset_ca() {
  local marker="$CC_DIR/asset-ca.recorded"
  [[ -f "$marker" ]] && return
  step "Recording the asset-certificate CA on the ledger"
  run_logged "identity:SetAssetCertificateAuthority" invoke_as_registry app \
    "$(jq -cn --rawfile pem "$(layout '.orgs[0].dir')/assetca-cert.pem" '{function: "identity:SetAssetCertificateAuthority", Args: [$pem]}')"
  touch "$marker"
}

wait_ready() {
  step "Waiting for gossip and a cross-org transaction to commit (Raft leader, chaincode)"
  if ! wait_for 90 "" ready_check; then
    ready_check || true
    die "network did not become ready in 90 s; see \`crowdledger network logs\`"
  fi
  info "ready"
}

main() {
  bash "$NETWORK_DIR/install.sh"
  bash "$NETWORK_DIR/layout.sh"
  if everything_running; then
    info "network already running ($CROWDLEDGER_HOME)"
    wait_ready
    return
  fi
  check_placement
  check_ports
  if [[ ! -d "$(layout '.orgs[0].dir')/msp" ]]; then
    step "Creating identities with Fabric CA $FABRIC_CA_VERSION (org CA, TLS CA, asset-certificate CA; secret hash cost $CA_SECRET_COST)"
    # Organisations are independent here, so they enroll side by side.
    local org pids=() names=()
    while read -r org; do
      bootstrap_org_crypto "$org" &
      pids+=("$!")
      names+=("$(jq -r .mspId <<<"$org")")
    done < <(layout -c '.orgs[]')
    local i failed=0
    for i in "${!pids[@]}"; do
      if wait "${pids[$i]}"; then
        info "${names[$i]}: CA up, identities enrolled"
      else
        failed=1
      fi
    done
    ((failed == 0)) || die "creating identities failed (see above); \`crowdledger network clean\` before trying again"
    write_profiles
  else
    step "Starting certificate authorities"
    while read -r org; do start_ca "$org"; done < <(layout -c '.orgs[]')
  fi
  write_fabric_config
  step "Starting $(layout '[.orgs[].orderers[]] | length') orderers"
  start_orderers
  step "Starting $(layout '[.orgs[].peers[]] | length') peers"
  start_peers
  step "Channel $(layout .channel)"
  create_channel
  if [[ -f "$CC_DIR/package-id" && "$(chaincode_type)" == node ]]; then
    info "chaincode $(cat "$CC_DIR/package-id") runs under each peer, launched on first use"
  elif [[ -f "$CC_DIR/package-id" ]]; then
    step "Starting chaincode services"
    start_chaincode_services "$(cat "$CC_DIR/package-id")"
  else
    step "Deploying chaincode $(layout .chaincode)"
    deploy_chaincode
  fi
  wait_ready
  register_asset_ca
  info "network up in $((SECONDS - started)) s; profiles in $CROWDLEDGER_HOME/profiles"
}

main "$@"
