#!/usr/bin/env bash
# Publishes the asset-certificate CA's current CRL into RegistryMSP's channel
# configuration, so every peer and orderer refuses revoked holder
# certificates themselves (evaluate, submit, discovery), not only the
# chaincode. One config update, signed by the registry admin: the MSP value's
# mod_policy is the org's Admins. Revocations made since the last run are
# published together.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
. "$NETWORK_DIR/lib/ca.sh"
. "$NETWORK_DIR/lib/nodes.sh"
. "$NETWORK_DIR/lib/chaincode.sh"

[[ -f "$LAYOUT" ]] || die "no network at $CROWDLEDGER_HOME"
registry="$(layout -c '.orgs[0]')"
registry_dir="$(jq -r .dir <<<"$registry")"
peer="$(jq -c '.peers[0]' <<<"$registry")"
channel="$(layout .channel)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step "Generating the asset-certificate CA's CRL"
CA_TLS_TRUST="$registry_dir/tlsca-cert.pem"
ca_client gencrl -u "$(ca_url "$registry")" --caname assetca -H "$registry_dir/registrars/assetca"
crl="$registry_dir/registrars/assetca/msp/crls/crl.pem"
[[ -s "$crl" ]] || die "fabric-ca-client gencrl wrote no CRL at $crl"
revoked="$(openssl crl -in "$crl" -noout -text | grep -c 'Serial Number' || true)"
info "$revoked revoked certificate(s) in the CRL"

step "Updating RegistryMSP in the channel configuration"
mapfile -t ord < <(orderer_args)
run_logged "fetch config" peer_as "$registry" "$peer" channel fetch config "$work/config.pb" "${ord[@]}" -c "$channel"
run_logged "decode config" configtxlator proto_decode --input "$work/config.pb" --type common.Block --output "$work/block.json"
jq '.data.data[0].payload.data.config' "$work/block.json" >"$work/config.json"
asset_issuer="$(openssl crl -in "$crl" -noout -issuer)"
# The CRLs other issuers (the org CA) put in this copy of the MSP, kept as they
# are: publishing the asset CA's must not drop anyone else's revocations.
other_crls() {
  local b64
  jq -r --arg group "$1" '.channel_group.groups[$group].groups.RegistryMSP.values.MSP.value.config.revocation_list // [] | .[]' \
    "$work/config.json" | while read -r b64; do
    if [[ "$(base64 -d <<<"$b64" | openssl crl -noout -issuer)" != "$asset_issuer" ]]; then
      printf '%s\n' "$b64"
    fi
  done | jq -R . | jq -s .
}
# The registry is an application org and the orderer org: both copies of its
# MSP carry the asset CA's newest CRL, which replaces its older one.
jq --arg crl "$(base64 -w0 "$crl")" --argjson app "$(other_crls Application)" --argjson ord "$(other_crls Orderer)" '
  .channel_group.groups.Application.groups.RegistryMSP.values.MSP.value.config.revocation_list = $app + [$crl]
  | .channel_group.groups.Orderer.groups.RegistryMSP.values.MSP.value.config.revocation_list = $ord + [$crl]' \
  "$work/config.json" >"$work/modified.json"
if cmp -s <(jq -S . "$work/config.json") <(jq -S . "$work/modified.json"); then
  info "the channel already holds this CRL"
  exit 0
fi
run_logged "encode config" configtxlator proto_encode --input "$work/config.json" --type common.Config --output "$work/config.pb"
run_logged "encode modified config" configtxlator proto_encode --input "$work/modified.json" --type common.Config --output "$work/modified.pb"
run_logged "compute update" configtxlator compute_update --channel_id "$channel" \
  --original "$work/config.pb" --updated "$work/modified.pb" --output "$work/update.pb"
run_logged "decode update" configtxlator proto_decode --input "$work/update.pb" --type common.ConfigUpdate --output "$work/update.json"
jq -n --arg channel "$channel" --slurpfile update "$work/update.json" \
  '{payload: {header: {channel_header: {channel_id: $channel, type: 2}}, data: {config_update: $update[0]}}}' \
  >"$work/envelope.json"
run_logged "encode envelope" configtxlator proto_encode --input "$work/envelope.json" --type common.Envelope --output "$work/envelope.pb"
# `peer channel update` signs with the registry admin too; that one signature satisfies the org's Admins.
run_logged "channel update" peer_as "$registry" "$peer" channel update -f "$work/envelope.pb" -c "$channel" "${ord[@]}"
info "published: peers and orderers now refuse the revoked certificates"
