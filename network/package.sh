#!/usr/bin/env bash
# Writes a chaincode package of the built chaincode, for peers this project
# did not set up (`crowdledger chaincode package`):
#   --type node   the standard Node package a stock peer builds and launches
#   --type ccaas  chaincode as a service: connection.json for Fabric's
#                 ccaas_builder (--address, TLS files), and with --image the
#                 service itself as an OCI archive (built by buildah, no Docker)
# Prints the package's path, label and package ID.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/package.sh"

usage() {
  die "usage: package.sh --type node|ccaas [--out FILE|DIR] [--label LABEL] [--address HOST:PORT] [--root-cert PEM] [--client-cert PEM --client-key PEM] [--image FILE]"
}

type="" out="" label="" address="crowdledger-chaincode:9999" root_cert="" client_cert="" client_key="" image=""
while (($# > 0)); do
  (($# >= 2)) || usage
  case "$1" in
    --type) type="$2" ;;
    --out) out="$2" ;;
    --label) label="$2" ;;
    --address) address="$2" ;;
    --root-cert) root_cert="$2" ;;
    --client-cert) client_cert="$2" ;;
    --client-key) client_key="$2" ;;
    --image) image="$2" ;;
    *) usage ;;
  esac
  shift 2
done
[[ "$type" == node || "$type" == ccaas ]] || die "--type must be node or ccaas"
[[ "$type" == ccaas || (-z "$image" && -z "$root_cert" && -z "$client_cert" && -z "$client_key") ]] ||
  die "--image, --root-cert, --client-cert and --client-key go with --type ccaas only"
[[ -z "$client_cert$client_key" || (-n "$client_cert" && -n "$client_key" && -n "$root_cert") ]] ||
  die "mutual TLS needs --root-cert, --client-cert and --client-key together"
[[ "$address" =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] || die "--address must be host:port, not $address"
for f in "$root_cert" "$client_cert" "$client_key"; do
  [[ -z "$f" || -r "$f" ]] || die "cannot read $f"
done

version="$(code_version "$type")"
label="${label:-$(jq -r .chaincode "$NETWORK_DIR/settings.json")_$version}"
[[ "$label" =~ ^[A-Za-z0-9_.+-]+$ ]] || die "--label may hold letters, digits and _ . + - only, not $label"
# A folder (the default: this one) gets the package under its label's name.
out="${out:-$PWD}"
[[ ! -d "$out" ]] || out="${out%/}/$label.$type.tar.gz"

if [[ "$type" == node ]]; then
  make_node_package "$label" "$out"
else
  # Fabric's ccaas_builder copies connection.json as it is: the address the
  # peer dials and, for TLS, the root of the service's certificate (and the
  # peer's client pair when the service requires client authentication).
  make_ccaas_package "$label" "$out" "$(jq -n --arg address "$address" \
    --arg root "$([[ -z "$root_cert" ]] || cat "$root_cert")" \
    --arg cert "$([[ -z "$client_cert" ]] || cat "$client_cert")" \
    --arg key "$([[ -z "$client_key" ]] || cat "$client_key")" '
    {address: $address, dial_timeout: "10s", tls_required: ($root != "")}
    + (if $root != "" then {root_cert: $root} else {} end)
    + (if $cert != "" then {client_auth_required: true, client_cert: $cert, client_key: $key} else {} end)')"
fi
chmod 0644 "$out"
package_id="$label:$(sha256sum <"$out" | cut -c1-64)"
if [[ -n "$image" ]]; then
  . "$NETWORK_DIR/lib/image.sh"
  make_ccaas_image "$image" "crowdledger-chaincode:$version"
  chmod 0644 "$image"
fi
jq -n --arg package "$out" --arg name "$label" --arg id "$package_id" --arg type "$type" --arg image "$image" \
  --arg tag "crowdledger-chaincode:$version" \
  '{package: $package, type: $type, label: $name, packageId: $id} + (if $image != "" then {image: $image, imageTag: $tag} else {} end)'
