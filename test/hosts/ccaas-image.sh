#!/usr/bin/env bash
# Proves the chaincode service's OCI image where no container can run: builds
# it with `crowdledger chaincode package --type ccaas --image`, unpacks its
# root file system from the OCI archive (index → manifest → layers), reads its
# entrypoint, environment and user from the image config, and runs that
# entrypoint chrooted into the unpacked root, as the image's user, in place of
# every peer's chaincode service of the running ccaas network at
# $CROWDLEDGER_HOME. The services stay the image's until `network down`;
# test/hosts/run.sh then runs integration tests against them.
set -euo pipefail
. "$(dirname "$0")/../../network/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
[[ -f "$LAYOUT" && "$(layout '.chaincodeType // "ccaas"')" == ccaas ]] ||
  die "needs a running ccaas network at $CROWDLEDGER_HOME (crowdledger network up)"
((EUID == 0)) || die "chroot needs root"

out="$CROWDLEDGER_HOME/image"
rm -rf "$out"
mkdir -p "$out/oci" "$out/rootfs"
step "Building the chaincode service image (buildah, vfs, from scratch)"
node "$REPO_DIR/cli/dist/main.js" chaincode package --type ccaas --out "$out" --image "$out/image.oci.tar" >"$out/package.json"
info "$(jq -r '"\(.imageTag): \(.image)"' "$out/package.json") ($(du -h "$out/image.oci.tar" | cut -f1))"

step "Unpacking its root file system"
tar -xf "$out/image.oci.tar" -C "$out/oci"
blob() { printf '%s/oci/blobs/sha256/%s' "$out" "${1#sha256:}"; }
manifest="$(blob "$(jq -r '.manifests[0].digest' "$out/oci/index.json")")"
config="$(blob "$(jq -r .config.digest "$manifest")")"
while read -r layer; do
  tar -xf "$(blob "$layer")" -C "$out/rootfs"
done < <(jq -r '.layers[].digest' "$manifest")
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "$config")
mapfile -t image_env < <(jq -r '.config.Env // [] | .[]' "$config")
user="$(jq -r '.config.User' "$config")"
info "entrypoint ${entrypoint[*]}, user $user, $(find "$out/rootfs" -type f | wc -l) files"

step "Running the image's entrypoint as every peer's chaincode service"
package_id="$(cat "$CROWDLEDGER_HOME/chaincode/package-id")"
# env -i leaves no PATH: name the host's chroot by its path.
chroot_bin="$(command -v chroot)"
chmod 755 "$out" "$out/rootfs"
while read -r org; do
  while read -r p; do
    name="cc.$(jq -r .name <<<"$p")"
    dir="$(dirname "$(jq -r .dir <<<"$p")")/$name"
    stop_node "$name" "$dir"
    # The service's TLS material, readable by the image's user only.
    tls="$out/rootfs/tls/$name"
    mkdir -p "$tls"
    cp "$dir/tls/server.crt" "$dir/tls/server.key" "$dir/tls/ca.crt" "$tls/"
    chown -R "$user" "$tls"
    chmod 755 "$out/rootfs/tls"
    start_node "$name" "$dir" "" env -i "${image_env[@]}" \
      CORE_CHAINCODE_ID="$package_id" \
      CORE_CHAINCODE_ADDRESS="$(jq -r '"\(.host):\(.chaincodePort)"' <<<"$p")" \
      CORE_PEER_LOCALMSPID="$(jq -r .mspId <<<"$org")" \
      CORE_CHAINCODE_TLS_CERT_FILE="/tls/$name/server.crt" \
      CORE_CHAINCODE_TLS_KEY_FILE="/tls/$name/server.key" \
      CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE="/tls/$name/ca.crt" \
      "$chroot_bin" --userspec="$user" "$out/rootfs" "${entrypoint[@]}"
  done < <(jq -c '.peers[]' <<<"$org")
done < <(layout -c '.orgs[]')

while read -r name port dir; do
  wait_for 30 "" bash -c "ss -Hltn 'sport = :$port' | grep -q ." || {
    tail -n 20 "$dir/node.log" >&2
    die "$name from the image did not listen on $port"
  }
  pid="$(cat "$dir/pid")"
  # The process is the image's node, chrooted, as the image's user.
  [[ "$(readlink "/proc/$pid/root")" == "$out/rootfs" ]] || die "$name (pid $pid) is not running in the image's root"
  [[ "$(stat -c %u "/proc/$pid")" == "${user%%:*}" ]] || die "$name (pid $pid) does not run as $user"
  info "$name: pid $pid, root $out/rootfs, uid ${user%%:*}"
done < <(layout -r '.orgs[].peers[] | "cc.\(.name) \(.chaincodePort) \((.dir | sub("/[^/]*$"; "")) + "/cc.\(.name)")"')
