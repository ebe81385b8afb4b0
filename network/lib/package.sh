# Chaincode packages in Fabric's format: a tar.gz of metadata.json and
# code.tar.gz. Same code, same bytes (sorted names, owner 0, mtime 0, gzip -n),
# so every peer computes one package ID. Sourced.

# A hash of the built code: the package's version and its label's suffix.
code_version() {
  local type="${1:-ccaas}"
  [[ -f "$REPO_DIR/chaincode/dist/index.js" ]] || die "chaincode is not built: run \`make build\` (npm run build)"
  (
    cd "$REPO_DIR" || exit 1
    # Another package type is another version, committed as the next sequence.
    [[ "$type" == ccaas ]] || printf '%s\n' "$type"
    # The protocol package runs inside the chaincode too.
    find chaincode/dist protocol/dist -type f -name '*.js' | sort | xargs cat
    cat chaincode/package.json protocol/package.json package-lock.json
  ) | sha256sum | cut -c1-12
}

PACKAGE_TAR_OPTS=(--sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 '--mode=u+rwX,go=rX')

# pack_chaincode TYPE LABEL WORK OUT — WORK holds the code.tar.gz's content.
pack_chaincode() {
  local type="$1" label="$2" work="$3" out="$4" outer entries
  outer="$(mktemp -d)"
  # Top-level names, not ".": the peer's own packages carry no "./" entry.
  mapfile -t entries < <(find "$work" -mindepth 1 -maxdepth 1 -printf '%P\n' | sort)
  tar "${PACKAGE_TAR_OPTS[@]}" -C "$work" -cf - "${entries[@]}" | gzip -n >"$outer/code.tar.gz"
  jq -n --arg type "$type" --arg name "$label" '{type: $type, label: $name}' >"$outer/metadata.json"
  tar "${PACKAGE_TAR_OPTS[@]}" -C "$outer" -cf - metadata.json code.tar.gz | gzip -n >"$out"
  rm -rf "$outer"
}

# make_ccaas_package LABEL OUT [CONNECTION_JSON [PORT_OFFSET]] — chaincode as
# a service: the package holds only where the peer dials. This project's
# builder fills in the address and TLS material for each peer, PORT_OFFSET
# (default 0) above the peer's own chaincode port, so a second chaincode name
# gets services of its own beside the same peers; for a stock peer (Fabric's
# ccaas_builder) the caller gives the whole connection.json.
make_ccaas_package() {
  local label="$1" out="$2" connection="${3:-}" port_offset="${4:-0}" work
  work="$(mktemp -d)"
  if [[ -n "$connection" ]]; then
    printf '%s\n' "$connection" >"$work/connection.json"
  else
    jq -n --argjson offset "$port_offset" '{address: "set-by-the-peer-builder", dial_timeout: "10s", tls_required: true}
      + (if $offset > 0 then {port_offset: $offset} else {} end)' >"$work/connection.json"
  fi
  pack_chaincode ccaas "$label" "$work" "$out"
  rm -rf "$work"
}

# stage_node_source DIR — the standard Node chaincode source a stock peer's
# Node builder takes: compiled JavaScript, a package.json whose start script
# runs fabric-chaincode-node, and the workspace package @crowdledger/protocol
# vendored as an npm tarball (it is on no registry), so `npm ci --omit=dev`
# needs the public registry only.
stage_node_source() {
  local src="$1" tgz
  mkdir -p "$src/vendor"
  tgz="$(cd "$REPO_DIR/protocol" && npm pack --silent --ignore-scripts --pack-destination "$src/vendor" | tail -n 1)"
  [[ -f "$src/vendor/$tgz" ]] || die "npm pack of protocol/ wrote no tarball"
  (cd "$REPO_DIR/chaincode" && find dist -type f -name '*.js' -print0 | sort -z | tar --null -T - -cf -) | tar -C "$src" -xf -
  jq --arg protocol "file:vendor/$tgz" '{
      name: "crowdledger-chaincode",
      version,
      description: "CrowdLedger contracts: the standard Node chaincode package",
      license,
      private: true,
      main,
      engines,
      scripts: {start: "fabric-chaincode-node start"},
      dependencies: (.dependencies + {"@crowdledger/protocol": $protocol}),
      overrides: {"class-transformer": .dependencies["class-transformer"]}
    }' "$REPO_DIR/chaincode/package.json" >"$src/package.json"
  # No dependency needs its install script (README: npm runs none).
  printf 'ignore-scripts=true\n' >"$src/.npmrc"
  # The lock pins every transitive version, so every peer installs the same code.
  (cd "$src" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --prefer-offline >/dev/null) ||
    die "npm could not resolve the chaincode's dependencies for its package-lock.json"
}

# make_node_package LABEL OUT — Fabric's type "node" package: code.tar.gz holds src/.
make_node_package() {
  local label="$1" out="$2" work
  work="$(mktemp -d)"
  stage_node_source "$work/src"
  pack_chaincode node "$label" "$work" "$out"
  rm -rf "$work"
}
