#!/usr/bin/env bash
# Shows the last lines of one node's log, or of every node's.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
node="${1:-}"
lines="${2:-20}"
[[ -d "$CROWDLEDGER_HOME/nodes" ]] || die "no network at $CROWDLEDGER_HOME"
if [[ -n "$node" ]]; then
  log="$CROWDLEDGER_HOME/nodes/$node/node.log"
  [[ -f "$log" ]] || die "no node named $node (nodes: $(cd "$CROWDLEDGER_HOME/nodes" && echo *))"
  tail -n "$lines" "$log"
  exit 0
fi
for log in "$CROWDLEDGER_HOME"/nodes/*/node.log; do
  printf '\033[1m== %s ==\033[0m\n' "$(basename "$(dirname "$log")")"
  tail -n "$lines" "$log"
done
