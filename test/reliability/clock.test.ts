/**
 * Leases are measured on Redis's clock only. Two replicas whose wall clocks are an hour ahead and
 * an hour behind (libfaketime, Debian package `faketime`) share one Redis: the deadlines they hand
 * out are Redis's, a job acked through the "behind" replica late in its lease is accepted (not
 * expired early by the "ahead" one), and a lease left to expire comes back through the other
 * replica right after its deadline: not before, not late. The checker then judges a load run
 * over both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LeasedJob__Output } from '../../src/generated/scheduler/v1/LeasedJob';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { TestWorker, seconds } from '../helpers/server';
import { summarize } from './checker';
import { LIBFAKETIME, spawnServer, type ServerProc } from './procs';
import { call, connectClient, sleep } from './rpc';
import { LoadRun, describeReport } from './run';

const SKEW_MS = 3600_000;
const VISIBILITY_MS = 3000;
/**
 * Retry backoff of the servers: an expired lease is an attempt, so its job is due again
 * backoff_base/2..backoff_base after the deadline. Kept small so "right after" means the deadline.
 */
const BACKOFF_BASE_MS = 10;
/** Scheduling slack on a busy 2-core machine. */
const LATE_MS = 1000;

const skip = LIBFAKETIME ? false : 'libfaketime is not installed (apt-get install faketime)';

/** The time of the first log line, minus the real time: the process's clock offset. */
async function skewedServer(
  redisUrl: string,
  faketime: string,
): Promise<ServerProc & { skewMs: number }> {
  let skewMs = NaN;
  const server = await spawnServer({
    env: { REDIS_URL: redisUrl, BACKOFF_BASE_MS: String(BACKOFF_BASE_MS) },
    faketime,
    onLog: (line) => {
      if (!Number.isNaN(skewMs)) return;
      skewMs = (JSON.parse(line) as { time: number }).time - Date.now();
    },
  });
  return { ...server, skewMs };
}

function expireMs(j: LeasedJob__Output): number {
  return Number(j.leaseExpireTime!.seconds) * 1000 + j.leaseExpireTime!.nanos / 1e6;
}

describe('replicas with skewed clocks', { skip }, () => {
  let redis: TestRedis;
  let ahead: ServerProc & { skewMs: number };
  let behind: ServerProc & { skewMs: number };

  before(async () => {
    redis = await startRedis();
    [ahead, behind] = await Promise.all([
      skewedServer(redis.url, '+1h'),
      skewedServer(redis.url, '-1h'),
    ]);
  });

  after(async () => {
    await Promise.all([ahead?.kill('SIGTERM'), behind?.kill('SIGTERM')]);
    await redis?.stop();
  });

  it('run an hour ahead and an hour behind', () => {
    assert.ok(Math.abs(ahead.skewMs - SKEW_MS) < 60_000, `ahead by ${ahead.skewMs} ms`);
    assert.ok(Math.abs(behind.skewMs + SKEW_MS) < 60_000, `behind by ${-behind.skewMs} ms`);
  });

  it(
    'hand out deadlines on Redis’s clock, and expire leases neither early nor late',
    { timeout: 40_000 },
    async () => {
      const queue = uniqueName('clock');
      const viaAhead = connectClient(ahead.address);
      const viaBehind = connectClient(behind.address);
      try {
        for (let i = 0; i < 10; i++)
          await call((cb) =>
            viaAhead.enqueue({ queue, tenantId: 't', payload: Buffer.from(`${i}`) }, cb),
          );
        const first = await leaseOnce(viaAhead, queue, 10);
        const leasedAt = Date.now();
        for (const j of first) {
          const offset = expireMs(j) - leasedAt;
          assert.ok(
            Math.abs(offset - VISIBILITY_MS) < 500,
            `deadline ${offset} ms away, not ${VISIBILITY_MS}`,
          );
        }
        // Late in the lease, through the replica an hour behind: still valid.
        await sleep(VISIBILITY_MS - 800);
        const [kept, ...left] = first;
        await call((cb) => viaBehind.ack({ leaseId: kept!.leaseId }, cb));
        // The rest expire; a worker on the "behind" replica gets them back right after the deadline.
        const again = await leaseOnce(viaBehind, queue, left.length, 10_000);
        const backAt = Date.now();
        const deadline = Math.max(...left.map(expireMs));
        assert.equal(again.length, left.length);
        assert.ok(backAt >= Math.min(...left.map(expireMs)), 'not before the deadline');
        assert.ok(backAt - deadline < LATE_MS, `back ${backAt - deadline} ms after the deadline`);
        assert.ok(again.every((j) => j.job!.attempt === 2));
      } finally {
        viaAhead.close();
        viaBehind.close();
      }
    },
  );

  it(
    'pass the history checker under load, with leases expiring across the two',
    { timeout: 60_000 },
    async () => {
      const queue = uniqueName('clock');
      const run = new LoadRun({
        addresses: [ahead.address, behind.address],
        queues: [queue],
        rate: 200,
        total: 600,
        workersPerQueue: 4, // alternately on each replica
        worker: { visibilityMs: 1500, credits: 10, workMs: [50, 300], nackRate: 0.05 },
      });
      run.start();
      for (let round = 0; round < 3; round++) {
        await sleep(800);
        const w = run.workers[round % run.workers.length]!;
        run.history.fault('stream-cut', w.name);
        w.cut(true); // its leases expire: someone on either replica gets them
      }
      await run.stopProducing();
      assert.ok(await run.drain(25_000), 'every job settled');
      const report = await run.finish();
      console.log(describeReport('clock skew +-1h', report));
      assert.deepEqual(report.verdict.violations, [], summarize(report.verdict));
      assert.equal(
        report.verdict.figures.duplicates.killed,
        0,
        'no lease came back before its deadline',
      );
      assert.ok(report.verdict.figures.duplicates.expired > 0);
    },
  );
});

/** Opens a stream, takes `n` jobs (waiting up to `timeoutMs`), and closes it without acking. */
async function leaseOnce(
  client: ReturnType<typeof connectClient>,
  queue: string,
  n: number,
  timeoutMs = 5000,
): Promise<LeasedJob__Output[]> {
  const worker = new TestWorker(client, {
    queue,
    credits: n,
    visibilityTimeout: seconds(VISIBILITY_MS),
  });
  try {
    return [...(await worker.waitForJobs(n, timeoutMs))];
  } finally {
    worker.cancel();
  }
}
