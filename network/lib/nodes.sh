# Configuration and start of orderers, peers and chaincode services. Every
# setting Fabric's sample configs leave wrong for a native, multi-node,
# single-host network is set here, per node, in `<node dir>/node.env`.
# Sourced.

CONFIG_DIR() { printf '%s/config' "$CROWDLEDGER_HOME"; }

# Fabric's own sample core.yaml/orderer.yaml give every default; only what a
# list-valued key needs (the external builder) or an empty value (no Docker)
# is edited in the file, the rest is set per node through the environment.
write_fabric_config() {
  local dir
  dir="$(CONFIG_DIR)"
  mkdir -p "$dir"
  cp "$FABRIC_CONFIG_SRC/orderer.yaml" "$dir/orderer.yaml"
  sed -e "s#path: /opt/hyperledger/ccaas_builder#path: $NETWORK_DIR/builders/ccaas#" \
    -e 's#- CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG#- CROWDLEDGER_CC_ADDRESS\n        - CROWDLEDGER_CC_TLS_DIR\n    - name: crowdledger_node\n      path: '"$NETWORK_DIR"'/builders/node\n      propagateEnvironment:\n        - HOME\n        - CROWDLEDGER_NODE_BIN#' \
    -e 's#endpoint: unix:///var/run/docker.sock#endpoint: ""#' \
    "$FABRIC_CONFIG_SRC/core.yaml" >"$dir/core.yaml"
  grep -q "$NETWORK_DIR/builders/ccaas" "$dir/core.yaml" || die "core.yaml: external builder entry not found to edit"
  grep -q "$NETWORK_DIR/builders/node" "$dir/core.yaml" || die "core.yaml: node builder entry not added"
}

# Peers ping the orderers they pull blocks from every 10 s (write_peer_env),
# to leave one whose host dropped off the network; the orderers accept pings
# that often (Fabric refuses them more often than every 60 s).
write_orderer_env() {
  local o="$1" dir host
  dir="$(jq -r .dir <<<"$o")"
  host="$(jq -r .host <<<"$o")"
  cat >"$dir/node.env" <<ENV
FABRIC_CFG_PATH=$(CONFIG_DIR)
ORDERER_GENERAL_LISTENADDRESS=$host
ORDERER_GENERAL_LISTENPORT=$(jq -r .port <<<"$o")
ORDERER_GENERAL_TLS_ENABLED=true
ORDERER_GENERAL_TLS_PRIVATEKEY=$dir/tls/server.key
ORDERER_GENERAL_TLS_CERTIFICATE=$dir/tls/server.crt
ORDERER_GENERAL_TLS_ROOTCAS=[$dir/tls/ca.crt]
ORDERER_GENERAL_BOOTSTRAPMETHOD=none
ORDERER_GENERAL_LOCALMSPDIR=$dir/msp
ORDERER_GENERAL_LOCALMSPID=RegistryMSP
ORDERER_FILELEDGER_LOCATION=$dir/data/ledger
ORDERER_CONSENSUS_WALDIR=$dir/data/etcdraft/wal
ORDERER_CONSENSUS_SNAPDIR=$dir/data/etcdraft/snapshot
ORDERER_OPERATIONS_LISTENADDRESS=$host:$(jq -r .opsPort <<<"$o")
ORDERER_METRICS_PROVIDER=prometheus
ORDERER_ADMIN_LISTENADDRESS=$host:$(jq -r .adminPort <<<"$o")
ORDERER_ADMIN_TLS_ENABLED=true
ORDERER_ADMIN_TLS_CERTIFICATE=$dir/tls/server.crt
ORDERER_ADMIN_TLS_PRIVATEKEY=$dir/tls/server.key
ORDERER_ADMIN_TLS_ROOTCAS=[$dir/tls/ca.crt]
ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true
ORDERER_ADMIN_TLS_CLIENTROOTCAS=[$dir/tls/ca.crt]
ORDERER_CHANNELPARTICIPATION_ENABLED=true
ORDERER_GENERAL_KEEPALIVE_SERVERMININTERVAL=5s
ENV
}

write_peer_env() {
  local org="$1" p="$2" dir host addr bootstrap
  dir="$(jq -r .dir <<<"$p")"
  host="$(jq -r .host <<<"$p")"
  addr="$host:$(jq -r .port <<<"$p")"
  # Every other peer of the org, so a peer restarted while one of them is
  # down still finds its org (a one-peer org bootstraps to itself).
  # shellcheck disable=SC2016 # a jq variable, not a shell one
  bootstrap="$(jq -r --arg self "$addr" '[.peers[] | "\(.host):\(.port)" | select(. != $self)]
    | if length == 0 then $self else join(" ") end' <<<"$org")"
  # A killed peer stays in its neighbours' gossip view until a dial to it
  # fails, and every endorsement that pushes private data to it waits for that
  # dial (3 s each by default, queued per peer) and for its ack: with a
  # registry peer down that stalled endorsements past the client's 15 s
  # deadline. Short gossip dial and ack timeouts bound the stall, and an
  # endorsement timeout below the client's lets the gateway ask the org's
  # other peer instead of timing out the client (issue #20).
  # The timewindow bounds how far a proposal's timestamp (the chaincode's only
  # clock, chosen by the client) may lie from the peer's clock: Fabric's 15m
  # would let any deadline slip by 15 minutes. The chaincode keeps this margin
  # in every deadline rule (protocol/src/time.ts PROPOSAL_TIME_WINDOW).
  # A transaction already invalid (a resubmitted envelope is DUPLICATE_TXID)
  # must not make a collection member wait for its private data: by default
  # the peer tries to pull it for pullRetryThreshold (60 s) and commits
  # nothing meanwhile, so any channel writer could stall the registry's and
  # a platform's peers a minute per old envelope it resends
  # (test/integration/intruders.test.ts).
  # A host cut off from the network drops packets instead of refusing them
  # (issue 21, test/hosts/netns.sh), so a silent orderer must cost little:
  # the gateway gives each orderer 3 s (Fabric: 30 s, past the client's 5 s
  # submit deadline) before trying the next; the block stream pings its
  # orderer after 10 s of silence (Fabric: 60 s + 20 s) and so leaves a
  # cut-off one for another (the orderers accept pings every 5 s); and a peer
  # retries its orderers at most 5 s apart (Fabric: backoff up to an hour), so
  # a host whose link returns catches up within seconds.
  cat >"$dir/node.env" <<ENV
FABRIC_CFG_PATH=$(CONFIG_DIR)
CORE_PEER_ID=$(jq -r .name <<<"$p")
CORE_PEER_LISTENADDRESS=$addr
CORE_PEER_ADDRESS=$addr
CORE_PEER_CHAINCODELISTENADDRESS=$host:$(jq -r .ccPort <<<"$p")
CORE_PEER_CHAINCODEADDRESS=$host:$(jq -r .ccPort <<<"$p")
CORE_PEER_FILESYSTEMPATH=$dir/data
CORE_PEER_MSPCONFIGPATH=$dir/msp
CORE_PEER_LOCALMSPID=$(jq -r .mspId <<<"$org")
CORE_PEER_GOSSIP_BOOTSTRAP="$bootstrap"
CORE_PEER_GOSSIP_ENDPOINT=$addr
CORE_PEER_GOSSIP_EXTERNALENDPOINT=$addr
CORE_PEER_GOSSIP_RECONNECTINTERVAL=5s
CORE_PEER_GOSSIP_MEMBERSHIPTRACKERINTERVAL=1s
CORE_PEER_GOSSIP_DIALTIMEOUT=1s
CORE_PEER_GOSSIP_PVTDATA_PUSHACKTIMEOUT=1s
CORE_PEER_GATEWAY_ENDORSEMENTTIMEOUT=5s
CORE_PEER_AUTHENTICATION_TIMEWINDOW=30s
CORE_PEER_GOSSIP_PVTDATA_SKIPPULLINGINVALIDTRANSACTIONSDURINGCOMMIT=true
CORE_PEER_TLS_ENABLED=true
CORE_PEER_TLS_CERT_FILE=$dir/tls/server.crt
CORE_PEER_TLS_KEY_FILE=$dir/tls/server.key
CORE_PEER_TLS_ROOTCERT_FILE=$dir/tls/ca.crt
CORE_LEDGER_SNAPSHOTS_ROOTDIR=$dir/data/snapshots
CORE_OPERATIONS_LISTENADDRESS=$host:$(jq -r .opsPort <<<"$p")
CORE_METRICS_PROVIDER=prometheus
CORE_PEER_GATEWAY_BROADCASTTIMEOUT=3s
CORE_PEER_KEEPALIVE_DELIVERYCLIENT_INTERVAL=10s
CORE_PEER_KEEPALIVE_DELIVERYCLIENT_TIMEOUT=5s
CORE_PEER_DELIVERYCLIENT_RECONNECTBACKOFFTHRESHOLD=5s
CROWDLEDGER_CC_ADDRESS=$host:$(jq -r .chaincodePort <<<"$p")
CROWDLEDGER_CC_TLS_DIR=$dir/tls
CROWDLEDGER_NODE_BIN=$NODE_BIN
ENV
}

health_url() { jq -r '"http://\(.host):\(.opsPort)/healthz"' <<<"$1"; }

start_orderer() {
  local o="$1"
  write_orderer_env "$o"
  start_node "$(jq -r .name <<<"$o")" "$(jq -r .dir <<<"$o")" "$(jq -r .dir <<<"$o")/node.env" orderer
}

start_orderers() {
  local o
  while read -r o; do start_orderer "$o"; done < <(layout -c '.orgs[].orderers[]')
  while read -r o; do
    wait_healthy "$(jq -r .name <<<"$o")" "$(jq -r .dir <<<"$o")" "$(health_url "$o")"
  done < <(layout -c '.orgs[].orderers[]')
}

start_peer() {
  local org="$1" p="$2"
  write_peer_env "$org" "$p"
  start_node "$(jq -r .name <<<"$p")" "$(jq -r .dir <<<"$p")" "$(jq -r .dir <<<"$p")/node.env" peer node start
}

start_peers() {
  local org p
  while read -r org; do
    while read -r p; do start_peer "$org" "$p"; done < <(jq -c '.peers[]' <<<"$org")
  done < <(layout -c '.orgs[]')
  while read -r p; do
    wait_healthy "$(jq -r .name <<<"$p")" "$(jq -r .dir <<<"$p")" "$(health_url "$p")"
  done < <(layout -c '.orgs[].peers[]')
}

# Environment for running the `peer` CLI as an org's admin against one peer.
peer_cli_env() {
  local org="$1" p="$2" org_dir
  org_dir="$(jq -r .dir <<<"$org")"
  printf '%s\n' \
    "FABRIC_CFG_PATH=$(CONFIG_DIR)" \
    "CORE_PEER_LOCALMSPID=$(jq -r .mspId <<<"$org")" \
    "CORE_PEER_MSPCONFIGPATH=${CORE_PEER_MSPCONFIGPATH_OVERRIDE:-$org_dir/users/admin/msp}" \
    "CORE_PEER_ADDRESS=$(jq -r '"\(.host):\(.port)"' <<<"$p")" \
    "CORE_PEER_TLS_ENABLED=true" \
    "CORE_PEER_TLS_ROOTCERT_FILE=$org_dir/tlsca-cert.pem"
}

# peer_as ORG_JSON PEER_JSON ARGS... — runs the peer CLI as the org's admin.
peer_as() {
  local org="$1" p="$2"
  shift 2
  local vars
  mapfile -t vars < <(peer_cli_env "$org" "$p")
  env "${vars[@]}" peer "$@"
}
