#!/usr/bin/env bash
# deploy-extra.sh NAME MODULE_DIR — deploys a second chaincode name on the
# running network's channel, with the network's endorsement policy and no
# private data collections, from a Node module whose package.json `main`
# exports `contracts`. Its services run beside every peer, one port above the
# peer's own chaincode service; `down` and `clean` stop them. `make bench`
# deploys its baseline this way; the default network never runs one.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
. "$NETWORK_DIR/lib/nodes.sh"
. "$NETWORK_DIR/lib/chaincode.sh"
(($# == 2)) || die "usage: deploy-extra.sh NAME MODULE_DIR"
[[ -f "$LAYOUT" ]] || die "no network at $CROWDLEDGER_HOME: run \`crowdledger network up\` first"
name="$1"
module="$(cd "$2" && pwd)"
step "Deploying chaincode $name from $module"
deploy_extra_chaincode "$name" "$module"
info "$name committed; services started"
