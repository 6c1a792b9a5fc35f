/**
 * Clients for the security tests: scheduler, health and reflection clients with any channel
 * credentials and an optional bearer token, and a server whose log lines are kept for asserting
 * what is (and is not) logged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import type { ProtoGrpcType } from '../../src/generated/scheduler';
import { loadConfig } from '../../src/server/config';
import { hashToken } from '../../src/server/hash-token';
import { serializeError } from '../../src/server/logger';
import { startServer, type ServerHandle } from '../../src/server/main';
import { loadHealthPackage, loadSchedulerPackage } from '../../src/server/proto';
import { unary, withUnaryDeadline, type Client } from '../helpers/server';

export interface ClientOptions {
  credentials?: grpc.ChannelCredentials;
  /** Sent as `authorization: Bearer <token>` on every call, streams included. */
  token?: string;
}

function bearer(token: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) => {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}

export function schedulerClient(address: string, options: ClientOptions = {}): Client {
  const proto = grpc.loadPackageDefinition(loadSchedulerPackage()) as unknown as ProtoGrpcType;
  return new proto.scheduler.v1.SchedulerService(
    address,
    options.credentials ?? grpc.credentials.createInsecure(),
    {
      callInvocationTransformer: withUnaryDeadline,
      interceptors: options.token === undefined ? [] : [bearer(options.token)],
    },
  );
}

type HealthClient = grpc.Client & {
  check(
    req: { service: string },
    md: grpc.Metadata,
    options: grpc.CallOptions,
    cb: grpc.requestCallback<{ status: string }>,
  ): void;
};

/** grpc.health.v1.Health/Check with no credentials beyond the channel's. */
export async function healthStatus(
  address: string,
  credentials = grpc.credentials.createInsecure(),
): Promise<string> {
  const pkg = grpc.loadPackageDefinition(loadHealthPackage()) as unknown as {
    grpc: {
      health: { v1: { Health: new (a: string, c: grpc.ChannelCredentials) => HealthClient } };
    };
  };
  const client = new pkg.grpc.health.v1.Health(address, credentials);
  try {
    const res = await unary<{ status: string }>((cb) =>
      client.check({ service: '' }, new grpc.Metadata(), { deadline: Date.now() + 5000 }, cb),
    );
    return res.status;
  } finally {
    client.close();
  }
}

export { listServices } from '../helpers/reflection';

export interface LoggedServer extends ServerHandle {
  address: string;
  /** Every log line so far, as written (JSON text). */
  lines: string[];
}

/** A server through startServer with a logger that keeps its lines (LOG_LEVEL applies). */
export async function startLogged(
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<LoggedServer> {
  const config = loadConfig({
    GRPC_PORT: '0',
    METRICS_PORT: '0',
    SHUTDOWN_GRACE_MS: '2000',
    ...env,
    REDIS_URL: redisUrl,
  });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  // The production serializers, so the test sees what production would write.
  const log = pino({ level: config.logLevel, serializers: { err: serializeError } }, sink);
  const handle = await startServer(config, log);
  return { ...handle, address: `127.0.0.1:${handle.port}`, lines };
}

export interface TokenSpec {
  name: string;
  token: string;
  scopes: string[];
  queues: string[];
  tenants: string[];
}

/** Writes an AUTH_TOKENS_FILE holding the tokens' sha256 digests; returns its path. */
export function writeTokensFile(dir: string, tokens: TokenSpec[]): string {
  const file = join(dir, 'tokens.json');
  const entries = tokens.map(({ token, ...rest }) => ({ ...rest, sha256: hashToken(token) }));
  writeFileSync(file, JSON.stringify(entries, null, 2));
  return file;
}
