#!/usr/bin/env bash
# A real MongoDB-wire-protocol server for the tests: FerretDB 1.x on its SQLite backend, built
# from the Go module source (MongoDB itself is not installable here).
#
#   bash scripts/ferretdb.sh build              # build or reuse the cached binary, print its path
#   bash scripts/ferretdb.sh start DIR [PORT]   # start one on 127.0.0.1 (a free port unless PORT),
#                                               # data and log in DIR; prints, for eval:
#                                               #   export MONGODB_URI=mongodb://127.0.0.1:<port>/
#                                               #   export FERRETDB_PID=<pid>
#   bash scripts/ferretdb.sh stop DIR           # stop the one started in DIR (no-op if none)
#
# Usage from a test script:
#   eval "$(bash scripts/ferretdb.sh start "$tmp/ferretdb")"
#   trap 'bash scripts/ferretdb.sh stop "$tmp/ferretdb"' EXIT
set -euo pipefail

# v1.24.0 is the last 1.x release the Go module proxy serves (it answers 403 for v1.24.1), and 1.x is
# the last line with the SQLite backend (2.x needs PostgreSQL with DocumentDB).
FERRETDB_VERSION=v1.24.0
CACHE_DIR="${FERRETDB_CACHE:-$HOME/.cache/priority-scheduler}/ferretdb-$FERRETDB_VERSION"
BINARY="$CACHE_DIR/ferretdb"
START_TIMEOUT_S=30

log() { echo "ferretdb.sh: $*" >&2; }

build() {
  if [[ -x "$BINARY" ]]; then
    echo "$BINARY"
    return
  fi
  command -v go >/dev/null || { log "go is required to build FerretDB"; exit 1; }
  local src work
  src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$src" ]] || { log "go mod download gave no source dir"; exit 1; }
  mkdir -p "$CACHE_DIR"
  work="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
  # The module cache is read-only, and a plain `go install` panics at start because the generated
  # build/version/version.txt is missing from the module zip: build a copy with that file written.
  cp -r "$src/." "$work/"
  chmod -R u+w "$work"
  echo "$FERRETDB_VERSION" >"$work/build/version/version.txt"
  log "building FerretDB $FERRETDB_VERSION (first run only, takes a few minutes)"
  (cd "$work" && CGO_ENABLED=0 go build -buildvcs=false -o "$work/ferretdb.bin" ./cmd/ferretdb)
  # Rename is atomic, so a concurrent build or start never sees half a binary.
  mv "$work/ferretdb.bin" "$BINARY"
  rm -rf "$work"
  echo "$BINARY"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local dir="${1:?start needs a directory}" port="${2:-}" bin pid
  bin="$(build)"
  mkdir -p "$dir/data"
  dir="$(cd "$dir" && pwd)"
  [[ -n "$port" ]] || port="$(free_port)"
  # setsid + redirected output: the server outlives this script and `$(...)` does not wait on it.
  setsid "$bin" \
    --handler=sqlite --sqlite-url="file:$dir/data/" \
    --listen-addr="127.0.0.1:$port" --debug-addr=- --state-dir=- \
    --telemetry=disable --log-level=warn \
    >>"$dir/ferretdb.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/ferretdb.pid"
  wait_ready "$pid" "$port" "$dir"
  echo "export MONGODB_URI=mongodb://127.0.0.1:$port/"
  echo "export FERRETDB_PID=$pid"
}

wait_ready() {
  local pid="$1" port="$2" dir="$3" deadline=$((SECONDS + START_TIMEOUT_S))
  until accepts "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "FerretDB exited at start; its log:"
      tail -n 20 "$dir/ferretdb.log" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      log "FerretDB did not accept connections on port $port within ${START_TIMEOUT_S}s"
      kill "$pid" 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
  done
}

stop() {
  local dir="${1:?stop needs a directory}" pid i
  [[ -f "$dir/ferretdb.pid" ]] || return 0
  pid="$(cat "$dir/ferretdb.pid")"
  rm -f "$dir/ferretdb.pid"
  kill "$pid" 2>/dev/null || return 0
  # Give it 5 s to shut down cleanly, then make sure it is gone before returning.
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
  build) build ;;
  start) shift && start "$@" ;;
  stop) shift && stop "$@" ;;
  *)
    log "usage: $0 build | start DIR [PORT] | stop DIR"
    exit 2
    ;;
esac
