/**
 * MongoDB (the tier source; FerretDB here) slowed down, then killed, then back, during load.
 * Enqueue must go on: tenants already looked up keep their last known tier, new ones get the
 * default tier within the breaker timeout, and the history checker finds nothing lost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import { randomDbName, startFerretDb, type FerretDb } from '../helpers/mongo';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { startTestServer, type TestServer } from '../helpers/server';
import { startDelayProxy, viaProxy, type DelayProxy } from '../helpers/tcp-proxy';
import { summarize } from './checker';
import { call, connectClient, percentile, sleep } from './rpc';
import { LoadRun, describeReport } from './run';

const PHASE_MS = 2500;
/** Breaker timeout (250 ms) plus slack for a busy 2-core machine. */
const ENQUEUE_BOUND_MS = 1000;

describe('MongoDB slowed, then stopped, during load', () => {
  let redis: TestRedis;
  let mongo: FerretDb;
  let proxy: DelayProxy;
  let server: TestServer;
  const database = randomDbName('reliability');

  before(async () => {
    redis = await startRedis();
    mongo = await startFerretDb();
    const admin = await new MongoClient(mongo.uri).connect();
    await admin
      .db(database)
      .collection<{ _id: string; tier: string }>('customers')
      .insertMany([
        { _id: 'acme', tier: 'premium' },
        { _id: 'globex', tier: 'premium' },
      ]);
    await admin.close();
    proxy = await startDelayProxy(mongo.port);
    server = await startTestServer(redis.url, {
      MONGODB_URI: viaProxy(mongo.uri, proxy),
      MONGODB_DATABASE: database,
    });
  });

  after(async () => {
    await server?.stop();
    await proxy?.close();
    await mongo?.kill();
    await redis?.stop();
  });

  it(
    'keeps enqueueing with last known or default tiers; nothing lost',
    { timeout: 60_000 },
    async () => {
      const probe = connectClient(server.address);
      const queue = uniqueName('mongo');
      const tenants = ['acme', 'globex', ...Array.from({ length: 100 }, (_, i) => `t${i}`)];
      const run = new LoadRun({
        addresses: [server.address],
        queues: [queue],
        tenants,
        rate: 150,
        workersPerQueue: 2,
        worker: { visibilityMs: 5000, credits: 10, workMs: [5, 50] },
      });
      let fresh = 0;
      const enqueue = async (tenantId: string): Promise<{ ms: number; tier: string }> => {
        const started = Date.now();
        const res = await call<EnqueueResponse__Output>((cb) =>
          probe.enqueue({ queue, tenantId }, cb),
        );
        run.history.add({ kind: 'enqueue', jobId: res.jobId, at: started });
        return { ms: Date.now() - started, tier: res.tier };
      };
      /** Enqueues for unseen tenants (cache misses) and for acme, through one phase. */
      const phase = async (): Promise<{
        p99: number;
        acme: Set<string>;
        strangers: Set<string>;
      }> => {
        const ms: number[] = [];
        const acme = new Set<string>();
        const strangers = new Set<string>();
        const end = Date.now() + PHASE_MS;
        while (Date.now() < end) {
          const a = await enqueue('acme');
          const s = await enqueue(`stranger-${fresh++}`);
          ms.push(a.ms, s.ms);
          acme.add(a.tier);
          strangers.add(s.tier);
          await sleep(50);
        }
        return { p99: percentile(ms, 99), acme, strangers };
      };
      try {
        run.start();
        const normal = await phase();
        proxy.setDelay(3000);
        const slow = await phase();
        await mongo.kill();
        const down = await phase();
        mongo = await startFerretDb(mongo.dir, mongo.port);
        proxy.setDelay(0);
        const back = await phase();
        await run.stopProducing();
        assert.ok(await run.drain(20_000), 'every job settled');
        const report = await run.finish();
        console.log(
          `MongoDB faults: enqueue p99 normal ${normal.p99} ms, slow ${slow.p99} ms, down ${down.p99} ms, ` +
            `back ${back.p99} ms; acme's tier while slow/down: ${[...slow.acme, ...down.acme].join('/')}`,
        );
        console.log(describeReport('MongoDB slow + down', report));
        assert.deepEqual([...normal.acme], ['premium']);
        assert.deepEqual(
          [...slow.acme, ...down.acme].filter((t) => t !== 'premium'),
          [],
          'last known tier',
        );
        assert.deepEqual([...down.strangers], ['free'], 'the default tier for unknown tenants');
        for (const [name, p] of Object.entries({ slow, down, back }))
          assert.ok(p.p99 < ENQUEUE_BOUND_MS, `enqueue p99 ${p.p99} ms while Mongo is ${name}`);
        assert.deepEqual(report.verdict.violations, [], summarize(report.verdict));
      } finally {
        probe.close();
      }
    },
  );
});
