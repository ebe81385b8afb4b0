#!/usr/bin/env bash
# Deploys the chaincode built from chaincode/ to the running network; a changed
# chaincode or collection config is committed as the next sequence.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
. "$NETWORK_DIR/lib/nodes.sh"
. "$NETWORK_DIR/lib/chaincode.sh"
[[ -f "$LAYOUT" ]] || die "no network at $CROWDLEDGER_HOME: run \`crowdledger network up\` first"
step "Deploying chaincode $(layout .chaincode)"
deploy_chaincode
