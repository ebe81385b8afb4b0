#!/usr/bin/env bash
# Shuts a compromised identity of an organisation (a platform's application
# certificate, an admin's, a peer's) out of the channel:
#   publish-crl.sh ORG [ENROLLMENT_ID]
# revokes ENROLLMENT_ID at the org's own CA when given, then writes that CA's
# CRL into the org's MSP in the channel configuration, so every peer and
# orderer refuses the revoked certificates (evaluate, submit, discovery,
# deliver). One config update, signed by the org's admin: the MSP value's
# mod_policy is the org's Admins. Holders' asset certificates need none of
# this: they are in no channel MSP, and the ledger's record refuses a revoked
# one from the next block.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
. "$NETWORK_DIR/lib/ca.sh"
. "$NETWORK_DIR/lib/nodes.sh"
. "$NETWORK_DIR/lib/channel.sh"
. "$NETWORK_DIR/lib/chaincode.sh"

(($# >= 1 && $# <= 2)) || die "usage: publish-crl.sh ORG [ENROLLMENT_ID]  (ORG: registry, platform1, …)"
key="$1" revoke="${2:-}"
[[ -f "$LAYOUT" ]] || die "no network at $CROWDLEDGER_HOME"
# shellcheck disable=SC2016 # a jq variable, not a shell one
org="$(layout -c --arg k "$key" '.orgs[] | select(.key == $k)')"
[[ -n "$org" ]] || die "no organisation $key in $LAYOUT"
org_dir="$(jq -r .dir <<<"$org")"
msp="$(jq -r .mspId <<<"$org")"
peer="$(jq -c '.peers[0]' <<<"$org")"
channel="$(layout .channel)"
registrar="$org_dir/registrars/ca"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
CA_TLS_TRUST="$org_dir/tlsca-cert.pem"

if [[ -n "$revoke" ]]; then
  [[ "$revoke" =~ ^[A-Za-z0-9._@-]{1,64}$ ]] || die "not an enrollment ID: $revoke"
  step "Revoking $revoke at $msp's CA"
  ca_client revoke -u "$(ca_url "$org")" --caname ca -H "$registrar" -e "$revoke" -r keycompromise
fi

step "Generating $msp's CRL"
ca_client gencrl -u "$(ca_url "$org")" --caname ca -H "$registrar"
crl="$registrar/msp/crls/crl.pem"
[[ -s "$crl" ]] || die "fabric-ca-client gencrl wrote no CRL at $crl"
revoked="$(openssl crl -in "$crl" -noout -text | grep -c 'Serial Number' || true)"
info "$revoked revoked certificate(s) in the CRL"

step "Updating $msp in the channel configuration"
mapfile -t ord < <(orderer_args)
run_logged "fetch config" peer_as "$org" "$peer" channel fetch config "$work/config.pb" "${ord[@]}" -c "$channel"
run_logged "decode config" configtxlator proto_decode --input "$work/config.pb" --type common.Block --output "$work/block.json"
jq '.data.data[0].payload.data.config' "$work/block.json" >"$work/config.json"
issuer="$(openssl crl -in "$crl" -noout -issuer)"
# CRLs of other issuers in this copy of the MSP stay as they are; this CA's
# newest CRL replaces its older one.
other_crls() {
  local b64
  jq -r --arg group "$1" --arg msp "$msp" '.channel_group.groups[$group].groups[$msp].values.MSP.value.config.revocation_list // [] | .[]' \
    "$work/config.json" | while read -r b64; do
    if [[ "$(base64 -d <<<"$b64" | openssl crl -noout -issuer)" != "$issuer" ]]; then
      printf '%s\n' "$b64"
    fi
  done | jq -R . | jq -s .
}
# The revoked serials of a CRL (PEM or DER on stdin), sorted: a CRL made again
# differs in its dates, not in what it revokes.
revoked_serials() { openssl crl -noout -text 2>/dev/null | sed -n 's/.*Serial Number: *//p' | sort; }
published_serials() {
  local b64
  jq -r --arg msp "$msp" '.channel_group.groups.Application.groups[$msp].values.MSP.value.config.revocation_list // [] | .[]' \
    "$work/config.json" | while read -r b64; do
    if [[ "$(base64 -d <<<"$b64" | openssl crl -noout -issuer)" == "$issuer" ]]; then
      base64 -d <<<"$b64" | revoked_serials
      echo published
    fi
  done
}
if [[ "$(published_serials)" == "$(revoked_serials <"$crl"; echo published)" ]]; then
  info "the channel already holds these revocations"
  exit 0
fi
# The registry is an application org and the orderer org: both copies of its MSP take the CRL.
jq --arg msp "$msp" --arg crl "$(base64 -w0 "$crl")" --argjson app "$(other_crls Application)" --argjson ord "$(other_crls Orderer)" '
  .channel_group.groups.Application.groups[$msp].values.MSP.value.config.revocation_list = $app + [$crl]
  | if .channel_group.groups.Orderer.groups[$msp] == null then .
    else .channel_group.groups.Orderer.groups[$msp].values.MSP.value.config.revocation_list = $ord + [$crl] end' \
  "$work/config.json" >"$work/modified.json"
config_update_envelope "$work"
# `peer channel update` signs with the org's admin; that one signature satisfies the org's Admins.
run_logged "channel update" peer_as "$org" "$peer" channel update -f "$work/envelope.pb" -c "$channel" "${ord[@]}"
info "published: peers and orderers now refuse $msp's revoked certificates"
