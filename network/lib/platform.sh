# Adding a platform to a running network (network/add-platform.sh): its place
# in the layout, its asset-CA registrar, its org in the channel configuration
# by a config update a majority of the admins sign, its peers joined, and a
# chaincode definition whose collections and endorsement policy name it.
# Sourced, after common, process, ca, nodes and chaincode.

# new_platform_org PEERS — the next platform's org entry, shaped as
# network/layout.sh shapes one: key platformN and Platform<N>MSP with the
# first N free, on the host of the first platform, with the 100-port block
# above every port the layout uses (for a layout.sh network that is basePort
# + 100 * its org index, as if it had been there from the start). PEERS 0:
# as many peers as the first platform runs.
new_platform_org() {
  local peers="$1"
  jq -c --argjson want "$peers" '
    . as $l
    | ([.orgs[] | select(.kind == "platform")] + [.orgs[0]])[0] as $like
    | [.orgs[] | .key, .mspId] as $taken
    | first(range([.orgs[] | select(.kind == "platform")] | length + 1; 1000) as $i
        | select(($taken | index("platform\($i)")) == null and ($taken | index("Platform\($i)MSP")) == null) | $i) as $i
    | ([.. | objects | (.port, .opsPort, .adminPort, .ccPort, .chaincodePort) | numbers] | max) as $max
    | ((($max / 100 | floor) + 1) * 100) as $b
    | "platform\($i)" as $key
    | (if $want > 0 then $want else ($like.peers | length) end) as $n
    | def node($name; $host; $port): {name: $name, host: $host, port: $port, dir: ($l.home + "/nodes/" + $name)};
    {
      key: $key,
      mspId: "Platform\($i)MSP",
      kind: "platform",
      dir: ($l.home + "/orgs/" + $key),
      ca: (node("ca." + $key; $like.ca.host; $b) + {opsPort: ($b + 1)}),
      orderers: [],
      peers: [range($n) as $j | node("peer\($j)." + $key; $like.peers[0].host; $b + 40 + 5 * $j)
        + {ccPort: ($b + 41 + 5 * $j), opsPort: ($b + 42 + 5 * $j), chaincodePort: ($b + 43 + 5 * $j)}]
    }' "$LAYOUT"
}

# Every port the org's nodes listen on (the chaincode services' too).
org_ports() {
  jq -r '(.ca | .port, .opsPort), (.peers[] | .port, .ccPort, .opsPort, .chaincodePort)' <<<"$1"
}

# ca, orderers, peers and (ccaas) chaincode services of the org, as "name dir".
org_node_dirs() {
  local org="$1" type
  type="$(chaincode_type)"
  # shellcheck disable=SC2016 # jq variables, not shell ones
  jq -r --arg type "$type" '(.peers[] | select($type == "ccaas") | "cc.\(.name) \(.dir | sub("/[^/]*$"; ""))/cc.\(.name)"),
    (.peers[] | "\(.name) \(.dir)"), (.orderers[] | "\(.name) \(.dir)"), "\(.ca.name) \(.ca.dir)"' <<<"$org"
}

# Fails unless every node of the network (the layout at $LAYOUT) runs.
require_running_network() {
  local org name dir down=()
  while read -r org; do
    while read -r name dir; do
      node_alive "$dir" || down+=("$name")
    done < <(org_node_dirs "$org")
  done < <(layout -c '.orgs[]')
  ((${#down[@]} == 0)) ||
    die "not running: ${down[*]}; a platform joins a running network: \`crowdledger network up\` first"
  [[ -f "$CC_DIR/package-id" ]] || die "no chaincode deployed yet: \`crowdledger network up\` first"
}

# add_asset_ca_registrar REGISTRY_JSON KEY — the platform's affiliation on the
# registry's asset-certificate CA and its registrar there, as
# register_platform_registrars makes them at `up` (lib/ca.sh). The CA's
# bootstrap admin keeps its enrollment under registrars/assetca (only its
# password was thrown away), and that certificate is what registers them.
# A rerun after a failure finds what was made and finishes it.
add_asset_ca_registrar() {
  local registry="$1" key="$2"
  local org_dir url admin out secret
  org_dir="$(jq -r .dir <<<"$registry")"
  url="$(ca_url "$registry")"
  admin="$org_dir/registrars/assetca"
  out="$org_dir/registrars/assetca-$key"
  [[ -s "$out/msp/keystore/key.pem" ]] && return
  CA_TLS_TRUST="$org_dir/tlsca-cert.pem"
  if ! fabric-ca-client affiliation list --affiliation "$key" -u "$url" --caname assetca -H "$admin" \
    --tls.certfiles "$CA_TLS_TRUST" >/dev/null 2>&1; then
    ca_client affiliation add "$key" -u "$url" --caname assetca -H "$admin"
  fi
  secret="$(random_secret)"
  if fabric-ca-client identity list --id "registrar.$key" -u "$url" --caname assetca -H "$admin" \
    --tls.certfiles "$CA_TLS_TRUST" >/dev/null 2>&1; then
    ca_client identity modify "registrar.$key" --secret "$secret" -u "$url" --caname assetca -H "$admin"
  else
    ca_client register -u "$url" --caname assetca -H "$admin" \
      --id.name "registrar.$key" --id.secret "$secret" --id.type client --id.affiliation "$key" \
      --id.attrs '"hf.Registrar.Roles=client","hf.Registrar.Attributes=crowdledger.asset,crowdledger.holder,crowdledger.name,crowdledger.idmask",hf.Revoker=true,hf.GenCRL=true'
  fi
  rm -rf "$out"
  mkdir -p "$out"
  ca_client enroll -u "https://registrar.$key:$secret@${url#https://}" --caname assetca -H "$out" -M "$out/msp"
  cp "$out"/msp/keystore/*_sk "$out/msp/keystore/key.pem"
  rm -f "$admin/fabric-ca-client-config.yaml"
}

# org_group_json ORG_JSON WORK — the org's group in the channel configuration
# (MSP, the four policies every org has, every peer an anchor), as
# configtxgen writes it for the genesis block (lib/channel.sh).
org_group_json() {
  local org="$1" work="$2" msp
  msp="$(jq -r .mspId <<<"$org")"
  {
    echo "Organizations:"
    echo "  - Name: $msp"
    echo "    ID: $msp"
    echo "    MSPDir: $(jq -r .dir <<<"$org")/msp"
    org_policies "$msp"
    echo "    AnchorPeers:"
    jq -r '.peers[] | "      - {Host: \(.host), Port: \(.port)}"' <<<"$org"
  } >"$work/configtx.yaml"
  FABRIC_CFG_PATH="$work" configtxgen -printOrg "$msp" 2>"$work/configtxgen.log" || {
    cat "$work/configtxgen.log" >&2
    die "configtxgen -printOrg $msp failed"
  }
}

# fetch_channel_config ORG_JSON OUT_JSON — the channel's current config, read
# from the orderers as the org's admin.
fetch_channel_config() {
  local org="$1" out="$2" work ord
  work="$(dirname "$out")"
  mapfile -t ord < <(orderer_args)
  run_logged "fetch the channel config" peer_as "$org" "$(jq -c '.peers[0]' <<<"$org")" \
    channel fetch config "$work/config_block.pb" "${ord[@]}" -c "$(layout .channel)"
  run_logged "decode the channel config" configtxlator proto_decode --input "$work/config_block.pb" \
    --type common.Block --output "$work/config_block.json"
  jq '.data.data[0].payload.data.config' "$work/config_block.json" >"$out"
}


# add_org_to_channel ORG_JSON WORK — adds the org to the channel's
# application group. That group's mod_policy is Admins = MAJORITY Admins of
# the orgs already in it: the first of them in the layout (the registry
# first) sign with `peer channel signconfigtx` until one short of a majority,
# and the last submits, which adds its own signature. A member org is left as
# it is.
add_org_to_channel() {
  local org="$1" work="$2" msp
  msp="$(jq -r .mspId <<<"$org")"
  mkdir -p "$work"
  fetch_channel_config "$(layout -c '.orgs[0]')" "$work/config.json"
  if jq -e --arg msp "$msp" '.channel_group.groups.Application.groups[$msp] != null' "$work/config.json" >/dev/null; then
    info "$msp is already a member of $(layout .channel)"
    return
  fi
  org_group_json "$org" "$work" >"$work/org.json"
  jq --arg msp "$msp" --slurpfile group "$work/org.json" \
    '.channel_group.groups.Application.groups[$msp] = $group[0]' "$work/config.json" >"$work/modified.json"
  config_update_envelope "$work"
  local members count signers need
  members="$(jq -c '.channel_group.groups.Application.groups | keys' "$work/config.json")"
  count="$(jq length <<<"$members")"
  need=$((count / 2 + 1))
  # shellcheck disable=SC2016 # jq variables, not shell ones
  mapfile -t signers < <(layout -c --argjson members "$members" '.orgs[] | select(.mspId as $m | $members | index($m))' |
    head -n "$need")
  ((${#signers[@]} == need)) ||
    die "$need of the $count member orgs' admins must sign, and this network holds the admin of only ${#signers[@]}"
  info "$count orgs in the channel: $need admins sign (MAJORITY Admins)"
  local i s
  for ((i = 0; i < need - 1; i++)); do
    s="${signers[$i]}"
    run_logged "sign as $(jq -r .mspId <<<"$s") admin" \
      peer_as "$s" "$(jq -c '.peers[0]' <<<"$s")" channel signconfigtx -f "$work/envelope.pb"
    info "signed by $(jq -r .mspId <<<"$s")'s admin"
  done
  s="${signers[$((need - 1))]}"
  local ord
  mapfile -t ord < <(orderer_args)
  run_logged "channel update" peer_as "$s" "$(jq -c '.peers[0]' <<<"$s")" \
    channel update -f "$work/envelope.pb" -c "$(layout .channel)" "${ord[@]}"
  info "signed and submitted by $(jq -r .mspId <<<"$s")'s admin: $msp added to $(layout .channel)"
}

# channel_height ORG_JSON PEER_JSON — the peer's block height on the channel.
channel_height() {
  peer_as "$1" "$2" channel getinfo -c "$(layout .channel)" 2>/dev/null |
    sed -n 's/^Blockchain info: //p' | jq -r .height
}

# peer_reached ORG_JSON PEER_JSON HEIGHT — whether the peer's height is HEIGHT or more.
peer_reached() {
  local height
  height="$(channel_height "$1" "$2")" || return 1
  [[ "$height" =~ ^[0-9]+$ ]] && ((height >= $3))
}

# join_org_peers ORG_JSON WORK — every peer of the org joins the channel from
# block 0, which its admin fetches from the orderers (the orderers deliver it
# only once the config update has committed, so that fetch is also the wait
# for it), then pulls every block since and must reach the registry peer's
# height.
join_org_peers() {
  local org="$1" work="$2" channel ord p
  channel="$(layout .channel)"
  mapfile -t ord < <(orderer_args)
  p="$(jq -c '.peers[0]' <<<"$org")"
  wait_for 60 "" peer_as "$org" "$p" channel fetch 0 "$work/block0.pb" "${ord[@]}" -c "$channel" ||
    die "the orderers did not deliver block 0 to $(jq -r .mspId <<<"$org")'s admin in 60 s: is it a member of $channel?"
  while read -r p; do
    if ! peer_as "$org" "$p" channel list 2>/dev/null | grep -qx "$channel"; then
      run_logged "peer channel join ($(jq -r .name <<<"$p"))" peer_as "$org" "$p" channel join -b "$work/block0.pb"
      info "$(jq -r .name <<<"$p") joined $channel"
    fi
  done < <(jq -c '.peers[]' <<<"$org")
  local registry target
  registry="$(layout -c '.orgs[0]')"
  target="$(channel_height "$registry" "$(jq -c '.peers[0]' <<<"$registry")")"
  while read -r p; do
    wait_for 120 "" peer_reached "$org" "$p" "$target" ||
      die "$(jq -r .name <<<"$p") did not reach block height $target in 120 s; see $(jq -r .dir <<<"$p")/node.log"
    info "$(jq -r .name <<<"$p") caught up to block height $target"
  done < <(jq -c '.peers[]' <<<"$org")
}

# definition_has_collection NAME — whether the committed chaincode definition
# holds the private collection NAME.
definition_has_collection() {
  local org p
  org="$(layout -c '.orgs[0]')"
  p="$(jq -c '.peers[0]' <<<"$org")"
  peer_as "$org" "$p" lifecycle chaincode querycommitted -C "$(layout .channel)" -n "$(layout .chaincode)" -O json 2>/dev/null |
    jq -e --arg name "$1" '[.collections.config[]? | .. | objects | .name? | strings] | index($name) != null' >/dev/null
}

# commit_definition_for_all VERSION PACKAGE_ID SEQUENCE — approve_and_commit
# (lib/chaincode.sh) that skips the orgs whose approval of this very
# definition is already recorded, so a rerun after a failure finishes it.
commit_definition_for_all() {
  local version="$1" package_id="$2" sequence="$3"
  local registry p0 name
  registry="$(layout -c '.orgs[0]')"
  p0="$(jq -c '.peers[0]' <<<"$registry")"
  name="$(layout .chaincode)"
  local common=(--channelID "$(layout .channel)" --name "$name" --version "$version" --sequence "$sequence"
    --signature-policy "$(endorsement_policy)" --collections-config "$CC_DIR/collections.json")
  local ord approvals org
  mapfile -t ord < <(orderer_args)
  approvals="$(peer_as "$registry" "$p0" lifecycle chaincode checkcommitreadiness "${common[@]}" -O json 2>/dev/null |
    jq -c '.approvals // {}')" || approvals='{}'
  while read -r org; do
    local msp
    msp="$(jq -r .mspId <<<"$org")"
    if jq -e --arg m "$msp" '.[$m] == true' <<<"$approvals" >/dev/null; then
      info "already approved by $msp"
      continue
    fi
    run_logged "approve for $msp" peer_as "$org" "$(jq -c '.peers[0]' <<<"$org")" \
      lifecycle chaincode approveformyorg "${ord[@]}" "${common[@]}" --package-id "$package_id" --waitForEvent
    info "approved by $msp"
  done < <(layout -c '.orgs[]')
  local targets=() p
  while read -r p; do
    targets+=(--peerAddresses "$(jq -r '"\(.host):\(.port)"' <<<"$p")" --tlsRootCertFiles "$(jq -r .tls <<<"$p")")
  done < <(layout -c '.orgs[] | .peers[0] + {tls: "\(.dir)/tlsca-cert.pem"}')
  run_logged "commit" peer_as "$registry" "$p0" lifecycle chaincode commit "${ord[@]}" "${common[@]}" "${targets[@]}" --waitForEvent
  info "committed $name version $version, sequence $sequence"
}

# Every peer knows every other peer of the channel through gossip (as `up`
# waits for it): the SDK's discovery of endorsers depends on it.
all_peers_know_each_other() {
  local others channel name ops metrics
  others=$(($(layout '[.orgs[].peers[]] | length') - 1))
  channel="$(layout .channel)"
  while read -r name ops; do
    metrics="$(curl -fsS --max-time 2 "http://$ops/metrics")" || return 1
    grep -qx "gossip_membership_total_peers_known{channel=\"$channel\"} $others" <<<"$metrics" || return 1
  done < <(layout '.orgs[].peers[] | "\(.name) \(.host):\(.opsPort)"')
}

# platform_who_am_i ORG_JSON — identity:WhoAmI submitted by the platform's
# application, endorsed by its first peer and the registry's (the new policy's
# term for it), committed on both.
platform_who_am_i() {
  local org="$1" registry ord targets=() p
  registry="$(layout -c '.orgs[0]')"
  mapfile -t ord < <(orderer_args)
  for p in "$(jq -c '.peers[0] + {tls: "\(.dir)/tlsca-cert.pem"}' <<<"$registry")" \
    "$(jq -c '.peers[0] + {tls: "\(.dir)/tlsca-cert.pem"}' <<<"$org")"; do
    targets+=(--peerAddresses "$(jq -r '"\(.host):\(.port)"' <<<"$p")" --tlsRootCertFiles "$(jq -r .tls <<<"$p")")
  done
  CORE_PEER_MSPCONFIGPATH_OVERRIDE="$(jq -r .dir <<<"$org")/users/app/msp" \
    peer_as "$org" "$(jq -c '.peers[0]' <<<"$org")" chaincode invoke "${ord[@]}" -C "$(layout .channel)" \
    -n "$(layout .chaincode)" "${targets[@]}" -c '{"function":"identity:WhoAmI","Args":[]}' --waitForEvent
}
