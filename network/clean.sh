#!/usr/bin/env bash
# Stops the network and deletes everything it wrote: crypto, ledgers, logs.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
bash "$NETWORK_DIR/down.sh"
case "$CROWDLEDGER_HOME" in
  "" | / | "$HOME" | "$REPO_DIR") die "refusing to delete $CROWDLEDGER_HOME" ;;
esac
rm -rf "$CROWDLEDGER_HOME"
info "removed $CROWDLEDGER_HOME"
