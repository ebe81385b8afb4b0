# The application channel: genesis block from a generated configtx.yaml,
# orderers joined through the channel participation API, peers joined by their
# org admins. Anchor peers go into the genesis config (no update needed).
# Sourced.

# shellcheck source=ordering.sh
. "$NETWORK_DIR/lib/ordering.sh"

org_policies() {
  local msp="$1"
  cat <<YAML
    Policies:
      Readers: {Type: Signature, Rule: "OR('$msp.admin', '$msp.peer', '$msp.client', '$msp.orderer')"}
      Writers: {Type: Signature, Rule: "OR('$msp.admin', '$msp.client', '$msp.orderer')"}
      Admins: {Type: Signature, Rule: "OR('$msp.admin')"}
      Endorsement: {Type: Signature, Rule: "OR('$msp.peer')"}
YAML
}

write_configtx() {
  local dir="$1" org msp
  mkdir -p "$dir"
  {
    echo "Organizations:"
    while read -r org; do
      msp="$(jq -r .mspId <<<"$org")"
      echo "  - &$msp"
      echo "    Name: $msp"
      echo "    ID: $msp"
      echo "    MSPDir: $(jq -r .dir <<<"$org")/msp"
      org_policies "$msp"
      if [[ "$(jq '.orderers | length' <<<"$org")" -gt 0 ]]; then
        echo "    OrdererEndpoints:"
        jq -r '.orderers[] | "      - \(.host):\(.port)"' <<<"$org"
      fi
      echo "    AnchorPeers:"
      # Every peer is an anchor: another org's peers still find this org
      # through gossip when one of its peers is down.
      jq -r '.peers[] | "      - {Host: \(.host), Port: \(.port)}"' <<<"$org"
    done < <(layout -c '.orgs[]')
    cat <<YAML
Capabilities:
  Channel: &ChannelCapabilities {V3_0: true}
  Orderer: &OrdererCapabilities {V2_0: true}
  Application: &ApplicationCapabilities {V2_5: true}
Profiles:
  CrowdLedger:
    Capabilities: *ChannelCapabilities
    Policies:
      Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
      Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
      Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
    Orderer:
      BatchTimeout: $(layout .batchTimeout)
      BatchSize: {MaxMessageCount: 100, AbsoluteMaxBytes: 10 MB, PreferredMaxBytes: 2 MB}
YAML
    # Raft or SmartBFT (lib/ordering.sh).
    orderer_consensus_yaml
    cat <<YAML
      Organizations:
        - *RegistryMSP
      Capabilities: *OrdererCapabilities
      Policies:
        Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
        Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
        Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
        BlockValidation: {Type: ImplicitMeta, Rule: "ANY Writers"}
    Application:
      Organizations:
YAML
    layout -r '.orgs[] | "        - *\(.mspId)"'
    cat <<YAML
      Capabilities: *ApplicationCapabilities
      Policies:
        Readers: {Type: ImplicitMeta, Rule: "ANY Readers"}
        Writers: {Type: ImplicitMeta, Rule: "ANY Writers"}
        Admins: {Type: ImplicitMeta, Rule: "MAJORITY Admins"}
        LifecycleEndorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
        Endorsement: {Type: ImplicitMeta, Rule: "MAJORITY Endorsement"}
YAML
  } >"$dir/configtx.yaml"
}

channel_exists_on_orderer() {
  local o="$1" registry_dir
  registry_dir="$(layout -r '.orgs[0].dir')"
  osnadmin channel list --channelID "$(layout .channel)" -o "$(jq -r '"\(.host):\(.adminPort)"' <<<"$o")" \
    --ca-file "$registry_dir/tlsca-cert.pem" \
    --client-cert "$registry_dir/users/admin/tls/server.crt" --client-key "$registry_dir/users/admin/tls/server.key" \
    2>/dev/null | grep -q '"status"'
}

create_channel() {
  local channel dir registry_dir o org p
  channel="$(layout .channel)"
  dir="$CROWDLEDGER_HOME/channel"
  registry_dir="$(layout -r '.orgs[0].dir')"
  if [[ ! -f "$dir/genesis.block" ]]; then
    write_configtx "$dir"
    run_logged "configtxgen" env FABRIC_CFG_PATH="$dir" \
      configtxgen -profile CrowdLedger -outputBlock "$dir/genesis.block" -channelID "$channel"
  fi
  while read -r o; do
    channel_exists_on_orderer "$o" && continue
    local out
    # osnadmin exits 0 whatever the HTTP status: read the status line.
    out="$(osnadmin channel join --channelID "$channel" --config-block "$dir/genesis.block" \
      -o "$(jq -r '"\(.host):\(.adminPort)"' <<<"$o")" --ca-file "$registry_dir/tlsca-cert.pem" \
      --client-cert "$registry_dir/users/admin/tls/server.crt" --client-key "$registry_dir/users/admin/tls/server.key" 2>&1)" || true
    grep -q '^Status: 201' <<<"$out" || die "orderer $(jq -r .name <<<"$o") refused to join $channel: $out"
    info "$(jq -r .name <<<"$o") joined $channel"
  done < <(layout -c '.orgs[].orderers[]')
  while read -r org; do
    while read -r p; do
      if peer_as "$org" "$p" channel list 2>/dev/null | grep -qx "$channel"; then
        continue
      fi
      run_logged "peer channel join ($(jq -r .name <<<"$p"))" peer_as "$org" "$p" channel join -b "$dir/genesis.block"
      info "$(jq -r .name <<<"$p") joined $channel"
    done < <(jq -c '.peers[]' <<<"$org")
  done < <(layout -c '.orgs[]')
}

# config_update_envelope WORK — WORK/config.json → WORK/modified.json as a
# signed-nothing-yet update envelope in WORK/envelope.pb.
config_update_envelope() {
  local work="$1" channel
  channel="$(layout .channel)"
  run_logged "encode config" configtxlator proto_encode --input "$work/config.json" --type common.Config --output "$work/config.pb"
  run_logged "encode modified config" configtxlator proto_encode --input "$work/modified.json" --type common.Config --output "$work/modified.pb"
  run_logged "compute update" configtxlator compute_update --channel_id "$channel" \
    --original "$work/config.pb" --updated "$work/modified.pb" --output "$work/update.pb"
  run_logged "decode update" configtxlator proto_decode --input "$work/update.pb" --type common.ConfigUpdate --output "$work/update.json"
  jq -n --arg channel "$channel" --slurpfile update "$work/update.json" \
    '{payload: {header: {channel_header: {channel_id: $channel, type: 2}}, data: {config_update: $update[0]}}}' \
    >"$work/envelope.json"
  run_logged "encode envelope" configtxlator proto_encode --input "$work/envelope.json" --type common.Envelope --output "$work/envelope.pb"
}
