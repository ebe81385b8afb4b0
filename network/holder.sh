#!/usr/bin/env bash
# Issues an asset certificate (R3) from the registry's asset-certificate CA, by
# hand, for operators and tests (platforms issue through the SDK):
#   holder.sh PLATFORM ASSET_ID HOLDER_ID OUT_DIR
# The platform's own registrar registers a fresh random enrollment ID, which
# no other registrar could have taken first. Prints the certificate and key
# paths and the enrollment ID as JSON.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
. "$NETWORK_DIR/lib/ca.sh"

(($# == 4)) || die "usage: holder.sh PLATFORM ASSET_ID HOLDER_ID OUT_DIR"
platform="$1" asset="$2" holder="$3" out="$4"
[[ "$asset$holder" =~ ^[A-Za-z0-9_-]+$ ]] || die "asset and holder IDs may hold only letters, digits, _ and -"
[[ -f "$LAYOUT" ]] || die "no network at $CROWDLEDGER_HOME"
registry="$(layout -c '.orgs[0]')"
registry_dir="$(jq -r .dir <<<"$registry")"
registrar="$registry_dir/registrars/assetca-$platform"
[[ -d "$registrar" ]] || die "no asset-CA registrar for platform $platform"
CA_TLS_TRUST="$registry_dir/tlsca-cert.pem"

# The form the ledger accepts (holder- and 40 hex digits), from randomness
# nobody can predict: an ID derived from public ledger data could be
# registered first by another platform's registrar and block this issuance.
id="holder-$(openssl rand -hex 20)"
secret="$(random_secret)"
url="$(ca_url "$registry")"
ca_client register -u "$url" --caname assetca -H "$registrar" \
  --id.name "$id" --id.secret "$secret" --id.type client --id.affiliation "$platform" \
  --id.attrs "crowdledger.asset=$asset:ecert,crowdledger.holder=$holder:ecert"
mkdir -p "$out"
ca_client enroll -u "https://$id:$secret@${url#https://}" --caname assetca -H "$out" -M "$out/msp" --csr.names "C=CN,O=$platform"
mv "$out"/msp/keystore/*_sk "$out/msp/keystore/key.pem"
rm -f "$out/fabric-ca-client-config.yaml"
jq -n --arg cert "$out/msp/signcerts/cert.pem" --arg key "$out/msp/keystore/key.pem" --arg id "$id" \
  '{cert: $cert, key: $key, enrollmentId: $id}'
