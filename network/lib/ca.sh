# Fabric CA servers and enrollment of every identity. One fabric-ca-server
# per organisation hosts its org CA (default), its TLS CA (`tlsca`) and, on
# the registry, the asset-certificate CA (`assetca`, DESIGN §2). Sourced.

# The bootstrap admin, only while the CA is being set up: once its registrars
# are enrolled the password is changed to one nobody keeps and the config is
# written again without it (lock_bootstrap_admins). Fabric CA adds configured
# identities only when missing, so a later start never brings it back.
bootstrap_identity() {
  local pass="$1"
  if [[ -z "$pass" ]]; then
    printf '  identities: []\n'
    return
  fi
  cat <<YAML
  identities:
    - name: admin
      pass: $pass
      type: client
      affiliation: ""
      attrs:
        hf.Registrar.Roles: "*"
        hf.Registrar.DelegateRoles: "*"
        hf.Revoker: true
        hf.IntermediateCA: true
        hf.GenCRL: true
        hf.Registrar.Attributes: "*"
        hf.AffiliationMgr: true
YAML
}

# ca_settings FILE NAME CN ORG ADMIN_PASS AFFILIATIONS... — the CA-level part of
# a fabric-ca-server config, shared by the default CA and the `cafiles` CAs.
# An empty ADMIN_PASS writes no bootstrap identity.
ca_settings() {
  local name="$1" cn="$2" org="$3" pass="$4"
  shift 4
  cat <<YAML
ca:
  name: $name
crl:
  expiry: 24h
registry:
  maxenrollments: -1
$(bootstrap_identity "$pass")
db:
  type: sqlite3
  datasource: fabric-ca-server.db
affiliations:
$(for a in "$@"; do printf '  %s: []\n' "$a"; done)
signing:
  default:
    usage: [digital signature]
    expiry: 8760h
  profiles:
    tls:
      usage: [signing, key encipherment, server auth, client auth, key agreement]
      expiry: 8760h
csr:
  cn: $cn
  keyrequest: {algo: ecdsa, size: 256}
  names:
    - {C: CN, O: $org}
  hosts: [${csr_hosts:-localhost, 127.0.0.1}]
  ca: {expiry: 131400h, pathlength: 1}
bccsp:
  default: SW
  sw: {hash: SHA2, security: 256}
YAML
}

# Writes the server config; TLS files are absent on first start (the server
# then makes its own, signed by the org CA) and present after the TLS CA has
# issued the server a proper certificate.
write_ca_config() {
  local org_json="$1" pass="$2"
  local key dir host port ops kind
  key="$(jq -r .key <<<"$org_json")"
  dir="$(jq -r .ca.dir <<<"$org_json")"
  host="$(jq -r .ca.host <<<"$org_json")"
  port="$(jq -r .ca.port <<<"$org_json")"
  ops="$(jq -r .ca.opsPort <<<"$org_json")"
  kind="$(jq -r .kind <<<"$org_json")"
  local cafiles=("tlsca/fabric-ca-server-config.yaml")
  mkdir -p "$dir/tlsca"
  ca_settings tlsca "tlsca.$key" "$key" "$pass" "$key" >"$dir/tlsca/fabric-ca-server-config.yaml"
  if [[ "$kind" == registry ]]; then
    cafiles+=("assetca/fabric-ca-server-config.yaml")
    mkdir -p "$dir/assetca"
    # Holders are grouped under their platform's affiliation so a platform's
    # registrar can only reach its own holders.
    local platforms
    mapfile -t platforms < <(layout '.orgs[] | select(.kind == "platform") | .key')
    ca_settings assetca "assetca.$key" "$key" "$pass" "${platforms[@]}" >"$dir/assetca/fabric-ca-server-config.yaml"
  fi
  local tls_files=""
  if [[ -f "$dir/tls/server.crt" ]]; then
    tls_files=$'\n  certfile: tls/server.crt\n  keyfile: tls/server.key'
  fi
  {
    cat <<YAML
version: $FABRIC_CA_VERSION
port: $port
address: $host
debug: false
crlsizelimit: 512000
tls:
  enabled: true$tls_files
  clientauth:
    type: noclientcert
operations:
  listenAddress: $host:$ops
  tls:
    enabled: false
metrics:
  provider: disabled
cafiles:
$(for f in "${cafiles[@]}"; do printf '  - %s\n' "$f"; done)
YAML
    # The first TLS certificate the server makes itself names its address too.
    local csr_hosts="localhost, 127.0.0.1"
    [[ "$host" == 127.0.0.1 ]] || csr_hosts+=", $host"
    ca_settings ca "ca.$key" "$key" "$pass" "$key"
  } >"$dir/fabric-ca-server-config.yaml"
}

start_ca() {
  local org_json="$1"
  local name dir ops host
  name="$(jq -r .ca.name <<<"$org_json")"
  dir="$(jq -r .ca.dir <<<"$org_json")"
  host="$(jq -r .ca.host <<<"$org_json")"
  ops="$(jq -r .ca.opsPort <<<"$org_json")"
  start_node "$name" "$dir" "" fabric-ca-server start --home "$dir"
  wait_healthy "$name" "$dir" "http://$host:$ops/healthz" 30
}

# Runs fabric-ca-client against an org's server. CA_TLS_TRUST names the PEM
# the server's TLS certificate chains to.
ca_client() {
  local out
  out="$(fabric-ca-client "$@" --tls.certfiles "$CA_TLS_TRUST" 2>&1)" || {
    printf '%s\n' "$out" | tail -n 20 >&2
    die "fabric-ca-client ${1:-} failed"
  }
}

ca_url() { printf 'https://%s:%s' "$(jq -r .ca.host <<<"$1")" "$(jq -r .ca.port <<<"$1")"; }

# Moves enrollment output to fixed names so configs can point at them.
normalise_msp() {
  local msp="$1" ca_cert="$2"
  mv "$msp"/keystore/*_sk "$msp/keystore/key.pem"
  rm -rf "$msp/cacerts" "$msp/intermediatecerts" "$msp/IssuerPublicKey" "$msp/IssuerRevocationPublicKey" "$msp/user"
  mkdir -p "$msp/cacerts"
  cp "$ca_cert" "$msp/cacerts/ca-cert.pem"
  write_nodeous "$msp"
}

write_nodeous() {
  cat >"$1/config.yaml" <<'YAML'
# Roles come from the OU Fabric CA writes for the identity type, each pinned
# to the org's own CA: it is the MSP's only root (holders' asset certificates
# come from a CA no channel MSP trusts).
NodeOUs:
  Enable: true
  ClientOUIdentifier:
    Certificate: cacerts/ca-cert.pem
    OrganizationalUnitIdentifier: client
  PeerOUIdentifier:
    Certificate: cacerts/ca-cert.pem
    OrganizationalUnitIdentifier: peer
  AdminOUIdentifier:
    Certificate: cacerts/ca-cert.pem
    OrganizationalUnitIdentifier: admin
  OrdererOUIdentifier:
    Certificate: cacerts/ca-cert.pem
    OrganizationalUnitIdentifier: orderer
YAML
}

random_secret() { openssl rand -hex 16; }

# register_enroll ORG_JSON CANAME REGISTRAR_HOME ID TYPE ATTRS OUT_MSP [ENROLL_ARGS...]
register_enroll() {
  local org_json="$1" caname="$2" registrar="$3" id="$4" type="$5" attrs="$6" out="$7"
  shift 7
  local url secret
  url="$(ca_url "$org_json")"
  secret="$(random_secret)"
  local attr_args=()
  [[ -n "$attrs" ]] && attr_args=(--id.attrs "$attrs")
  ca_client register -u "$url" --caname "$caname" -H "$registrar" \
    --id.name "$id" --id.secret "$secret" --id.type "$type" --id.affiliation "$(jq -r .key <<<"$org_json")" \
    "${attr_args[@]}"
  ca_client enroll -u "https://$id:$secret@${url#https://}" --caname "$caname" -M "$out" -H "$(dirname "$out")" \
    --csr.names "C=CN,O=$(jq -r .key <<<"$org_json")" "$@"
}

# Enrolls a node or user: an MSP from the org CA and, when asked, a TLS
# certificate (server and client usage) from the TLS CA, naming the node's
# host (HOST, when the layout places it elsewhere than 127.0.0.1) as well.
enroll_identity() {
  local org_json="$1" id="$2" type="$3" attrs="$4" out="$5" want_tls="$6" host="${7:-127.0.0.1}"
  local org_dir
  org_dir="$(jq -r .dir <<<"$org_json")"
  mkdir -p "$out"
  if [[ "$type" != none ]]; then
    register_enroll "$org_json" ca "$org_dir/registrars/ca" "$id" "$type" "$attrs" "$out/msp"
    normalise_msp "$out/msp" "$org_dir/ca-cert.pem"
  fi
  if [[ "$want_tls" == tls ]]; then
    register_enroll "$org_json" tlsca "$org_dir/registrars/tlsca" "$id" client "" "$out/tlsmsp" \
      --enrollment.profile tls --csr.hosts "127.0.0.1,localhost,$id$([[ "$host" == 127.0.0.1 ]] || printf ',%s' "$host")"
    mkdir -p "$out/tls"
    mv "$out/tlsmsp/signcerts/"*.pem "$out/tls/server.crt"
    mv "$out/tlsmsp/keystore/"*_sk "$out/tls/server.key"
    cp "$org_dir/tlsca-cert.pem" "$out/tls/ca.crt"
    rm -rf "$out/tlsmsp" "$out/fabric-ca-client-config.yaml"
  fi
  rm -f "$out/fabric-ca-client-config.yaml"
}

enroll_registrar() {
  local org_json="$1" caname="$2" pass="$3"
  local org_dir home
  org_dir="$(jq -r .dir <<<"$org_json")"
  home="$org_dir/registrars/$caname"
  mkdir -p "$home"
  ca_client enroll -u "https://admin:$pass@$(ca_url "$org_json" | sed 's#https://##')" --caname "$caname" -H "$home" -M "$home/msp"
}

# The org's channel MSP: its root, its TLS root and NodeOUs. Holders are no
# channel identities (DESIGN §2): the asset-certificate CA is in no channel
# MSP, so a holder certificate cannot fetch a block, send an envelope or call
# a peer; holders query through a platform that relays what they signed.
write_org_msp() {
  local org_json="$1"
  local org_dir
  org_dir="$(jq -r .dir <<<"$org_json")"
  rm -rf "$org_dir/msp"
  mkdir -p "$org_dir/msp/cacerts" "$org_dir/msp/tlscacerts"
  cp "$org_dir/ca-cert.pem" "$org_dir/msp/cacerts/ca-cert.pem"
  cp "$org_dir/tlsca-cert.pem" "$org_dir/msp/tlscacerts/tlsca-cert.pem"
  write_nodeous "$org_dir/msp"
}

# After setup nobody holds a bootstrap password: each CA's `admin` gets a
# random secret that is never written down, the configs are written again
# without it, and the setup's copy goes. The registrar enrollments under
# orgs/<org>/registrars (owner-only keys) are how the operator runs the CAs;
# README "Secrets at rest" says how to regain control without them.
lock_bootstrap_admins() {
  local org_json="$1"
  local org_dir kind caname
  org_dir="$(jq -r .dir <<<"$org_json")"
  kind="$(jq -r .kind <<<"$org_json")"
  local canames=(ca tlsca)
  [[ "$kind" == registry ]] && canames+=(assetca)
  for caname in "${canames[@]}"; do
    ca_client identity modify admin --secret "$(random_secret)$(random_secret)" \
      -u "$(ca_url "$org_json")" --caname "$caname" -H "$org_dir/registrars/$caname"
    rm -f "$org_dir/registrars/$caname/fabric-ca-client-config.yaml"
  done
  write_ca_config "$org_json" ""
  rm -f "$org_dir/ca-admin.secret"
}

# Creates the org's CA server, its registrars and every identity the network
# and the SDK need. Runs once per network (skipped when the org MSP exists).
bootstrap_org_crypto() {
  local org_json="$1"
  local key org_dir ca_dir kind pass
  key="$(jq -r .key <<<"$org_json")"
  org_dir="$(jq -r .dir <<<"$org_json")"
  ca_dir="$(jq -r .ca.dir <<<"$org_json")"
  kind="$(jq -r .kind <<<"$org_json")"
  mkdir -p "$org_dir" "$ca_dir"
  pass="$(random_secret)"
  write_ca_config "$org_json" "$pass"
  start_ca "$org_json"
  cp "$ca_dir/ca-cert.pem" "$org_dir/ca-cert.pem"
  cp "$ca_dir/tlsca/ca-cert.pem" "$org_dir/tlsca-cert.pem"
  [[ "$kind" == registry ]] && cp "$ca_dir/assetca/ca-cert.pem" "$org_dir/assetca-cert.pem"

  # The server's first TLS certificate is signed by the org CA; replace it
  # with one from the TLS CA so every TLS link chains to the TLS root.
  CA_TLS_TRUST="$org_dir/ca-cert.pem"
  enroll_registrar "$org_json" ca "$pass"
  enroll_registrar "$org_json" tlsca "$pass"
  enroll_identity "$org_json" "ca.$key" none "" "$ca_dir" tls "$(jq -r .ca.host <<<"$org_json")"
  stop_node "ca.$key" "$ca_dir" >/dev/null 2>&1
  write_ca_config "$org_json" "$pass"
  start_ca "$org_json"
  CA_TLS_TRUST="$org_dir/tlsca-cert.pem"

  local name dir host
  while read -r name host dir; do
    enroll_identity "$org_json" "$name" orderer "" "$dir" tls "$host"
  done < <(jq -r '(.orderers // [])[] | "\(.name) \(.host) \(.dir)"' <<<"$org_json")
  while read -r name host dir; do
    enroll_identity "$org_json" "$name" peer "" "$dir" tls "$host"
    # The chaincode service beside each peer gets its own TLS server certificate.
    enroll_identity "$org_json" "cc.$name" none "" "$(dirname "$dir")/cc.$name" tls "$host"
  done < <(jq -r '.peers[] | "\(.name) \(.host) \(.dir)"' <<<"$org_json")

  enroll_identity "$org_json" "admin.$key" admin "" "$org_dir/users/admin" tls
  if [[ "$kind" == registry ]]; then
    enroll_identity "$org_json" "app.$key" client "crowdledger.role=admin:ecert" "$org_dir/users/app" no
    enroll_identity "$org_json" "auditor.$key" client "crowdledger.role=auditor:ecert" "$org_dir/users/auditor" no
    enroll_registrar "$org_json" assetca "$pass"
    register_platform_registrars "$org_json"
  else
    enroll_identity "$org_json" "app.$key" client "crowdledger.role=platform:ecert" "$org_dir/users/app" no
  fi
  write_org_msp "$org_json"
  lock_bootstrap_admins "$org_json"
}

# Each platform gets a registrar on the asset-certificate CA, under its own
# affiliation (FABRIC-NOTES, Fabric CA), that may set only attributes which
# grant nothing: the holding (asset, holder) and the holder's name and masked
# ID number (R3). Holders are recognised by this CA as issuer, never by an
# attribute, so no value a registrar chooses can raise anyone's rights.
register_platform_registrars() {
  local org_json="$1"
  local org_dir platform
  org_dir="$(jq -r .dir <<<"$org_json")"
  while read -r platform; do
    local out="$org_dir/registrars/assetca-$platform" secret
    secret="$(random_secret)"
    ca_client register -u "$(ca_url "$org_json")" --caname assetca -H "$org_dir/registrars/assetca" \
      --id.name "registrar.$platform" --id.secret "$secret" --id.type client --id.affiliation "$platform" \
      --id.attrs '"hf.Registrar.Roles=client","hf.Registrar.Attributes=crowdledger.asset,crowdledger.holder,crowdledger.name,crowdledger.idmask",hf.Revoker=true,hf.GenCRL=true'
    mkdir -p "$out"
    ca_client enroll -u "https://registrar.$platform:$secret@$(ca_url "$org_json" | sed 's#https://##')" --caname assetca -H "$out" -M "$out/msp"
    # A fixed name for the SDK; fabric-ca-client itself finds the key by its SKI.
    cp "$out"/msp/keystore/*_sk "$out/msp/keystore/key.pem"
  done < <(layout '.orgs[] | select(.kind == "platform") | .key')
}
