# The chaincode service as an OCI image, built without Docker: Debian's
# buildah assembles it `from scratch` with the vfs storage driver (no overlay,
# no daemon) in a storage folder of its own, removed after. The image holds
# the pinned Node.js binary and the shared libraries it links, the standard
# Node source (lib/package.sh) with its production dependencies, and runs
# `fabric-chaincode-node server` as an unprivileged user. Sourced.

IMAGE_APP=/app
IMAGE_USER=65532

# stage_image_root DIR — the image's whole file system.
stage_image_root() {
  local root="$1" node lib
  node="$NODE_BIN/node"
  install -D -m 0755 "$node" "$root/usr/local/bin/node"
  # Every library the binary links, and the loader, at the paths it asks for.
  while read -r lib; do
    install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
  done < <(ldd "$node" | grep -o '/[^ ]*')
  stage_node_source "$root$IMAGE_APP"
  (cd "$root$IMAGE_APP" && npm ci --omit=dev --no-audit --no-fund --prefer-offline >/dev/null) ||
    die "npm ci of the chaincode's production dependencies failed"
  mkdir -p "$root/etc" "$root/tmp"
  printf 'root:x:0:0::/:/sbin/nologin\nchaincode:x:%s:%s::/:/sbin/nologin\n' "$IMAGE_USER" "$IMAGE_USER" >"$root/etc/passwd"
  printf 'root:x:0:\nchaincode:x:%s:\n' "$IMAGE_USER" >"$root/etc/group"
  # Scripts here make files owner-only; in the image the service's user reads them.
  chmod -R u+rwX,go=rX "$root"
  chmod 1777 "$root/tmp"
}

# make_ccaas_image OUT TAG — writes the image as an OCI archive (a tar of an
# OCI image layout) to OUT.
make_ccaas_image() {
  local out="$1" tag="$2" work storage ctr
  command -v buildah >/dev/null || die "buildah is not installed: run bash network/install-buildah.sh (Debian package)"
  work="$(mktemp -d)"
  storage=(--root "$work/storage" --runroot "$work/run" --storage-driver vfs)
  stage_image_root "$work/rootfs"
  ctr="$(buildah "${storage[@]}" from scratch)"
  buildah "${storage[@]}" copy --chown 0:0 "$ctr" "$work/rootfs" / >/dev/null
  buildah "${storage[@]}" config \
    --entrypoint '["/usr/local/bin/node", "'"$IMAGE_APP"'/node_modules/fabric-shim/cli.js", "server", "--module-path", "'"$IMAGE_APP"'"]' \
    --workingdir "$IMAGE_APP" --user "$IMAGE_USER:$IMAGE_USER" --port 9999 \
    --env CORE_CHAINCODE_ADDRESS=0.0.0.0:9999 --env CORE_CHAINCODE_LOGGING_LEVEL=warning \
    --env NODE_ENV=production \
    --label org.opencontainers.image.title=crowdledger-chaincode \
    --label org.opencontainers.image.description="CrowdLedger chaincode service (fabric-chaincode-node server)" \
    "$ctr"
  buildah "${storage[@]}" commit --format oci --rm "$ctr" "oci-archive:$out:$tag" >/dev/null
  # vfs keeps one full copy per layer: gone with the storage folder.
  rm -rf "$work"
}
