#!/usr/bin/env bash
# A local Redis Cluster for tests: 3 masters with a replica each, from Debian's redis-server, on
# free loopback ports (each node's cluster bus is its port + 10000).
#
#   bash scripts/redis-cluster.sh start DIR   # data, logs and pids in DIR; prints, for eval:
#                                             #   export REDIS_CLUSTER_NODES=127.0.0.1:<p1>,...
#   bash scripts/redis-cluster.sh stop DIR    # stops the nodes started in DIR (no-op if none)
#
# Nodes use a short cluster-node-timeout (REDIS_CLUSTER_NODE_TIMEOUT_MS, default 1000 ms) so a
# killed master's replica takes over within a few seconds, AOF everysec like production, and
# cluster-require-full-coverage no: a failed shard does not stop the queues on the others.
set -euo pipefail

NODES=6
NODE_TIMEOUT_MS=${REDIS_CLUSTER_NODE_TIMEOUT_MS:-1000}
READY_TIMEOUT_S=30

log() { echo "redis-cluster.sh: $*" >&2; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Six consecutive ports that are free, and their bus ports too, all below the kernel's ephemeral
# range: a port in that range can be taken at any moment as the local end of some outgoing
# connection (another test's client), and then the node cannot bind it.
pick_ports() {
  local base p ok low span
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  span=$((low - 10000 - 10000 - NODES))
  for _ in $(seq 50); do
    base=$((10000 + RANDOM % span))
    ok=1
    for p in $(seq "$base" $((base + NODES - 1))); do
      if listening "$p" || listening $((p + 10000)); then ok=0; break; fi
    done
    if ((ok)); then seq "$base" $((base + NODES - 1)); return; fi
  done
  log "no free ports found"
  exit 1
}

wait_until() {
  local what=$1 deadline=$((SECONDS + READY_TIMEOUT_S)); shift
  until "$@"; do
    if ((SECONDS >= deadline)); then log "timed out waiting for $what"; exit 1; fi
    sleep 0.2
  done
}

cluster_ok() {
  local p
  for p in "${ports[@]}"; do
    redis-cli -p "$p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
  done
}

replicas_synced() {
  local p
  for p in "${ports[@]}"; do
    local info
    info=$(redis-cli -p "$p" info replication 2>/dev/null) || return 1
    if grep -q '^role:slave' <<<"$info"; then
      grep -q '^master_link_status:up' <<<"$info" || return 1
    fi
  done
}

# Starts the six nodes on fresh ports; returns 1 (nodes stopped, log shown) if one does not answer.
start_nodes() {
  local dir=$1 p deadline
  mapfile -t ports < <(pick_ports)
  ((${#ports[@]} == NODES)) || exit 1
  for p in "${ports[@]}"; do
    mkdir -p "$dir/$p"
    redis-server --port "$p" --bind 127.0.0.1 --dir "$dir/$p" --daemonize yes \
      --pidfile "$dir/$p/redis.pid" --logfile "$dir/$p/redis.log" \
      --cluster-enabled yes --cluster-config-file "$dir/$p/nodes.conf" \
      --cluster-node-timeout "$NODE_TIMEOUT_MS" --cluster-require-full-coverage no \
      --appendonly yes --appendfsync everysec --save '' >/dev/null
  done
  for p in "${ports[@]}"; do
    deadline=$((SECONDS + 10))
    until redis-cli -p "$p" ping >/dev/null 2>&1; do
      if ((SECONDS >= deadline)); then
        log "node $p did not start:"
        tail -n 5 "$dir/$p/redis.log" >&2 || true
        stop "$dir"
        rm -rf "${ports[@]/#/$dir/}"
        return 1
      fi
      sleep 0.2
    done
  done
}

start() {
  local dir="${1:?start needs a directory}" attempt
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  for attempt in 1 2 3; do
    start_nodes "$dir" && break
    ((attempt < 3)) || { log "giving up after $attempt attempts"; exit 1; }
    log "trying other ports"
  done
  local addrs=() p
  for p in "${ports[@]}"; do addrs+=("127.0.0.1:$p"); done
  # All nodes are on one host, so redis-cli warns that replicas share their master's host: fine here.
  redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 ||
    { log "cluster create failed:"; tail -n 20 "$dir/create.log" >&2; exit 1; }
  wait_until "cluster_state:ok on every node" cluster_ok
  wait_until "replicas in sync" replicas_synced
  printf '%s\n' "${ports[@]}" >"$dir/ports"
  echo "export REDIS_CLUSTER_NODES=$(IFS=,; echo "${addrs[*]}")"
}

stop() {
  local dir="${1:?stop needs a directory}" pidfile pid
  for pidfile in "$dir"/*/redis.pid; do
    [[ -f "$pidfile" ]] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
  done
  # Wait (5 s at most) until they are gone, then make sure.
  for _ in $(seq 50); do
    local alive=0
    for pidfile in "$dir"/*/redis.pid; do
      [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null && alive=1
    done
    ((alive)) || return 0
    sleep 0.1
  done
  for pidfile in "$dir"/*/redis.pid; do
    if [[ -f "$pidfile" ]]; then kill -9 "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
}

case "${1:-}" in
  start) shift && start "$@" ;;
  stop) shift && stop "$@" ;;
  *)
    log "usage: $0 start DIR | stop DIR"
    exit 2
    ;;
esac
