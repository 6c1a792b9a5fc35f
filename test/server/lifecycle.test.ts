/**
 * The server as operators see it: health, reflection, metrics, a Redis outage and a graceful
 * shutdown. Runs on a Redis of its own, since it stops and pauses it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import { loadHealthPackage } from '../../src/server/proto';
import { listServices } from '../helpers/reflection';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import {
  TestWorker,
  connect,
  openLeaseStreams,
  rpcError,
  sleep,
  startTestServer,
  unary,
  withUnaryDeadline,
  type Client,
  type TestServer,
} from '../helpers/server';

type HealthStatus = { status: string };
type HealthClient = grpc.Client & {
  check(req: { service: string }, cb: grpc.requestCallback<HealthStatus>): void;
  watch(req: { service: string }): grpc.ClientReadableStream<HealthStatus>;
};

function healthClient(address: string): HealthClient {
  const pkg = grpc.loadPackageDefinition(loadHealthPackage()) as unknown as {
    grpc: {
      health: {
        v1: {
          Health: new (
            a: string,
            c: grpc.ChannelCredentials,
            o: grpc.ClientOptions,
          ) => HealthClient;
        };
      };
    };
  };
  return new pkg.grpc.health.v1.Health(address, grpc.credentials.createInsecure(), {
    callInvocationTransformer: withUnaryDeadline,
  });
}

const check = (client: HealthClient, service = ''): Promise<string> =>
  unary<HealthStatus>((cb) => client.check({ service }, cb)).then((r) => r.status);

async function waitFor(
  what: string,
  test: () => Promise<boolean>,
  timeoutMs = 8000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

let redis: TestRedis;

before(async () => {
  redis = await startRedis({ own: true });
});

after(async () => {
  await redis.stop();
});

describe('a running server', () => {
  let server: TestServer;
  let health: HealthClient;

  before(async () => {
    server = await startTestServer(redis.url);
    health = healthClient(server.address);
  });

  after(async () => {
    health.close();
    await server.stop();
  });

  it('reports SERVING for itself and its services, NOT_FOUND for others', async () => {
    assert.equal(await check(health), 'SERVING');
    assert.equal(await check(health, 'scheduler.v1.SchedulerService'), 'SERVING');
    const err = await rpcError(check(health, 'nope.Service'));
    assert.equal(err.code, grpc.status.NOT_FOUND);
  });

  it('lists its services through server reflection', async () => {
    for (const version of ['v1', 'v1alpha'] as const) {
      const services = await listServices(server.address, version);
      assert.ok(services.includes('scheduler.v1.SchedulerService'), services.join());
      assert.ok(services.includes('grpc.health.v1.Health'), services.join());
    }
  });

  it('serves /metrics, /healthz and /readyz', async () => {
    const queue = uniqueName();
    await unary((cb) =>
      server.client.enqueue({ queue, tenantId: 't', payload: Buffer.from('x') }, cb),
    );
    await rpcError(unary((cb) => server.client.enqueue({ queue, tenantId: '' }, cb)));
    const base = `http://127.0.0.1:${server.metricsPort}`;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /scheduler_rpc_duration_seconds_count\{method="Enqueue",code="OK"\} 1/);
    assert.match(
      metrics,
      /scheduler_rpc_duration_seconds_count\{method="Enqueue",code="INVALID_ARGUMENT"\} 1/,
    );
    assert.match(
      metrics,
      new RegExp(`scheduler_jobs_enqueued_total\\{queue="${queue}",tier="free"\\} 1`),
    );
    assert.match(metrics, /process_cpu_user_seconds_total/);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });

  it('goes NOT_SERVING and answers UNAVAILABLE while Redis is down, then recovers', async () => {
    const queue = uniqueName();
    const worker = new TestWorker(server.client, { queue, credits: 1 });
    await waitFor('the stream to take jobs', async () => {
      return (await openLeaseStreams(server, queue)) === 1;
    });
    await redis.stop();
    await waitFor('NOT_SERVING', async () => (await check(health)) === 'NOT_SERVING');
    assert.equal((await fetch(`http://127.0.0.1:${server.metricsPort}/readyz`)).status, 503);
    const started = Date.now();
    const err = await rpcError(unary((cb) => server.client.enqueue({ queue, tenantId: 't' }, cb)));
    assert.equal(err.code, grpc.status.UNAVAILABLE);
    assert.ok(Date.now() - started < 1000, 'fails fast instead of queueing');
    await redis.restart();
    await waitFor('SERVING', async () => (await check(health)) === 'SERVING');
    await unary((cb) =>
      server.client.enqueue({ queue, tenantId: 't', payload: Buffer.from('after') }, cb),
    );
    const [job] = await worker.waitForJobs(1, 8000);
    assert.equal(job!.job!.payload.toString(), 'after', 'the stream survived the outage');
    worker.end();
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight calls, ends streams cleanly and flips health to NOT_SERVING', async (t) => {
    const server = await startTestServer(redis.url);
    const client: Client = connect(server.address);
    const health = healthClient(server.address);
    const pauser = new Redis(redis.url);
    t.after(async () => {
      client.close();
      health.close();
      pauser.disconnect();
      await server.stop();
    });
    const queue = uniqueName();
    const worker = new TestWorker(client, { queue, credits: 1 });
    const seen: string[] = [];
    const watch = health.watch({ service: '' });
    watch.on('data', (msg: HealthStatus) => seen.push(msg.status));
    const watchEnded = new Promise<grpc.StatusObject>((resolve) => watch.on('status', resolve));
    watch.on('error', () => undefined);
    await waitFor('SERVING', () => Promise.resolve(seen.includes('SERVING')));

    await pauser.client('PAUSE', 700, 'WRITE'); // holds the next enqueue in flight
    const started = Date.now();
    const inFlight = unary<EnqueueResponse__Output>((cb) =>
      client.enqueue({ queue, tenantId: 't' }, cb),
    );
    await sleep(150);
    const stopped = server.stop();

    const streamStatus = await worker.status;
    assert.equal(streamStatus.code, grpc.status.UNAVAILABLE);
    assert.match(streamStatus.details, /shutting down/);
    assert.equal((await watchEnded).code, grpc.status.OK);
    assert.deepEqual(seen, ['SERVING', 'NOT_SERVING']);
    const res = await inFlight;
    assert.match(res.jobId, new RegExp(`^${queue}/`));
    assert.ok(Date.now() - started >= 500, 'the enqueue really was in flight during shutdown');
    await stopped;
    const late = await rpcError(unary((cb) => client.getJob({ jobId: res.jobId }, cb)));
    assert.equal(late.code, grpc.status.UNAVAILABLE);
  });
});
