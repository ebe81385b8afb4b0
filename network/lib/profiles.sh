# Connection profiles for the SDK and CLI, one per org: its peers, their TLS
# root, and the identities the network enrolled for it. Sourced.

# A platform's reference secret: 32 random bytes as hex, owner-only, made
# once and never replaced (user IDs are keyed with it; the ledger refuses
# another one). It never leaves the platform but in the transient map.
ensure_reference_secret() {
  local file="$1"
  [[ -s "$file" ]] && return 0
  (umask 077 && openssl rand -hex 32 >"$file")
}

write_profiles() {
  local org key
  mkdir -p "$CROWDLEDGER_HOME/profiles"
  while read -r org; do
    key="$(jq -r .key <<<"$org")"
    if [[ "$(jq -r .kind <<<"$org")" == platform ]]; then
      ensure_reference_secret "$(jq -r .dir <<<"$org")/reference.secret"
    fi
    jq --arg channel "$(layout .channel)" --arg chaincode "$(layout .chaincode)" --argjson registry "$(layout -c '.orgs[0]')" '
      def identity($user): {($user): {cert: "\(.dir)/users/\($user)/msp/signcerts/cert.pem", key: "\(.dir)/users/\($user)/msp/keystore/key.pem"}};
      {
        org: .key,
        mspId: .mspId,
        channel: $channel,
        chaincode: $chaincode,
        peers: [.peers[] as $p | {name: $p.name, endpoint: "\($p.host):\($p.port)", tlsHostname: $p.name, tlsRootCert: "\(.dir)/tlsca-cert.pem"}],
        identities: (identity("admin") + identity("app") + (if .kind == "registry" then identity("auditor") else {} end))
      }
      # Platforms issue their holders asset certificates through their own
      # registrar on the registry'"'"'s asset-certificate CA (R3).
      + (if .kind == "platform" then {
          referenceSecret: "\(.dir)/reference.secret",
          assetCa: {
            url: "https://\($registry.ca.host):\($registry.ca.port)",
            caName: "assetca",
            tlsRootCert: "\($registry.dir)/tlsca-cert.pem",
            registrar: {
              cert: "\($registry.dir)/registrars/assetca-\(.key)/msp/signcerts/cert.pem",
              key: "\($registry.dir)/registrars/assetca-\(.key)/msp/keystore/key.pem"
            }
          }
        } else {} end)' <<<"$org" >"$CROWDLEDGER_HOME/profiles/$key.json"
  done < <(layout -c '.orgs[]')
}
