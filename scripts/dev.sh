#!/usr/bin/env bash
# Runs the service on this machine with the embedded defaults: its own local Redis (from Debian's
# packages, data under .cache/redis, port 6379 unless REDIS_PORT says otherwise) when REDIS_URL is
# not set, and the static tier map. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

npm_deps
npm run --silent build
if [[ -z ${REDIS_URL:-} ]]; then
  apt_install redis-server redis-tools
  port=${REDIS_PORT:-6379}
  dir="$PWD/.cache/redis"
  if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    log "starting a local Redis on port $port (AOF on, data in .cache/redis)"
    start_redis "$dir" "$port" --appendonly yes --appendfsync everysec --maxmemory-policy noeviction
    trap 'stop_redis "$dir"' EXIT
  fi
  export REDIS_URL="redis://127.0.0.1:$port"
fi
export STATIC_TIERS=${STATIC_TIERS:-acme=premium,globex=premium}
log "scheduler on gRPC port ${GRPC_PORT:-50051}, metrics on ${METRICS_PORT:-9464}, Redis $REDIS_URL"
log "dashboard: http://127.0.0.1:${METRICS_PORT:-9464}/ui/"
node dist/server/main.js
