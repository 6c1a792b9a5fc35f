#!/usr/bin/env bash
# Reproduces the Dockerfile's stages on the host (no Docker engine needed), so tests can run the
# server from exactly the files the runtime image holds:
#
#   scripts/image-tree.sh OUTDIR
#     OUTDIR/build  the build stage: package*.json, tsconfig*.json, scripts/copy-assets.mjs,
#                   proto/, src/; `npm ci` + `npm run build`
#     OUTDIR/app    the runtime stage: package.json, node_modules (`npm ci --omit=dev`), dist/,
#                   proto/ -- start it with `node OUTDIR/app/dist/server/main.js`
#
# Installs come from the npm cache (--prefer-offline). A second run reuses
# OUTDIR's node_modules when package-lock.json has not changed; IMAGE_TREE_CLEAN=1 forces fresh
# installs.
# Differences from the image: the host's Node version, and no tini (run under `node` directly).
set -euo pipefail

usage() { echo "usage: $0 OUTDIR" >&2; exit 2; }
[[ $# -eq 1 && -n $1 ]] || usage

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
case "$out" in
  "$root" | "$root"/src* | "$root"/proto*) echo "image-tree: OUTDIR must not be the repo or its sources" >&2; exit 2 ;;
esac
npm_flags=(--prefer-offline --no-audit --no-fund --loglevel=error)
started=$SECONDS

log() { echo "image-tree: $*" >&2; }

# npm ci into DIR unless DIR's node_modules was installed from the same lockfile and flags by a
# previous run (the stamp lives outside node_modules, so the tree stays exactly the image's).
install_deps() {
  local dir=$1; shift
  local stamp; stamp="$out/.stamp-$(basename "$dir")"
  local want; want="$(cat "$root/package-lock.json"; printf '\nflags: %s\n' "$*")"
  if [[ ${IMAGE_TREE_CLEAN:-0} != 1 && -d $dir/node_modules && -f $stamp ]] \
    && [[ "$(cat "$stamp")" == "$want" ]]; then
    log "reusing $dir/node_modules (lockfile unchanged)"
    return
  fi
  rm -rf "$stamp" "$dir/node_modules"
  log "npm ci $* in $dir"
  (cd "$dir" && npm ci "${npm_flags[@]}" "$@" >/dev/null)
  printf '%s' "$want" >"$stamp"
}

# ---- build stage ----
build="$out/build"
mkdir -p "$build/scripts"
rm -rf "$build/src" "$build/proto" "$build/dist"
cp "$root/package.json" "$root/package-lock.json" "$root"/tsconfig*.json "$build/"
cp "$root/scripts/copy-assets.mjs" "$build/scripts/"
cp -R "$root/src" "$root/proto" "$build/"
install_deps "$build"
log "npm run build"
(cd "$build" && npm run --silent build)

# ---- deps + runtime stages ----
app="$out/app"
mkdir -p "$app"
# Everything but node_modules goes, so the tree holds exactly what the image's runtime stage does.
find "$app" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
cp "$root/package.json" "$root/package-lock.json" "$app/"
install_deps "$app" --omit=dev
rm "$app/package-lock.json"
cp -R "$build/dist" "$build/proto" "$app/"

# ---- checks: the tree can start and carries no dev tooling ----
fail() { log "FAILED: $*"; exit 1; }
[[ -f $app/dist/server/main.js ]] || fail "no dist/server/main.js in $app"
[[ -d $app/proto/scheduler/v1 ]] || fail "no proto/scheduler/v1 in $app"
[[ -s $app/dist/generated/descriptors.binpb ]] || fail "no reflection descriptor set in $app/dist"
(cd "$app" && node - "$root/package-lock.json" <<'JS'
  const fs = require("node:fs");
  const deps = Object.keys(require("./package.json").dependencies ?? {});
  const lock = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  // Entries the lockfile marks dev-only must not ship; @types/node, say, may be a prod dependency's.
  const devOnly = Object.entries(lock.packages ?? {}).filter(([p, e]) => p && e.dev).map(([p]) => p);
  const missing = deps.filter((d) => !fs.existsSync(`node_modules/${d}/package.json`));
  const extra = devOnly.filter((p) => fs.existsSync(`${p}/package.json`));
  if (missing.length) { console.error(`missing dependencies: ${missing.join(" ")}`); process.exit(1); }
  if (extra.length) { console.error(`dev-only packages in the runtime tree: ${extra.join(" ")}`); process.exit(1); }
  require("@grpc/grpc-js");
  require("@grpc/proto-loader");
JS
) || fail "runtime node_modules of $app"

log "ok: $app ($(du -sh "$app" | cut -f1), $((SECONDS - started))s); start with: node $app/dist/server/main.js"
