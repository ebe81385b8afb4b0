# The ordering service's consensus: Raft (etcdraft, the default) or Fabric
# v3's SmartBFT ("bft"). Everything that differs between the two lives here:
# the orderer count a layout gets, the channel config's consensus section and
# the orderers' own settings. Sourced.

# SmartBFT tolerates f faulty orderers out of 3f+1: four is the least that
# survives one stopped (or lying) orderer.
BFT_MIN_ORDERERS=4

# The consensus type a new layout gets: CROWDLEDGER_ORDERING, else settings.json.
ordering_setting() {
  local settings="$NETWORK_DIR/settings.json"
  printf '%s\n' "${CROWDLEDGER_ORDERING:-$(jq -r '.ordering // "raft"' "$settings")}"
}

# The orderer count a new layout gets. An explicit CROWDLEDGER_ORDERERS is
# taken as it is (and checked in check_ordering); settings.json's count of 3
# is Raft's and becomes BFT's least, 4, under bft.
ordering_orderer_count() {
  local ordering="$1" settings="$NETWORK_DIR/settings.json" count
  if [[ -n "${CROWDLEDGER_ORDERERS:-}" ]]; then
    printf '%s\n' "$CROWDLEDGER_ORDERERS"
    return
  fi
  count="$(jq .orderers "$settings")"
  if [[ "$ordering" == bft && "$count" == 3 ]]; then
    count=$BFT_MIN_ORDERERS
  fi
  printf '%s\n' "$count"
}

# Fails (and drops the layout just written) when the ordering is unknown or
# has too few orderers to be BFT.
check_ordering() {
  local ordering count
  ordering="$(jq -r '.ordering // "raft"' "$LAYOUT")"
  count="$(jq '[.orgs[].orderers[]] | length' "$LAYOUT")"
  if [[ "$ordering" != raft && "$ordering" != bft ]]; then
    rm -f "$LAYOUT"
    die "ordering must be raft or bft, not $ordering"
  fi
  if [[ "$ordering" == bft ]] && ((count < BFT_MIN_ORDERERS)); then
    rm -f "$LAYOUT"
    die "BFT ordering needs at least $BFT_MIN_ORDERERS orderers (3f+1 to survive f faulty ones), not $count: set orderers to 4 or more, or leave it at 3 for bft to use 4"
  fi
}

ordering() { layout '.ordering // "raft"'; }

# configtx.yaml's consensus keys of the Orderer section (indented for the
# CrowdLedger profile), for the layout's ordering.
orderer_consensus_yaml() {
  if [[ "$(ordering)" == bft ]]; then
    bft_consensus_yaml
    return
  fi
  echo "      OrdererType: etcdraft"
  echo "      EtcdRaft:"
  echo "        Consenters:"
  layout '.orgs[].orderers[] | "          - {Host: \(.host), Port: \(.port), ClientTLSCert: \(.dir)/tls/server.crt, ServerTLSCert: \(.dir)/tls/server.crt}"'
  echo "        Options: {TickInterval: 500ms, ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: 16 MB}"
}

# SmartBFT: every consenter is named by a number and its signing certificate
# (Identity): blocks carry quorum signatures that name the signer by that
# number only, and configtxgen turns the mapping into the BlockValidation
# policy (quorum of these identities), whatever configtx.yaml says there.
# Every option must be given: a missing one is zero, which the orderer refuses.
# The timeouts are shorter than SmartBFT's defaults (complain 20 s, heartbeat
# 1 min) so that a stopped leader is replaced within seconds, not a minute;
# RequestBatchMaxInterval plays BatchTimeout's part (BatchSize still caps a
# block). Leader rotation is off (configtxgen forces it).
bft_consensus_yaml() {
  echo "      OrdererType: BFT"
  echo "      ConsenterMapping:"
  # shellcheck disable=SC2016 # jq variables
  layout '[.orgs[] | .mspId as $msp | .orderers[] | {msp: $msp} + .] | to_entries[]
    | "        - {ID: \(.key + 1), Host: \(.value.host), Port: \(.value.port), MSPID: \(.value.msp), Identity: \(.value.dir)/msp/signcerts/cert.pem, ClientTLSCert: \(.value.dir)/tls/server.crt, ServerTLSCert: \(.value.dir)/tls/server.crt}"'
  cat <<YAML
      SmartBFT:
        RequestBatchMaxCount: 100
        RequestBatchMaxBytes: 10485760
        RequestBatchMaxInterval: $(layout .batchTimeout)
        IncomingMessageBufferSize: 200
        RequestPoolSize: 100000
        RequestForwardTimeout: 1s
        RequestComplainTimeout: 4s
        RequestAutoRemoveTimeout: 3m0s
        ViewChangeResendInterval: 2s
        ViewChangeTimeout: 8s
        LeaderHeartbeatTimeout: 6s
        LeaderHeartbeatCount: 10
        CollectTimeout: 1s
        SyncOnStart: false
        SpeedUpViewChange: false
YAML
}

# Orderer settings beyond lib/nodes.sh's, appended to its node.env (a later
# line wins when the file is sourced).
ordering_orderer_env() {
  local o="$1" dir
  [[ "$(ordering)" == bft ]] || return 0
  dir="$(jq -r .dir <<<"$o")"
  echo "ORDERER_CONSENSUS_WALDIR=$dir/data/smartbft/wal"
}
