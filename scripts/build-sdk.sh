#!/usr/bin/env bash
# Builds the SDK package in sdk/ from src/clients (and the generated types it uses) plus the
# contract, so `npm pack ./sdk` makes a package that needs only grpc-js and proto-loader.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf sdk/dist sdk/proto
npx tsc -p sdk/tsconfig.json
mkdir -p sdk/proto
cp -R proto/scheduler sdk/proto/
