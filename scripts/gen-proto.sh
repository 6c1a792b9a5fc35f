#!/usr/bin/env bash
# Regenerates from the proto contract (never edit the output by hand):
#   src/generated/**/*.ts            TypeScript types of scheduler.v1 (proto-loader-gen-types)
#   src/generated/descriptors.binpb  the real FileDescriptorProtos server reflection serves:
#                                    scheduler.v1 with its google/protobuf imports, and
#                                    grpc/health/v1/health.proto from grpc-health-check
set -euo pipefail
cd "$(dirname "$0")/.."
BUF=(npx --yes @bufbuild/buf@1.75.0)
rm -rf src/generated
npx proto-loader-gen-types scheduler/v1/scheduler.proto --longs=String --enums=String --defaults --oneofs \
  --grpcLib=@grpc/grpc-js --outDir=src/generated --includeDirs=proto >/dev/null
npx prettier --log-level warn --write src/generated >/dev/null

# health.proto goes under its canonical name, grpc/health/v1/health.proto, as grpc-go serves it.
# A FileDescriptorSet is one repeated field, so two serialized sets concatenated are one set.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/health/grpc/health/v1"
cp "$(node -p 'require("grpc-health-check").protoPath')" "$tmp/health/grpc/health/v1/health.proto"
"${BUF[@]}" build proto --as-file-descriptor-set -o "$tmp/scheduler.binpb"
"${BUF[@]}" build "$tmp/health" --as-file-descriptor-set -o "$tmp/health.binpb"
cat "$tmp/scheduler.binpb" "$tmp/health.binpb" >src/generated/descriptors.binpb
