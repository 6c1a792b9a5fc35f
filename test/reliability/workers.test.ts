/**
 * Faults on the worker side, each judged by the history checker: a worker process SIGKILLed with
 * jobs in hand, Lease streams cut mid-flight, and the replica the workers stream from SIGKILLed.
 * In every case nothing may be lost or acked twice, and every repeat delivery must be explained by
 * an expired lease (or a nack): the leases of a dead worker come back after their visibility
 * timeout, not before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { uniqueName, useRedis } from '../helpers/redis';
import { startTestServer, type TestServer } from '../helpers/server';
import { summarize } from './checker';
import { spawnServer, spawnWorker, type ServerProc } from './procs';
import { sleep } from './rpc';
import { LoadRun, describeReport } from './run';

const redis = useRedis();

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('worker faults', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer(redis.url);
  });

  after(async () => {
    await server.stop();
  });

  it(
    'redelivers the jobs of a SIGKILLed worker after their visibility timeout, and loses none',
    { timeout: 60_000 },
    async () => {
      const queue = uniqueName('killed');
      const visibilityMs = 3000;
      const run = new LoadRun({
        addresses: [server.address],
        queues: [queue],
        rate: 150,
        total: 300,
        worker: { visibilityMs, credits: 20, workMs: [5, 30], nackRate: 0.05, deadRate: 0.02 },
      });
      // Slow work: it holds a full hand of leases when it dies.
      const doomed = await spawnWorker(
        [server.address],
        { name: 'doomed', queue, visibilityMs, credits: 15, workMs: [5000, 8000] },
        run.history,
      );
      run.start();
      await until('the doomed worker to take 10 jobs', () => doomed.delivered() >= 10, 15_000);
      await doomed.crash();
      await run.stopProducing();
      assert.ok(await run.drain(25_000), 'every job settled');
      const report = await run.finish();
      console.log(describeReport('worker SIGKILL', report));
      assert.deepEqual(report.verdict.violations, [], summarize(report.verdict));
      const { duplicates } = report.verdict.figures;
      assert.ok(duplicates.expired >= 10, 'the killed worker’s jobs came back after expiry');
      assert.equal(duplicates.killed, 0, 'no lease came back before its deadline');
    },
  );

  it(
    'survives Lease streams cut mid-flight: held jobs are acked by unary calls or come back on expiry',
    { timeout: 60_000 },
    async () => {
      const queue = uniqueName('cut');
      const run = new LoadRun({
        addresses: [server.address],
        queues: [queue],
        rate: 200,
        total: 600,
        workersPerQueue: 3,
        worker: { visibilityMs: 2000, credits: 10, workMs: [100, 400], inlineRate: 0.3 },
      });
      run.start();
      const [keeps, drops] = run.workers as [(typeof run.workers)[0], (typeof run.workers)[0]];
      for (let round = 0; round < 3; round++) {
        await sleep(700);
        // One stream is cut while its worker goes on (its acks go unary); another worker "dies".
        run.history.fault('stream-cut', keeps.name);
        keeps.cut(false);
        run.history.fault('stream-cut', drops.name);
        drops.cut(true);
      }
      await run.stopProducing();
      assert.ok(await run.drain(25_000), 'every job settled');
      const report = await run.finish();
      console.log(describeReport('stream cut', report));
      assert.deepEqual(report.verdict.violations, [], summarize(report.verdict));
      assert.equal(report.verdict.figures.duplicates.killed, 0, 'no lease came back early');
      assert.ok(report.verdict.figures.duplicates.expired > 0, 'dropped jobs came back on expiry');
    },
  );
});

describe('a replica SIGKILLed while workers stream from it', () => {
  let doomed: ServerProc;
  let survivor: ServerProc;

  before(async () => {
    const env = { REDIS_URL: redis.url };
    [doomed, survivor] = await Promise.all([spawnServer({ env }), spawnServer({ env })]);
  });

  after(async () => {
    await Promise.all([doomed.kill(), survivor.kill('SIGTERM')]);
  });

  it(
    'workers reconnect to another replica and ack there; nothing lost',
    { timeout: 60_000 },
    async () => {
      const queue = uniqueName('replica');
      const run = new LoadRun({
        addresses: [doomed.address, survivor.address],
        queues: [queue],
        rate: 200,
        total: 800,
        worker: {
          visibilityMs: 3000,
          credits: 10,
          workMs: [50, 300],
          nackRate: 0.05,
          inlineRate: 0.2,
        },
      });
      for (let i = 0; i < 3; i++) run.addWorker(queue, { home: 0 }); // all on the doomed replica
      run.start();
      await sleep(1500);
      const killedAt = Date.now();
      run.history.fault('replica-killed', undefined, doomed.address);
      await doomed.kill('SIGKILL');
      await run.stopProducing();
      assert.ok(await run.drain(25_000), 'every job settled');
      const report = await run.finish();
      console.log(describeReport('replica SIGKILL', report));
      assert.deepEqual(report.verdict.violations, [], summarize(report.verdict));
      const acksAfter = run.history.events.filter(
        (e) => e.kind === 'ack' && e.outcome === 'OK' && e.at > killedAt,
      ).length;
      assert.ok(acksAfter > 100, `workers went on acking on the survivor (${acksAfter} acks)`);
      assert.ok(report.verdict.figures.settled.acked > 700);
    },
  );
});
