#!/usr/bin/env bash
# Adds a crowdfunding platform to a running network, without a rebuild
# (DESIGN §2):
#   add-platform.sh [--peers N]
# The next platform (platform3, …) gets its CA and identities as `up` makes
# them, a registrar on the registry's asset-certificate CA, its org in the
# channel by a config update a majority of the member orgs' admins sign, its
# peers (N, by default as many as the first platform runs) joined from block
# 0, the chaincode installed (and its services started), and a new chaincode
# definition (sequence + 1), approved by every org, whose collections and
# endorsement policy name it. Nothing on the ledger is rewritten.
#
# The layout (layout.json) takes the platform only at the end: until then the
# addition is a plan in $CROWDLEDGER_HOME/add-platform, and `down`, `up` and
# `status` see the network as it was. A step that fails stops the new
# platform's nodes and says what is done; running the script again resumes
# the plan (every step skips what is already done).
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
. "$NETWORK_DIR/lib/process.sh"
. "$NETWORK_DIR/lib/ca.sh"
. "$NETWORK_DIR/lib/nodes.sh"
. "$NETWORK_DIR/lib/channel.sh"
. "$NETWORK_DIR/lib/chaincode.sh"
. "$NETWORK_DIR/lib/profiles.sh"
. "$NETWORK_DIR/lib/platform.sh"

started=$SECONDS
peers=0
while (($# > 0)); do
  case "$1" in
    --peers)
      [[ "${2:-}" =~ ^([1-9]|10)$ ]] || die "--peers takes a number from 1 to 10, not ${2:-nothing}"
      peers="$2"
      shift 2
      ;;
    *) die "usage: add-platform.sh [--peers N]" ;;
  esac
done

[[ -f "$LAYOUT" ]] || die "no network at $CROWDLEDGER_HOME: run \`crowdledger network up\` first"
PLAN_DIR="$CROWDLEDGER_HOME/add-platform"
NETWORK_LAYOUT="$LAYOUT"
# The new org's JSON. Not "org": the EXIT trap runs inside whichever function
# died, and bash's dynamic scope would show it that function's local org.
done_adding=0 ADDED_ORG=""

# On failure: the new platform's nodes stop (the layout does not name them,
# so `down` would not) and the reader learns what is done and how to finish.
on_exit() {
  local rc=$?
  ((rc != 0 && done_adding == 0)) && [[ -n "$ADDED_ORG" ]] || return 0
  local args=() name dir
  while read -r name dir; do args+=("$name" "$dir"); done < <(org_node_dirs "$ADDED_ORG")
  stop_nodes "${args[@]}" >/dev/null 2>&1 || true
  local msp
  msp="$(jq -r .mspId <<<"$ADDED_ORG")"
  printf '\033[31merror:\033[0m %s was not added. ' "$msp" >&2
  if [[ -f "$PLAN_DIR/in-channel" ]]; then
    printf '%s is a member of the channel now, but the chaincode definition does not name it yet, so it cannot endorse; ' "$msp" >&2
  else
    printf 'The channel is as it was; ' >&2
  fi
  printf "its nodes are stopped, its material and the plan are in %s. Run \`crowdledger network add-platform\` again to finish it.\n" \
    "$PLAN_DIR" >&2
}
trap on_exit EXIT

require_running_network

if [[ -f "$PLAN_DIR/org.json" ]]; then
  ADDED_ORG="$(cat "$PLAN_DIR/org.json")"
  step "Resuming the addition of $(jq -r .mspId <<<"$ADDED_ORG") begun earlier ($PLAN_DIR)"
  ((peers == 0 || peers == $(jq '.peers | length' <<<"$ADDED_ORG"))) ||
    die "the addition under way has $(jq '.peers | length' <<<"$ADDED_ORG") peer(s): run it again without --peers to finish it first"
else
  ADDED_ORG="$(new_platform_org "$peers")"
  busy=()
  while read -r port; do
    if port_in_use "$port"; then busy+=("$port"); fi
  done < <(org_ports "$ADDED_ORG")
  if ((${#busy[@]} > 0)); then
    failed_org="$ADDED_ORG" ADDED_ORG=""
    die "ports for $(jq -r .key <<<"$failed_org") already in use: ${busy[*]}"
  fi
  mkdir -p "$PLAN_DIR"
  printf '%s\n' "$ADDED_ORG" >"$PLAN_DIR/org.json"
fi
msp="$(jq -r .mspId <<<"$ADDED_ORG")"
key="$(jq -r .key <<<"$ADDED_ORG")"
# Every function below reads the layout through $LAYOUT: the whole network
# with the new platform, or the new platform alone for what only it needs.
jq --argjson org "$ADDED_ORG" '.orgs += [$org]' "$NETWORK_LAYOUT" >"$PLAN_DIR/layout.json"
jq --argjson org "$ADDED_ORG" '.orgs = [$org]' "$NETWORK_LAYOUT" >"$PLAN_DIR/new-org.json"
LAYOUT="$PLAN_DIR/layout.json"
NEW_ORG_LAYOUT="$PLAN_DIR/new-org.json"
info "$msp ($key): $(jq '.peers | length' <<<"$ADDED_ORG") peer(s), ports $(jq -r .ca.port <<<"$ADDED_ORG")–$(org_ports "$ADDED_ORG" | sort -n | tail -n 1)"

step "$msp: certificate authority and identities"
if [[ -d "$(jq -r .dir <<<"$ADDED_ORG")/msp" ]]; then
  start_ca "$ADDED_ORG"
  info "created before; CA running"
else
  # A setup cut short leaves a CA database half made: start that org over.
  stop_node "$(jq -r .ca.name <<<"$ADDED_ORG")" "$(jq -r .ca.dir <<<"$ADDED_ORG")" >/dev/null 2>&1
  rm -rf "$(jq -r .dir <<<"$ADDED_ORG")" "$(jq -r .ca.dir <<<"$ADDED_ORG")"
  while read -r p; do rm -rf "$(jq -r .dir <<<"$p")" "$(chaincode_service_dir "$p")"; done < <(jq -c '.peers[]' <<<"$ADDED_ORG")
  bootstrap_org_crypto "$ADDED_ORG"
  info "CA up, identities enrolled"
fi

step "$key's registrar on the registry's asset-certificate CA"
registry="$(layout -c '.orgs[0]')"
add_asset_ca_registrar "$registry" "$key"
# The CA's config lists every platform's affiliation, as `up` writes it.
write_ca_config "$registry" ""
info "registrar.$key enrolled under affiliation $key"

step "Channel $(layout .channel): adding $msp by a configuration update"
add_org_to_channel "$ADDED_ORG" "$PLAN_DIR/channel"
touch "$PLAN_DIR/in-channel"

step "Starting $msp's peers and joining them to $(layout .channel)"
LAYOUT="$NEW_ORG_LAYOUT" start_peers
join_org_peers "$ADDED_ORG" "$PLAN_DIR/channel"

step "Chaincode $(layout .chaincode) on $msp's peers"
package_id="$(cat "$CC_DIR/package-id")"
version="$(committed_field version)"
pkg="$CC_DIR/$(layout .chaincode)_$version.tar.gz"
[[ -f "$pkg" ]] || die "the committed package $pkg is missing: redeploy with \`crowdledger chaincode deploy\`"
[[ "$(FABRIC_CFG_PATH="$(CONFIG_DIR)" peer lifecycle chaincode calculatepackageid "$pkg")" == "$package_id" ]] ||
  die "$pkg is not the running package $package_id"
LAYOUT="$NEW_ORG_LAYOUT" install_everywhere "$pkg" "$package_id"
if [[ "$(chaincode_type)" == ccaas ]]; then
  LAYOUT="$NEW_ORG_LAYOUT" start_chaincode_services "$package_id"
  info "chaincode services started"
fi

step "Chaincode definition naming $msp (collection ${msp}Private, endorsement term AND(RegistryMSP, $msp))"
write_collections
if definition_has_collection "${msp}Private"; then
  info "the committed definition already names $msp (sequence $(committed_field sequence))"
else
  commit_definition_for_all "$version" "$package_id" "$(($(committed_field sequence) + 1))"
fi
sha256sum <"$CC_DIR/collections.json" | cut -c1-16 >"$CC_DIR/collections.sha"

step "Recording $key in the network layout and writing its connection profile"
write_profiles
cp "$LAYOUT" "$NETWORK_LAYOUT.new"
mv "$NETWORK_LAYOUT.new" "$NETWORK_LAYOUT"
done_adding=1
rm -rf "$PLAN_DIR"

step "Waiting for gossip and a transaction of $key's application to commit"
LAYOUT="$NETWORK_LAYOUT"
wait_for 90 "" all_peers_know_each_other || die "peers did not all learn of each other through gossip in 90 s"
wait_for 60 "" platform_who_am_i "$ADDED_ORG" || {
  platform_who_am_i "$ADDED_ORG" || true
  die "$key's application could not submit through $(jq -r '.peers[0].name' <<<"$ADDED_ORG") in 60 s"
}
info "$msp added in $((SECONDS - started)) s; profile $CROWDLEDGER_HOME/profiles/$key.json"
