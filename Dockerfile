# syntax=docker/dockerfile:1
#
# Priority scheduler image: a build stage compiles TypeScript, a deps stage installs production
# dependencies only, and the runtime stage carries dist/, proto/, node_modules and package.json,
# nothing else. scripts/image-tree.sh reproduces these steps on a host without a Docker engine, so
# keep the two in step.
#
#   docker build -t priority-scheduler:0.1.0 .
#   docker run --rm -p 50051:50051 -p 9464:9464 -e REDIS_URL=redis://host.docker.internal:6379 \
#     priority-scheduler:0.1.0

# One pinned major for every stage: the current Node LTS on Debian 12 slim.
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: full dependency tree, tsc, assets (.lua files) copied into dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/npm-cache \
    npm ci --cache /npm-cache --prefer-offline --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-assets.mjs scripts/
COPY proto/ proto/
COPY src/ src/
RUN npm run build

# ---- deps: production dependencies only, from the same lockfile ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/npm-cache \
    npm ci --omit=dev --cache /npm-cache --prefer-offline --no-audit --no-fund

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime

# tini as PID 1: forwards SIGTERM to node (which drains gRPC streams) and reaps zombies.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 scheduler \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin scheduler

ENV NODE_ENV=production \
    GRPC_PORT=50051 \
    METRICS_PORT=9464

WORKDIR /app
# Owned by root and read-only to the service user: the process cannot rewrite its own code.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/proto ./proto

# Numeric uid:gid so Kubernetes can verify runAsNonRoot without reading /etc/passwd.
USER 10001:10001
EXPOSE 50051 9464

LABEL org.opencontainers.image.title="priority-scheduler" \
      org.opencontainers.image.description="Priority job scheduler gRPC service (fair tiers, leases, retries) on Redis" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="0.1.0"

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server/main.js"]
