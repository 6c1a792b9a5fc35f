#!/usr/bin/env bash
# Regenerates the TypeScript types of the proto contract into src/generated (never edit by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf src/generated
npx proto-loader-gen-types scheduler/v1/scheduler.proto --longs=String --enums=String --defaults --oneofs \
  --grpcLib=@grpc/grpc-js --outDir=src/generated --includeDirs=proto >/dev/null
npx prettier --log-level warn --write src/generated >/dev/null
