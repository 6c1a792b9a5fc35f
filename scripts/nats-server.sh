#!/usr/bin/env bash
# nats-server for the benchmark's NATS JetStream peer, built from the Go module source once and
# cached beside FerretDB (the bench only; no test needs it).
#
#   bash scripts/nats-server.sh build   # build or reuse the cached binary, print its path
set -euo pipefail

NATS_SERVER_VERSION=v2.15.3
CACHE_DIR="${NATS_SERVER_CACHE:-$HOME/.cache/priority-scheduler}/nats-server-$NATS_SERVER_VERSION"
BINARY="$CACHE_DIR/nats-server"

log() { echo "nats-server.sh: $*" >&2; }

build() {
  if [[ -x "$BINARY" ]]; then
    echo "$BINARY"
    return
  fi
  command -v go >/dev/null || { log "go is required to build nats-server"; exit 1; }
  mkdir -p "$CACHE_DIR"
  local work
  work="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
  log "building nats-server $NATS_SERVER_VERSION (first run only, takes a few minutes)"
  GOBIN="$work" CGO_ENABLED=0 go install "github.com/nats-io/nats-server/v2@$NATS_SERVER_VERSION"
  # Rename is atomic, so a concurrent build or start never sees half a binary.
  mv "$work/nats-server" "$BINARY"
  rm -rf "$work"
  echo "$BINARY"
}

case "${1:-}" in
  build) build ;;
  *)
    log "usage: $0 build"
    exit 2
    ;;
esac
