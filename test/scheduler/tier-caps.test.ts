/**
 * Per-tier concurrency caps (TIER_CONCURRENCY), enforced inside lease.lua: a tier at its cap is
 * skipped but stays active, other tiers keep flowing, and an ack that frees a slot wakes the
 * waiting consumers. First how the caps reach the scripts, then on the store with a pinned
 * clock, then through a real server.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { parseLeaseId } from '../../src/scheduler/ids';
import { WAKE_CHANNEL, queuePrefix } from '../../src/scheduler/redis/keys';
import { encodeTiers } from '../../src/scheduler/redis/scripts';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import { uniqueName } from '../helpers/redis';
import { TestWorker, seconds, unary, useTestServer } from '../helpers/server';
import { waitFor } from '../clients/helpers';
import { T0, checkInvariant, harness, type Harness } from './harness';
import { job } from './workload';

describe('encodeTiers', () => {
  it('passes caps to the scripts beside the weights', () => {
    const weights = new Map([
      ['premium', 1000],
      ['free', 100],
    ]);
    assert.equal(encodeTiers(weights, new Map()), 'premium=1000,free=100');
    assert.equal(encodeTiers(weights, new Map([['free', 50]])), 'premium=1000,free=100:50');
  });
});

describe('lease.lua with a cap of 2 on free', () => {
  let h: Harness;
  let queue: string;
  before(async () => {
    h = await harness({ store: { tierCaps: new Map([['free', 2]]) } });
  });
  after(() => h.close());
  afterEach(async () => {
    assert.deepEqual(await checkInvariant(h.redis, queue), [], 'every job is in exactly one state');
  });

  const fill = async (tier: string, n: number): Promise<void> => {
    await h.store.enqueue(
      queue,
      Array.from({ length: n }, (_, i) => job(`${tier}-t${i % 3}`, tier)),
    );
  };
  const leaseTiers = async (n: number): Promise<string[]> =>
    (await h.store.lease(queue, n, 30_000)).jobs.map((l) => l.job.tier);
  /** Runs `settle` while listening on the wake channel; resolves once the queue was woken. */
  const wakesQueue = async (settle: () => Promise<unknown>): Promise<void> => {
    const sub = h.redis.duplicate({ enableOfflineQueue: true });
    const woken: string[] = [];
    sub.on('message', (_channel: string, q: string) => woken.push(q));
    await sub.subscribe(WAKE_CHANNEL);
    try {
      await settle();
      await waitFor('a wake for the queue', () => woken.includes(queue), 2000);
    } finally {
      sub.disconnect();
    }
  };

  it('leases at most 2 free jobs until one is acked, without deactivating the tier', async () => {
    queue = uniqueName();
    h.clock.now = T0;
    await fill('free', 10);
    const first = await h.store.lease(queue, 10, 30_000);
    assert.equal(first.jobs.length, 2);
    assert.equal(await h.redis.hget(`${queuePrefix(queue)}:count`, 'leased:free'), '2');
    assert.notEqual(
      await h.redis.zscore(`${queuePrefix(queue)}:tiers`, 'free'),
      null,
      'still active',
    );
    assert.deepEqual(await leaseTiers(10), [], 'nothing more while at the cap');
    await h.store.ack(parseLeaseId(first.jobs[0]!.leaseId));
    assert.deepEqual(await leaseTiers(10), ['free'], 'one slot freed, one job');
    assert.deepEqual(await leaseTiers(10), []);
  });

  it('keeps serving premium while free is at its cap', async () => {
    queue = uniqueName();
    h.clock.now = T0;
    await fill('free', 10);
    const free = (await h.store.lease(queue, 10, 30_000)).jobs;
    assert.equal(free.length, 2);
    await fill('premium', 100);
    assert.deepEqual(await leaseTiers(40), Array<string>(40).fill('premium'));
    for (const l of free) await h.store.ack(parseLeaseId(l.leaseId));
    // Uncapped, free competes from the current virtual time: its usual 1 in 11, no catching up
    // for the time it spent at its cap.
    const next = await leaseTiers(11);
    assert.equal(next.filter((t) => t === 'free').length, 1, next.join());
  });

  it('counts a slot free again when a lease expires or a job is nacked', async () => {
    queue = uniqueName();
    h.clock.now = T0;
    await fill('free', 10);
    const [a] = (await h.store.lease(queue, 10, 1000)).jobs;
    await h.store.nack(parseLeaseId(a!.leaseId), 'boom', 60_000, false);
    assert.deepEqual(await leaseTiers(10), ['free'], 'the nack freed a slot');
    h.clock.now = T0 + 30_001; // every lease so far has expired
    assert.deepEqual(await leaseTiers(10), ['free', 'free']);
  });

  it('wakes waiting consumers when an ack frees a slot of a capped tier with work', async () => {
    queue = uniqueName();
    h.clock.now = T0;
    await fill('free', 3);
    const leased = (await h.store.lease(queue, 10, 30_000)).jobs;
    await wakesQueue(() => h.store.ack(parseLeaseId(leased[0]!.leaseId)));
  });

  it('wakes waiting consumers when one call acks every job of a capped tier', async () => {
    // ack.lua counts a call's acks per tier at once: the count drops from the cap straight to 0.
    queue = uniqueName();
    h.clock.now = T0;
    await fill('free', 4);
    const leased = (await h.store.lease(queue, 10, 30_000)).jobs;
    assert.equal(leased.length, 2);
    await wakesQueue(async () => {
      const errors = await h.store.ackMany(
        queue,
        leased.map((l) => parseLeaseId(l.leaseId)),
      );
      assert.deepEqual(errors, [undefined, undefined]);
    });
    assert.deepEqual(await leaseTiers(10), ['free', 'free']);
  });
});

describe('TIER_CONCURRENCY through the server', () => {
  const t = useTestServer({ STATIC_TIERS: 'acme=premium', TIER_CONCURRENCY: 'free=2' });

  const enqueue = (queue: string, tenantId: string, n: number): Promise<unknown> =>
    Promise.all(
      Array.from({ length: n }, () =>
        unary((cb) => t.client.enqueue({ queue, tenantId, payload: Buffer.from('p') }, cb)),
      ),
    );
  /** One tier's pending and leased jobs, as GetQueueStats reports them. */
  const tierCounts = async (
    queue: string,
    tier: string,
  ): Promise<{ pending: number; leased: number }> => {
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      t.client.getQueueStats({ queue }, cb),
    );
    const counts = stats.tiers.find((s) => s.tier === tier)?.counts;
    return { pending: Number(counts?.pending), leased: Number(counts?.leased) };
  };

  it('streams exactly 2 free jobs to 10 credits until one is acked; premium keeps flowing', async () => {
    const queue = uniqueName();
    await enqueue(queue, 'globex', 10);
    const worker = new TestWorker(t.client, {
      queue,
      credits: 10,
      visibilityTimeout: seconds(30_000),
    });
    await worker.waitForJobs(2);
    // Absence proved by the server's counts: one lease call asked for 10 and took only 2.
    assert.deepEqual(await tierCounts(queue, 'free'), { pending: 8, leased: 2 }, 'at the cap');

    await enqueue(queue, 'acme', 5);
    const jobs = await worker.waitForJobs(7);
    assert.deepEqual(
      jobs.map((j) => j.job?.tier),
      ['free', 'free', 'premium', 'premium', 'premium', 'premium', 'premium'],
    );

    const started = Date.now();
    worker.send({ acks: [jobs[0]!.leaseId] });
    const [, , , , , , , third] = await worker.waitForJobs(8);
    assert.equal(third?.job?.tier, 'free');
    // Woken by the ack (the dispatcher's idle safety net is 2 s).
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    // The lease the ack woke asked for the 3 credits left and took 1.
    assert.deepEqual(await tierCounts(queue, 'free'), { pending: 7, leased: 2 }, 'back at the cap');
    assert.equal(worker.jobs.length, 8);
    worker.end();
    await worker.status;
  });

  it('serves the credit of an ack that frees a slot, sent in the same message', async () => {
    // The server sends a message's lease call ahead of its acks: that lease finds the tier at
    // its cap, and the ack's wake must bring the next job, not the dispatcher's 2 s safety net.
    const queue = uniqueName();
    await enqueue(queue, 'globex', 5);
    const worker = new TestWorker(t.client, {
      queue,
      credits: 2,
      visibilityTimeout: seconds(30_000),
    });
    for (let n = 3; n <= 5; n++) {
      const jobs = await worker.waitForJobs(n - 1);
      const started = Date.now();
      worker.send({ acks: [jobs[n - 3]!.leaseId], credits: 1 });
      await worker.waitForJobs(n);
      assert.ok(Date.now() - started < 1000, `job ${n} took ${Date.now() - started} ms`);
    }
    worker.end();
    await worker.status;
  });
});
