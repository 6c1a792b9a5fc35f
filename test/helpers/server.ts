/**
 * Real scheduler servers for tests: in-process on port 0 through startServer, reached with a real
 * grpc-js client built from the proto. Plus a Lease worker that records what it receives.
 */
import { after, before } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import type { ProtoGrpcType } from '../../src/generated/scheduler';
import type { GetJobResponse__Output } from '../../src/generated/scheduler/v1/GetJobResponse';
import type { LeaseResponse__Output } from '../../src/generated/scheduler/v1/LeaseResponse';
import type { LeasedJob__Output } from '../../src/generated/scheduler/v1/LeasedJob';
import type { SchedulerServiceClient } from '../../src/generated/scheduler/v1/SchedulerService';
import type { SettleResult__Output } from '../../src/generated/scheduler/v1/SettleResult';
import { loadConfig } from '../../src/server/config';
import { startServer, type ServerHandle } from '../../src/server/main';
import { LeaseStream } from './lease-stream';
import { startRedis, type TestRedis } from './redis';
import { loadSchedulerPackage } from '../../src/server/proto';
import type { Tracing } from '../../src/server/tracing';

export type Client = SchedulerServiceClient;

export interface TestServer extends ServerHandle {
  client: Client;
  address: string;
}

/**
 * Starts a server on `redisUrl` with extra environment (e.g. STATIC_TIERS) and a client to it;
 * `tracing` replaces what the OTEL_* variables would give (an in-memory exporter in tests).
 */
export async function startTestServer(
  redisUrl: string,
  env: Record<string, string> = {},
  tracing?: Tracing,
): Promise<TestServer> {
  const config = loadConfig({
    GRPC_PORT: '0',
    METRICS_PORT: '0',
    SHUTDOWN_GRACE_MS: '5000',
    ...env,
    REDIS_URL: redisUrl,
  });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const handle = await startServer(config, log, tracing);
  const address = `127.0.0.1:${handle.port}`;
  const client = connect(address);
  return {
    ...handle,
    client,
    address,
    stop: async () => {
      client.close();
      await handle.stop();
    },
  };
}

/** What useTestServer gives a test file: filled in by its `before` hook. */
export interface TestEnv {
  redis: TestRedis;
  server: TestServer;
  client: Client;
}

/**
 * A Redis (the shared one, or with `ownRedis` one of its own) and a server on it (extra
 * environment `env`) for one test file, or one describe block: started before its tests, stopped
 * after them. `env` may be a function, called once Redis is up, for an environment known only
 * then or data the server needs from its start (MongoDB accounts). `ownRedis` for tests that read
 * what every queue of a Redis adds up to (the queue registry).
 */
export function useTestServer(
  env: Record<string, string> | (() => Promise<Record<string, string>>) = {},
  { ownRedis = false }: { ownRedis?: boolean } = {},
): TestEnv {
  const t = {} as TestEnv;
  before(async () => {
    t.redis = await startRedis({ own: ownRedis });
    t.server = await startTestServer(t.redis.url, typeof env === 'function' ? await env() : env);
    t.client = t.server.client;
  });
  after(async () => {
    await t.server?.stop();
    await t.redis?.stop();
  });
  return t;
}

/** A client whose unary calls fail with DEADLINE_EXCEEDED after 10 s rather than hang a test. */
export function connect(address: string): Client {
  const proto = grpc.loadPackageDefinition(loadSchedulerPackage()) as unknown as ProtoGrpcType;
  return new proto.scheduler.v1.SchedulerService(address, grpc.credentials.createInsecure(), {
    callInvocationTransformer: withUnaryDeadline,
  });
}

export function withUnaryDeadline(
  props: grpc.CallProperties<unknown, unknown>,
): grpc.CallProperties<unknown, unknown> {
  const { requestStream, responseStream } = props.methodDefinition;
  if (requestStream || responseStream || props.callOptions.deadline) return props;
  return { ...props, callOptions: { ...props.callOptions, deadline: Date.now() + 10_000 } };
}

/** Promisifies one unary call: `await unary<Res>((cb) => client.getJob(req, cb))`. */
export function unary<Res>(start: (callback: grpc.requestCallback<Res>) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    start((err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

/** The error a call fails with; fails the test if it succeeds. */
export async function rpcError(pending: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await pending;
  } catch (err) {
    return err as grpc.ServiceError;
  }
  throw new Error('expected the call to fail');
}

export function seconds(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/** Leases one job through a stream, then leaves the stream: the lease stays out. */
export async function leaseOneJob(
  client: Client,
  queue: string,
  visibilityMs = 30_000,
): Promise<LeasedJob__Output> {
  const worker = new TestWorker(client, {
    queue,
    credits: 1,
    visibilityTimeout: seconds(visibilityMs),
  });
  const [leased] = await worker.waitForJobs(1);
  worker.end();
  await worker.status;
  return leased!;
}

/** A Lease stream that records every message, job and settle error, and the final status. */
export class TestWorker extends LeaseStream {
  readonly jobs: LeasedJob__Output[] = [];
  readonly settleErrors: SettleResult__Output[] = [];
  readonly messages: LeaseResponse__Output[] = [];

  /** Waits until at least `n` jobs arrived in all; returns them all. */
  async waitForJobs(n: number, timeoutMs = 5000): Promise<LeasedJob__Output[]> {
    await this.waitFor(n, timeoutMs);
    return this.jobs;
  }

  async waitForSettleErrors(n: number, timeoutMs = 5000): Promise<SettleResult__Output[]> {
    await this.changed.until(
      () => this.settleErrors.length >= n,
      timeoutMs,
      () => `${n} settle errors (got ${this.settleErrors.length})`,
    );
    return this.settleErrors;
  }

  /** Waits until a message that `match`es has arrived; returns its index in `messages`. */
  async waitForMessage(
    what: string,
    match: (msg: LeaseResponse__Output) => boolean,
    timeoutMs = 5000,
  ): Promise<number> {
    await this.changed.until(
      () => this.messages.some(match),
      timeoutMs,
      () => what,
    );
    return this.messages.findIndex(match);
  }

  protected override onMessage(msg: LeaseResponse__Output): void {
    this.messages.push(msg);
    this.jobs.push(...msg.jobs);
    this.settleErrors.push(...msg.settleErrors);
    super.onMessage(msg);
  }
}

/**
 * Lease streams open on `queue` as `server` counts them (the scheduler_queue_lease_streams gauge):
 * 1 once a stream is taking jobs, 0 again once the server has closed its side.
 */
export async function openLeaseStreams(server: TestServer, queue: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
  const gauge = new RegExp(`^scheduler_queue_lease_streams\\{queue="${queue}"\\} (\\d+)$`, 'm');
  return Number(gauge.exec(text)?.[1] ?? 0);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Leases one job of `queue` for `visibilityMs` on a stream, then cuts the stream: a dead worker. */
export async function leaseAndVanish(
  client: Client,
  queue: string,
  visibilityMs: number,
): Promise<void> {
  const worker = new TestWorker(client, {
    queue,
    credits: 1,
    visibilityTimeout: seconds(visibilityMs),
  });
  await worker.waitForJobs(1);
  worker.cancel();
  await worker.status;
}

/**
 * The jobs' states once none is LEASED any more (looking every 50 ms), or as they are after
 * `timeoutMs`: for leases that must come back with no worker connected.
 */
export async function statesOnceUnleased(
  client: Client,
  jobIds: string[],
  timeoutMs: number,
): Promise<string[]> {
  const started = Date.now();
  for (;;) {
    const states = await Promise.all(
      jobIds.map(async (jobId) => {
        const got = await unary<GetJobResponse__Output>((cb) => client.getJob({ jobId }, cb));
        return String(got.job!.state);
      }),
    );
    if (!states.includes('JOB_STATE_LEASED') || Date.now() - started > timeoutMs) return states;
    await sleep(50);
  }
}
