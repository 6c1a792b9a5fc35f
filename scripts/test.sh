#!/usr/bin/env bash
# Sets up and runs every check and test: installs what is missing (npm dependencies, Redis from
# Debian's packages, FerretDB and grpcurl built from the Go module proxy), starts throwaway servers
# on free ports, then lint, build and the test suites. `npm test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

tmp=$(mktemp -d)
cleanup() {
  stop_redis "$tmp/redis"
  bash scripts/ferretdb.sh stop "$tmp/ferretdb" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

apt_install redis-server redis-tools openssl curl faketime chromium prometheus # chromium: the dashboard tests; prometheus: promtool for the chart's alerts
npm_deps
npm install --prefix bench --no-audit --no-fund --loglevel=error # the peers bench/ runs against

log "lint: eslint, prettier, tsc, buf"
npx eslint .
npx prettier --check . --log-level warn
npx tsc --noEmit -p tsconfig.json
npx tsc -p tsconfig.ui.json # the dashboard's browser modules (checkJs)
npx tsc --noEmit -p bench/tsconfig.json
(cd proto && npx --yes @bufbuild/buf@1.75.0 lint)
if git rev-parse --verify -q main >/dev/null && git cat-file -e main:proto/buf.yaml 2>/dev/null; then
  npx --yes @bufbuild/buf@1.75.0 breaking proto --against ".git#branch=main,subdir=proto"
fi
test -z "$(gofmt -l examples/go)" || { log "gofmt -l examples/go is not empty"; exit 1; }
bash scripts/gen-proto.sh
git diff --exit-code --stat -- src/generated || { log "src/generated is stale: run scripts/gen-proto.sh"; exit 1; }

log "build"
npm run --silent build

log "examples: Python venv and Go plugins (cached), generated code, Go binaries"
bash scripts/examples.sh

port=$(free_port)
start_redis "$tmp/redis" "$port" --save '' --appendonly no
export REDIS_URL="redis://127.0.0.1:$port"
bash scripts/ferretdb.sh build >/dev/null # built once from the Go module proxy, then cached
ferret_env=$(bash scripts/ferretdb.sh start "$tmp/ferretdb") # apart from eval: set -e sees a failure
eval "$ferret_env"
log "Redis at $REDIS_URL, FerretDB at $MONGODB_URI"
GRPCURL="$(bash scripts/grpcurl.sh)" # the reflection tests' third-party client, built once, cached
export GRPCURL

mapfile -t files < <(find test -name '*.test.ts' | sort)
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"

log "image: the Dockerfile's stages on the host; the server must start from the runtime tree"
bash scripts/image-tree.sh "$tmp/image"
metrics_port=$(free_port)
(cd "$tmp/image/app" && GRPC_PORT=0 METRICS_PORT=$metrics_port LOG_LEVEL=warn \
  exec node dist/server/main.js) &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$metrics_port/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$metrics_port/readyz" >/dev/null || { log "image tree: server not ready"; exit 1; }
kill -TERM "$server_pid" && wait "$server_pid" || { log "image tree: server did not exit cleanly"; exit 1; }
log "image tree: ready, and exited cleanly on SIGTERM"

log "chart: helm lint, template, offline schema validation"
bash scripts/helm-check.sh
