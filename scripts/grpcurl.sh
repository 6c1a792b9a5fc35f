#!/usr/bin/env bash
# grpcurl, a third-party gRPC client nobody here wrote, for the reflection tests: built once from
# the Go module proxy and cached beside FerretDB. Prints the binary's path.
#
#   bash scripts/grpcurl.sh        # build or reuse the cached binary, print its path
set -euo pipefail

GRPCURL_VERSION=v1.9.3
CACHE_DIR="${GRPCURL_CACHE:-$HOME/.cache/priority-scheduler}/grpcurl-$GRPCURL_VERSION"
BINARY="$CACHE_DIR/grpcurl"

if [[ ! -x "$BINARY" ]]; then
  command -v go >/dev/null || { echo "grpcurl.sh: go is required to build grpcurl" >&2; exit 1; }
  echo "grpcurl.sh: building grpcurl $GRPCURL_VERSION (first run only)" >&2
  mkdir -p "$CACHE_DIR"
  work="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
  # Installed into a scratch dir, then renamed: a concurrent run never sees half a binary.
  GOBIN="$work" CGO_ENABLED=0 go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION" >&2
  mv "$work/grpcurl" "$BINARY"
  rm -rf "$work"
fi
echo "$BINARY"
