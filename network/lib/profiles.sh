# Connection profiles for the SDK and CLI, one per org: its peers, their TLS
# root, and the identities the network enrolled for it. Sourced.

write_profiles() {
  local org key
  mkdir -p "$CROWDLEDGER_HOME/profiles"
  while read -r org; do
    key="$(jq -r .key <<<"$org")"
    jq --arg channel "$(layout .channel)" --arg chaincode "$(layout .chaincode)" '
      def identity($user): {($user): {cert: "\(.dir)/users/\($user)/msp/signcerts/cert.pem", key: "\(.dir)/users/\($user)/msp/keystore/key.pem"}};
      {
        org: .key,
        mspId: .mspId,
        channel: $channel,
        chaincode: $chaincode,
        peers: [.peers[] as $p | {name: $p.name, endpoint: "\($p.host):\($p.port)", tlsHostname: $p.name, tlsRootCert: "\(.dir)/tlsca-cert.pem"}],
        identities: (identity("admin") + identity("app") + (if .kind == "registry" then identity("auditor") else {} end))
      }' <<<"$org" >"$CROWDLEDGER_HOME/profiles/$key.json"
  done < <(layout -c '.orgs[]')
}
