# Starting and stopping the network's native processes. Each node owns a
# folder with its data, `node.log` and `pid`. Sourced, never executed.

# shellcheck source=hosts.sh
. "$NETWORK_DIR/lib/hosts.sh"

node_pid() {
  local dir="$1"
  [[ -f "$dir/pid" ]] && cat "$dir/pid"
}

node_alive() {
  local pid
  pid="$(node_pid "$1")" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# start_node NAME DIR ENV_FILE CMD... — runs CMD detached (its own session, so
# it outlives the calling shell) with the variables in ENV_FILE, inside the
# node's network namespace when the layout places it in one (`ip netns exec`
# execs CMD itself, so the pid file still names the node's process).
start_node() {
  local name="$1" dir="$2" env_file="$3"
  shift 3
  local ns
  ns="$(node_netns "$name")"
  [[ -z "$ns" ]] || set -- ip netns exec "$ns" "$@"
  if node_alive "$dir"; then
    info "$name already running (pid $(node_pid "$dir"))"
    return
  fi
  mkdir -p "$dir"
  printf '\n=== %s starting %s ===\n' "$(date -u +%FT%TZ)" "$name" >>"$dir/node.log"
  (
    set -a
    # shellcheck disable=SC1090
    [[ -n "$env_file" ]] && . "$env_file"
    set +a
    exec setsid "$@" >>"$dir/node.log" 2>&1 </dev/null
  ) &
  echo "$!" >"$dir/pid"
}

stop_node() { stop_nodes "$1" "$2"; }

# stop_nodes NAME DIR [NAME DIR]... — signals them all at once (each takes 1-2 s
# to shut down cleanly), then waits; SIGKILL after 10 s.
stop_nodes() {
  local names=() pids=() dirs=()
  while (($# >= 2)); do
    local pid
    pid="$(node_pid "$2")" || pid=""
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      names+=("$1")
      pids+=("$pid")
    fi
    dirs+=("$2")
    shift 2
  done
  local deadline=$((SECONDS + 10)) i
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.1
    done
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      info "${names[$i]} did not stop in 10 s; killing it"
      kill -9 "${pids[$i]}" 2>/dev/null || true
    fi
    info "stopped ${names[$i]} (pid ${pids[$i]})"
  done
  for i in "${!dirs[@]}"; do rm -f "${dirs[$i]}/pid"; done
}

# Fails with the node's name and log when it exits or does not answer in time.
wait_healthy() {
  local name="$1" dir="$2" url="$3" timeout="${4:-30}"
  local deadline=$((SECONDS + timeout))
  until curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; do
    if ! node_alive "$dir"; then
      tail -n 20 "$dir/node.log" >&2 || true
      die "$name exited during start; see $dir/node.log"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$dir/node.log" >&2 || true
      die "$name did not become healthy in ${timeout}s ($url); see $dir/node.log"
    fi
    sleep 0.2
  done
}

# Any listener on the port counts: a node bound to another loopback address
# would still collide with the next network's choice. port_in_use PORT
# [NETNS]: in that network namespace, when given (its ports are its own).
port_in_use() {
  netns_run "${2:-}" ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}
