#!/usr/bin/env bash
# `npm run lint`: ESLint, Prettier and tsc over the repository. bench/ is checked too once its own
# dependencies are installed (`npm run bench` or `npm test` installs them); a fresh clone after
# `npm ci` lints everything else.
set -euo pipefail
cd "$(dirname "$0")/.."
npx eslint .
npx prettier --check . --log-level warn
npx tsc --noEmit -p tsconfig.json
npx tsc -p tsconfig.ui.json # the dashboard's browser modules (checkJs)
if [[ -d bench/node_modules ]]; then
  npx tsc --noEmit -p bench/tsconfig.json
else
  echo "lint: bench/ skipped (its dependencies are not installed: npm install --prefix bench)" >&2
fi
