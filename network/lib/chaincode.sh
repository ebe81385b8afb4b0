# Chaincode lifecycle: package, install on every peer, approve per org,
# commit. The layout's chaincodeType picks the package: "ccaas" (default) runs
# one chaincode service per peer (each with its org's MSP ID, FABRIC-NOTES);
# "node" is the standard Node package, which each peer builds and launches
# itself (network/builders/node). A changed chaincode gets a new label (a hash
# of its built code), so deploying it again commits the next sequence. Sourced.

# shellcheck source=package.sh
. "$NETWORK_DIR/lib/package.sh"

CC_DIR="$CROWDLEDGER_HOME/chaincode"

chaincode_type() { layout '.chaincodeType // "ccaas"'; }

endorsement_policy() {
  local platforms
  platforms="$(layout '[.orgs[] | select(.kind == "platform") | "AND('"'"'RegistryMSP.peer'"'"', '"'"'\(.mspId).peer'"'"')"] | join(", ")')"
  printf "OR(%s)" "$platforms"
}

write_collections() {
  layout '[.orgs[] | select(.kind == "platform") | {
      name: "\(.mspId)Private",
      policy: "OR('"'"'\(.mspId).member'"'"', '"'"'RegistryMSP.member'"'"')",
      requiredPeerCount: 0,
      maxPeerCount: 1,
      blockToLive: 0,
      memberOnlyRead: true,
      memberOnlyWrite: true
    }]' >"$CC_DIR/collections.json"
}

orderer_args() {
  local o registry_dir
  o="$(layout -c '.orgs[0].orderers[0]')"
  registry_dir="$(layout '.orgs[0].dir')"
  printf '%s\n' -o "$(jq -r '"\(.host):\(.port)"' <<<"$o")" --tls --cafile "$registry_dir/tlsca-cert.pem"
}

install_everywhere() {
  local pkg="$1" package_id="$2" org p
  while read -r org; do
    while read -r p; do
      if peer_as "$org" "$p" lifecycle chaincode queryinstalled -O json 2>/dev/null |
        jq -e --arg id "$package_id" '.installed_chaincodes // [] | any(.package_id == $id)' >/dev/null; then
        continue
      fi
      run_logged "install on $(jq -r .name <<<"$p")" peer_as "$org" "$p" lifecycle chaincode install "$pkg"
      info "installed on $(jq -r .name <<<"$p")"
    done < <(jq -c '.peers[]' <<<"$org")
  done < <(layout -c '.orgs[]')
}

# committed_field FIELD [NAME] — of the chaincode NAME (the layout's by default).
committed_field() {
  local org p name="${2:-$(layout .chaincode)}"
  org="$(layout -c '.orgs[0]')"
  p="$(jq -c '.peers[0]' <<<"$org")"
  # Fails when nothing is committed yet: that is an empty answer, not an error.
  { peer_as "$org" "$p" lifecycle chaincode querycommitted -C "$(layout .channel)" -n "$name" -O json 2>/dev/null ||
    echo '{}'; } | jq -r ".$1 // empty"
}

# approve_and_commit VERSION PACKAGE_ID SEQUENCE [NAME] — NAME other than the
# layout's chaincode is committed with the same policy and no collections.
approve_and_commit() {
  local version="$1" package_id="$2" sequence="$3" name="${4:-$(layout .chaincode)}"
  local channel policy org p
  channel="$(layout .channel)"
  policy="$(endorsement_policy)"
  local common=(--channelID "$channel" --name "$name" --version "$version" --sequence "$sequence"
    --signature-policy "$policy")
  if [[ "$name" == "$(layout .chaincode)" ]]; then
    common+=(--collections-config "$CC_DIR/collections.json")
  fi
  local ord
  mapfile -t ord < <(orderer_args)
  while read -r org; do
    p="$(jq -c '.peers[0]' <<<"$org")"
    run_logged "approve for $(jq -r .mspId <<<"$org")" \
      peer_as "$org" "$p" lifecycle chaincode approveformyorg "${ord[@]}" "${common[@]}" --package-id "$package_id" --waitForEvent
    info "approved by $(jq -r .mspId <<<"$org")"
  done < <(layout -c '.orgs[]')
  local targets=()
  while read -r p; do
    targets+=(--peerAddresses "$(jq -r '"\(.host):\(.port)"' <<<"$p")" --tlsRootCertFiles "$(jq -r .tls <<<"$p")")
  done < <(layout -c '.orgs[] | .peers[0] + {tls: "\(.dir)/tlsca-cert.pem"}')
  org="$(layout -c '.orgs[0]')"
  p="$(jq -c '.peers[0]' <<<"$org")"
  run_logged "commit" peer_as "$org" "$p" lifecycle chaincode commit "${ord[@]}" "${common[@]}" "${targets[@]}" --waitForEvent
  info "committed $name version $version, sequence $sequence"
}

# The chaincode service's folder beside its peer's.
chaincode_service_dir() {
  local p="$1"
  printf '%s/cc.%s' "$(dirname "$(jq -r .dir <<<"$p")")" "$(jq -r .name <<<"$p")"
}

# Starts (or restarts, when the package changed) the layout chaincode's
# service beside one peer, with its org's MSP ID: what `network/node.sh start
# cc.<peer>` runs (start_chaincode_services below starts them all).
start_chaincode_service() {
  local org="$1" p="$2" package_id="$3" name dir
  name="cc.$(jq -r .name <<<"$p")"
  dir="$(chaincode_service_dir "$p")"
  if node_alive "$dir" && [[ "$(cat "$dir/package-id" 2>/dev/null)" != "$package_id" ]]; then
    stop_node "$name" "$dir"
  fi
  printf '%s\n' "$package_id" >"$dir/package-id"
  launch_chaincode_service "$name" "$dir" "$(jq -r .mspId <<<"$org")" "$REPO_DIR/chaincode" \
    "$(jq -r '"\(.host):\(.chaincodePort)"' <<<"$p")" "$package_id" "$dir/tls"
}

# launch_chaincode_service NAME DIR MSP_ID MODULE ADDRESS PACKAGE_ID TLS_DIR.
# The register's chaincode has its own entry, a front door before
# fabric-shim's dispatcher (chaincode/src/server.ts); another module is served
# by fabric-shim's own server. The shim logs every transaction at info (and
# winston formats a line before the level drops it), a cost in every profile
# of a busy service: warning unless CORE_CHAINCODE_LOGGING_LEVEL says otherwise.
launch_chaincode_service() {
  local name="$1" dir="$2" msp="$3" module="$4" address="$5" package_id="$6" tls="$7"
  local entry=("$REPO_DIR/node_modules/fabric-shim/cli.js" server --module-path "$module")
  if [[ -f "$module/dist/server.js" ]]; then
    entry=("$module/dist/server.js")
  fi
  printf 'CORE_PEER_LOCALMSPID=%s\nCORE_CHAINCODE_LOGGING_LEVEL=%s\n' "$msp" \
    "${CORE_CHAINCODE_LOGGING_LEVEL:-warning}" >"$dir/node.env"
  start_node "$name" "$dir" "$dir/node.env" node "${entry[@]}" \
    --chaincode-address "$address" \
    --chaincode-id "$package_id" \
    --chaincode-tls-cert-file "$tls/server.crt" \
    --chaincode-tls-key-file "$tls/server.key" \
    --chaincode-tls-client-cacert-file "$tls/ca.crt"
}

# Fails with the service's log when it does not listen within 30 s.
wait_chaincode_service() {
  local p="$1" dir host port
  dir="$(chaincode_service_dir "$p")"
  host="$(jq -r .host <<<"$p")"
  port="$(jq -r .chaincodePort <<<"$p")"
  wait_for 30 "" port_in_use "$port" "$(jq -r '.netns // empty' <<<"$p")" || {
    tail -n 20 "$dir/node.log" >&2
    die "cc.$(jq -r .name <<<"$p") did not listen on $host:$port; see $dir/node.log"
  }
}

# Starts (or restarts, when the package changed) the chaincode service
# beside every peer. start_chaincode_services PACKAGE_ID [NAME MODULE_DIR
# PORT_OFFSET]: for a chaincode NAME other than the layout's, services
# `cc-NAME.<peer>` serve MODULE_DIR on the peer's chaincode port + PORT_OFFSET
# with the TLS material of the peer's own service; their folders are listed in
# $CC_DIR/extra-services so that `down` stops them too.
start_chaincode_services() {
  local package_id="$1" cc_name="${2:-}" module="${3:-$REPO_DIR/chaincode}" offset="${4:-0}" org p
  local waits=()
  while read -r org; do
    while read -r p; do
      local name dir own port
      own="$(dirname "$(jq -r .dir <<<"$p")")/cc.$(jq -r .name <<<"$p")"
      port=$(($(jq -r .chaincodePort <<<"$p") + offset))
      if [[ -z "$cc_name" ]]; then
        name="cc.$(jq -r .name <<<"$p")"
      else
        name="cc-$cc_name.$(jq -r .name <<<"$p")"
      fi
      dir="$(dirname "$own")/$name"
      mkdir -p "$dir"
      if [[ -n "$cc_name" ]] && ! grep -qxF "$name $dir" "$CC_DIR/extra-services" 2>/dev/null; then
        printf '%s %s\n' "$name" "$dir" >>"$CC_DIR/extra-services"
      fi
      if node_alive "$dir" && [[ "$(cat "$dir/package-id" 2>/dev/null)" != "$package_id" ]]; then
        stop_node "$name" "$dir"
      fi
      printf '%s\n' "$package_id" >"$dir/package-id"
      launch_chaincode_service "$name" "$dir" "$(jq -r .mspId <<<"$org")" "$module" \
        "$(jq -r .host <<<"$p"):$port" "$package_id" "$own/tls"
      waits+=("$name $dir $port $(jq -r '.netns // empty' <<<"$p")")
    done < <(jq -c '.peers[]' <<<"$org")
  done < <(layout -c '.orgs[]')
  local w
  for w in "${waits[@]}"; do
    local name dir port ns
    read -r name dir port ns <<<"$w"
    wait_for 30 "" port_in_use "$port" "$ns" || {
      tail -n 20 "$dir/node.log" >&2
      die "$name did not listen on port $port; see $dir/node.log"
    }
  done
}

deploy_chaincode() {
  mkdir -p "$CC_DIR"
  local type version label pkg package_id
  type="$(chaincode_type)"
  version="$(code_version "$type")"
  label="$(layout .chaincode)_$version"
  pkg="$CC_DIR/$label.tar.gz"
  if [[ ! -f "$pkg" ]]; then
    case "$type" in
      ccaas) make_ccaas_package "$label" "$pkg" ;;
      node) make_node_package "$label" "$pkg" ;;
      *) die "layout chaincodeType must be ccaas or node, not $type" ;;
    esac
  fi
  package_id="$(FABRIC_CFG_PATH="$(CONFIG_DIR)" peer lifecycle chaincode calculatepackageid "$pkg")"
  write_collections
  install_everywhere "$pkg" "$package_id"

  local committed_version committed_sequence collections_hash
  committed_version="$(committed_field version)"
  committed_sequence="$(committed_field sequence)"
  collections_hash="$(sha256sum <"$CC_DIR/collections.json" | cut -c1-16)"
  if [[ "$committed_version" == "$version" && "$(cat "$CC_DIR/collections.sha" 2>/dev/null)" == "$collections_hash" ]]; then
    info "chaincode version $version already committed (sequence $committed_sequence)"
  else
    approve_and_commit "$version" "$package_id" "$((${committed_sequence:-0} + 1))"
    printf '%s\n' "$collections_hash" >"$CC_DIR/collections.sha"
  fi
  # A node package runs under its peer, launched on first use.
  [[ "$type" == node ]] || start_chaincode_services "$package_id"
  printf '%s\n' "$package_id" >"$CC_DIR/package-id"
}

# deploy_extra_chaincode NAME MODULE_DIR — a second chaincode on the same
# channel with the same endorsement policy and no collections, from a Node
# module (its package.json `main` exports `contracts`), served beside every
# peer one port above the peer's own chaincode service. Used by `make bench`
# for its baseline; the default network never deploys one.
deploy_extra_chaincode() {
  local name="$1" module="$2" offset=1
  [[ "$name" != "$(layout .chaincode)" ]] || die "$name is the network's own chaincode: use deploy.sh"
  [[ -f "$module/package.json" ]] || die "no package.json in $module"
  mkdir -p "$CC_DIR"
  local version label pkg package_id
  version="$(cd "$module" && cat package.json "$(jq -r .main package.json)" | sha256sum | cut -c1-12)"
  label="${name}_$version"
  pkg="$CC_DIR/$label.tar.gz"
  [[ -f "$pkg" ]] || make_ccaas_package "$label" "$pkg" "" "$offset"
  package_id="$(FABRIC_CFG_PATH="$(CONFIG_DIR)" peer lifecycle chaincode calculatepackageid "$pkg")"
  install_everywhere "$pkg" "$package_id"
  local committed_version committed_sequence
  committed_version="$(committed_field version "$name")"
  committed_sequence="$(committed_field sequence "$name")"
  if [[ "$committed_version" == "$version" ]]; then
    info "$name version $version already committed (sequence $committed_sequence)"
  else
    approve_and_commit "$version" "$package_id" "$((${committed_sequence:-0} + 1))" "$name"
  fi
  start_chaincode_services "$package_id" "$name" "$module" "$offset"
}
