#!/usr/bin/env bash
# Builds the Python and Go examples from proto/ with the standard generators; idempotent, quiet.
#   - a venv with the pinned grpcio, grpcio-tools and grpcio-status (examples/python/requirements.txt),
#     cached under ${EXAMPLES_CACHE:-~/.cache/priority-scheduler}, one per version of that file; its
#     protoc is used for Go as well, so no system protoc is needed;
#   - protoc-gen-go and protoc-gen-go-grpc at pinned versions, installed once into the cache;
#   - generated code (gitignored, rewritten when proto/ changes): the Python package
#     examples/python/priority_scheduler, as docs/api.md generates it, and examples/go/gen;
#   - the Go examples built into examples/go/gen/bin (worker, producer).
# Needs python3 (3.9+) with venv/pip and go on PATH. Prints where things are on the last line;
# `--print-env` prints shell assignments instead (EXAMPLES_PYTHON, EXAMPLES_GO_BIN).
set -euo pipefail
cd "$(dirname "$0")/.."

PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2
CACHE="${EXAMPLES_CACHE:-$HOME/.cache/priority-scheduler}"
# Keyed by the requirements, so checkouts that pin different versions share the cache unharmed.
VENV="$CACHE/venv-$(sha256sum examples/python/requirements.txt | cut -c1-12)"
PLUGINS="$CACHE/go-plugins-$PROTOC_GEN_GO_VERSION-$PROTOC_GEN_GO_GRPC_VERSION"
GO_MODULE=example.com/scheduler-examples
PROTO=scheduler/v1/scheduler.proto
PY_PACKAGE=priority_scheduler

log() { echo "examples.sh: $*" >&2; }

# Runs a step with its output kept aside, shown only when it fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    log "failed: $*"
    echo "$out" | tail -n 40 >&2
    return 1
  fi
}

setup_venv() {
  local req=examples/python/requirements.txt stamp="$VENV/.requirements"
  if [[ -x "$VENV/bin/python" ]] && cmp -s "$req" "$stamp"; then return; fi
  command -v python3 >/dev/null || { log "python3 is required"; exit 1; }
  log "creating the Python venv in $VENV (first run only)"
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  quiet python3 -m venv "$VENV"
  quiet "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$req"
  cp "$req" "$stamp"
}

setup_plugins() {
  [[ -x "$PLUGINS/protoc-gen-go" && -x "$PLUGINS/protoc-gen-go-grpc" ]] && return
  command -v go >/dev/null || { log "go is required"; exit 1; }
  log "installing protoc-gen-go and protoc-gen-go-grpc into $PLUGINS (first run only)"
  mkdir -p "$PLUGINS"
  GOBIN="$PLUGINS" quiet go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
  GOBIN="$PLUGINS" quiet go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"
}

# Generates into a fresh directory and swaps it in, so a failed run never leaves half a package.
# -I<package>=proto puts the stubs in a package of that name: they import each other as
# priority_scheduler.scheduler.v1, so the folder beside the examples is importable as it is.
generate_python() {
  local tmp=examples/python/gen.tmp
  rm -rf "$tmp" && mkdir -p "$tmp"
  quiet "$VENV/bin/python" -m grpc_tools.protoc -I"$PY_PACKAGE=proto" \
    --python_out="$tmp" --pyi_out="$tmp" --grpc_python_out="$tmp" "$PY_PACKAGE/$PROTO"
  rm -rf "examples/python/$PY_PACKAGE" && mv "$tmp/$PY_PACKAGE" examples/python/ && rm -rf "$tmp"
  rm -rf examples/python/gen # the layout before the package: stubs under a top-level `scheduler`
}

generate_go() {
  local out=examples/go/gen.tmp map="M$PROTO=$GO_MODULE/gen/schedulerv1"
  rm -rf "$out" && mkdir -p "$out"
  # The proto's go_package names the service's own repository; M maps it into this module.
  quiet "$VENV/bin/python" -m grpc_tools.protoc -Iproto \
    --plugin=protoc-gen-go="$PLUGINS/protoc-gen-go" \
    --plugin=protoc-gen-go-grpc="$PLUGINS/protoc-gen-go-grpc" \
    --go_out="$out" --go_opt="module=$GO_MODULE/gen" --go_opt="$map" \
    --go-grpc_out="$out" --go-grpc_opt="module=$GO_MODULE/gen" --go-grpc_opt="$map" \
    "$PROTO"
  rm -rf examples/go/gen && mv "$out" examples/go/gen
}

build_go() {
  # -mod=readonly: go.sum is committed, so a build never edits go.mod behind anyone's back.
  (cd examples/go && quiet go build -mod=readonly -o gen/bin/ ./cmd/...)
}

# stale TARGET SOURCE...: TARGET is missing or older than a source (file or directory tree).
stale() {
  local target=$1
  shift
  [[ -e "$target" ]] || return 0
  [[ -n "$(find "$@" -newer "$target" -print -quit)" ]]
}

# Checkouts on one machine share the cache: one setup at a time.
mkdir -p "$CACHE"
exec 9>"$CACHE/examples.lock"
command -v flock >/dev/null && flock 9

setup_venv
setup_plugins
inputs=(proto scripts/examples.sh examples/python/requirements.txt)
py_stamp="examples/python/$PY_PACKAGE/.stamp"
if stale "$py_stamp" "${inputs[@]}" || stale examples/go/gen/.stamp "${inputs[@]}"; then
  generate_python
  generate_go
  touch "$py_stamp" examples/go/gen/.stamp
fi
if stale examples/go/gen/bin/worker examples/go/cmd examples/go/go.mod examples/go/go.sum examples/go/gen/.stamp; then
  build_go
fi
if [[ ${1:-} == --print-env ]]; then
  echo "EXAMPLES_PYTHON=$VENV/bin/python"
  echo "EXAMPLES_GO_BIN=$PWD/examples/go/gen/bin"
else
  log "ready: Python $VENV/bin/python, Go binaries in examples/go/gen/bin"
fi
