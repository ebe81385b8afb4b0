# Where each node runs: its host address comes from the layout (settings.json
# `hosts`, or the CROWDLEDGER_HOSTS file), and a node placed in a network
# namespace (`netns`) is started there with `ip netns exec`, so one machine
# can stand in for several hosts. Sourced (by process.sh).

# The namespace of the named node, empty when it runs in the caller's. A
# chaincode service (`cc.<peer>`, or `cc-<name>.<peer>` for a second
# chaincode) runs beside its peer: the peer dials it at the peer's address.
node_netns() {
  local name="$1"
  [[ -f "$LAYOUT" ]] || return 0
  # shellcheck disable=SC2016 # jq variables, not shell ones
  layout --arg n "$name" --arg peer "$(sed -E 's/^cc(-[^.]*)?\.//' <<<"$name")" \
    '[.orgs[] | .ca, (.orderers // [])[], .peers[]
      | select(.name == $n or (.name == $peer and ($n | startswith("cc")))) | .netns // empty] | first // empty'
}

# netns_run NETNS CMD... — CMD in that namespace, or here when NETNS is empty.
netns_run() {
  local ns="$1"
  shift
  if [[ -n "$ns" ]]; then
    ip netns exec "$ns" "$@"
  else
    "$@"
  fi
}

# Every namespace the layout places a node in must exist before `up`, and
# entering one needs root: say so instead of failing node by node.
check_placement() {
  local namespaces ns
  mapfile -t namespaces < <(layout '[.orgs[] | .ca, (.orderers // [])[], .peers[] | .netns // empty] | unique | .[]')
  ((${#namespaces[@]} == 0)) && return 0
  if [[ "$(id -u)" != 0 ]] || ! command -v ip >/dev/null; then
    die "the layout places nodes in network namespaces (${namespaces[*]}): that needs root and \`ip netns\`"
  fi
  local existing
  existing="$(ip netns list 2>/dev/null | cut -d' ' -f1)"
  for ns in "${namespaces[@]}"; do
    grep -qxF "$ns" <<<"$existing" || die "network namespace $ns (named in the layout) does not exist; create it first (ip netns add $ns)"
  done
}
