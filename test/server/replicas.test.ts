/**
 * Several replicas on one Redis: an idle worker on one replica hears of a job enqueued on another
 * within milliseconds, and two server processes exchange 10,000 jobs with none lost and none
 * acked twice.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import type { EnqueueBatchResponse__Output } from '../../src/generated/scheduler/v1/EnqueueBatchResponse';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import type { SettleResult__Output } from '../../src/generated/scheduler/v1/SettleResult';
import { LeaseStream } from '../helpers/lease-stream';
import { uniqueName, useRedis } from '../helpers/redis';
import { ScriptCalls } from '../helpers/script-calls';
import {
  TestWorker,
  connect,
  startTestServer,
  unary,
  type Client,
  type TestServer,
} from '../helpers/server';

const redis = useRedis();

describe('two in-process replicas', () => {
  let a: TestServer;
  let b: TestServer;

  before(async () => {
    [a, b] = await Promise.all([startTestServer(redis.url), startTestServer(redis.url)]);
  });

  after(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  it('wakes an idle worker on one replica when a job is enqueued on the other', async () => {
    const queue = uniqueName();
    const scripts = await ScriptCalls.start(redis.url, queue, ['lease']);
    const worker = new TestWorker(b.client, { queue, credits: 10 });
    try {
      const latencies: number[] = [];
      for (let i = 1; i <= 5; i++) {
        // B's worker is idle: its lease call ran on the empty queue (the first), or took job i-1
        // and came back short of its 10 credits; only a wake brings another call sooner than the
        // dispatcher's 2 s safety net.
        await scripts.waitFor('lease', i);
        const started = Date.now();
        await unary<EnqueueResponse__Output>((cb) =>
          a.client.enqueue({ queue, tenantId: 't', payload: Buffer.from(`#${i}`) }, cb),
        );
        await worker.waitForJobs(i, 2000);
        latencies.push(Date.now() - started);
      }
      assert.ok(Math.max(...latencies) < 250, `latencies ${latencies.join(', ')} ms`);
    } finally {
      worker.end();
      scripts.stop();
    }
  });
});

interface ServerProcess {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

/** Starts `src/server/main.ts` in a child process and reads its port from the 'listening' log line. */
function spawnServer(redisUrl: string): Promise<ServerProcess> {
  const root = join(__dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      MONGODB_URI: '', // static tiers (empty counts as unset): this test is about Redis alone
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server process did not start')), 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg !== 'scheduler listening' || !entry.port) return;
      clearTimeout(timer);
      resolve({ child, port: entry.port, exited });
    });
    void exited.then((code) => reject(new Error(`server process exited with ${code}`)));
  });
}

/**
 * Leases until `total` jobs arrived, acking each turn's jobs inline and granting as many credits
 * back; returns how often each job was delivered, once the server applied the last acks.
 */
async function drain(
  client: Client,
  queue: string,
  total: number,
  credits: number,
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const settleErrors: SettleResult__Output[] = [];
  const worker = new LeaseStream(
    client,
    { queue, credits, visibilityTimeout: { seconds: 120 } },
    {
      autoAck: true,
      onJob: ({ job }) => seen.set(job!.id, (seen.get(job!.id) ?? 0) + 1),
      onMessage: (msg) => settleErrors.push(...msg.settleErrors),
    },
  );
  await worker.waitFor(total, 50_000);
  worker.end();
  assert.equal((await worker.status).code, status.OK);
  assert.deepEqual(settleErrors, [], 'every inline ack applied');
  return seen;
}

describe('two server processes', () => {
  let producer: ServerProcess;
  let consumer: ServerProcess;
  let clients: Client[] = [];

  before(async () => {
    [producer, consumer] = await Promise.all([spawnServer(redis.url), spawnServer(redis.url)]);
    clients = [connect(`127.0.0.1:${producer.port}`), connect(`127.0.0.1:${consumer.port}`)];
  });

  after(async () => {
    for (const c of clients) c.close();
    for (const p of [producer, consumer]) p?.child.kill('SIGTERM');
    const codes = await Promise.all([producer?.exited, consumer?.exited]);
    assert.deepEqual(codes, [0, 0], 'both servers shut down cleanly on SIGTERM');
  });

  it(
    'exchange 10,000 jobs: none lost, none delivered or acked twice',
    { timeout: 60_000 },
    async () => {
      const [producerClient, consumerClient] = clients as [Client, Client];
      const queue = uniqueName('exchange');
      const total = 10_000;
      const received = drain(consumerClient, queue, total, 500);
      const enqueued: string[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const requests = Array.from({ length: 1000 }, (_, i) => ({
          queue,
          tenantId: `tenant-${i % 7}`,
          payload: Buffer.from(`job ${batch}-${i}`),
        }));
        const res = await unary<EnqueueBatchResponse__Output>((cb) =>
          producerClient.enqueueBatch({ requests }, cb),
        );
        enqueued.push(...res.results.map((r) => r.job!.jobId));
      }
      const seen = await received;
      assert.equal(new Set(enqueued).size, total);
      assert.equal(seen.size, total);
      assert.deepEqual(
        [...seen.values()].filter((n) => n !== 1),
        [],
        'every job delivered exactly once',
      );
      assert.ok(
        enqueued.every((id) => seen.has(id)),
        'every enqueued job was delivered',
      );
      const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
        producerClient.getQueueStats({ queue }, cb),
      );
      assert.deepEqual(stats.counts, { pending: '0', scheduled: '0', leased: '0', dead: '0' });
      const acked = stats.tiers.reduce((sum, t) => sum + Number(t.ackedTotal), 0);
      assert.equal(acked, total, 'every job acked exactly once');
    },
  );
});
