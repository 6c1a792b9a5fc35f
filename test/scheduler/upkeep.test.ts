/**
 * The upkeep of queues with no worker, against a real Redis with a pinned clock: expired leases,
 * due delayed jobs and dead jobs past retention are handled by a round of the upkeep timer; a
 * round visits only queues with due work (one claim call for all the others); the index never
 * loses due work marked while a queue's upkeep runs. A private Redis: the index spans queues.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { parseLeaseId } from '../../src/scheduler/ids';
import type { EnqueueInput } from '../../src/scheduler/job';
import { UPKEEP_DUE_KEY, UPKEEP_MARKS_KEY } from '../../src/scheduler/redis/keys';
import { UpkeepIndex } from '../../src/scheduler/redis/upkeep-index';
import { Upkeep } from '../../src/scheduler/upkeep';
import { uniqueName } from '../helpers/redis';
import { T0, checkInvariant, harness, scriptCalls, type Harness } from './harness';

// Dead jobs have a retention of their own (DEAD_RETENTION_MS); here both are one minute.
const RETENTION_MS = 60_000;
let h: Harness;
let upkeep: Upkeep;
let queue: string;
const outcomes: string[] = [];
before(async () => {
  h = await harness({
    own: true,
    store: { retentionMs: RETENTION_MS, deadRetentionMs: RETENTION_MS },
  });
  upkeep = new Upkeep(h.store, { warn: () => undefined }, {}, (outcome) => outcomes.push(outcome));
});
after(() => h.close());
afterEach(async () => {
  assert.deepEqual(await checkInvariant(h.redis, queue), [], 'every job is in exactly one state');
});

/** A new queue, the clock back at T0, and an empty index (each test's queues are its own). */
async function fresh(): Promise<void> {
  queue = uniqueName();
  h.clock.now = T0;
  await h.redis.del(UPKEEP_DUE_KEY, UPKEEP_MARKS_KEY);
}

function input(extra: Partial<EnqueueInput> = {}): EnqueueInput {
  return { queue, tenantId: 'acme', payload: Buffer.from('p'), ...extra };
}

describe('upkeep with no worker connected', () => {
  it('moves an expired lease back: the job is no longer shown LEASED, nor counted', async () => {
    await fresh();
    const { jobId } = await h.scheduler.enqueue(input());
    await h.scheduler.lease(queue, 1, 1000);
    h.clock.now += 1001;
    outcomes.length = 0;
    await upkeep.runOnce();
    assert.deepEqual(outcomes, ['ok'], 'one queue visited, and observed');
    const job = await h.scheduler.getJob(jobId);
    assert.equal(job.state, 'scheduled', 'retried after its backoff');
    assert.equal(job.lastError, 'lease expired');
    const stats = await h.scheduler.stats(queue);
    assert.equal(stats.counts.leased, 0);
    assert.equal(stats.tiers.find((t) => t.tier === 'free')!.expiredTotal, 1);
  });

  it('makes a due delayed job ready, so peek shows it', async () => {
    await fresh();
    const { jobId } = await h.scheduler.enqueue(input({ delayMs: 5000 }));
    h.clock.now += 4999;
    await upkeep.runOnce();
    assert.equal((await h.scheduler.getJob(jobId)).state, 'scheduled', 'not before it is due');
    h.clock.now += 1;
    await upkeep.runOnce();
    assert.equal((await h.scheduler.getJob(jobId)).state, 'pending');
    const peek = await h.scheduler.listJobs(queue, 'pending');
    assert.deepEqual(
      peek.jobs.map((j) => j.id),
      [jobId],
    );
  });

  it('drops dead jobs past retention from the dead set and their tier’s count', async () => {
    await fresh();
    const { jobId } = await h.scheduler.enqueue(input());
    const [leased] = (await h.scheduler.lease(queue, 1, 1000)).jobs;
    await h.scheduler.nack({ leaseId: leased!.leaseId, noRetry: true });
    h.clock.now += RETENTION_MS - 1;
    await upkeep.runOnce();
    assert.equal((await h.scheduler.stats(queue)).counts.dead, 1, 'kept for the retention');
    h.clock.now += 1;
    await upkeep.runOnce();
    const stats = await h.scheduler.stats(queue);
    assert.equal(stats.counts.dead, 0);
    assert.equal(stats.tiers.find((t) => t.tier === 'free')!.counts.dead, 0, 'no ghost count');
    await assert.rejects(h.scheduler.getJob(jobId), /not found/);
  });

  it('visits only queues with due work: one claim call for all the idle ones', async () => {
    await fresh();
    for (let i = 0; i < 20; i++) await h.scheduler.enqueue(input({ queue: uniqueName() }));
    await h.scheduler.enqueue(input({ delayMs: 1000 }));
    h.clock.now += 1000;
    await upkeep.runOnce(); // the due queue: a claim, its upkeep, its index entry
    const before = await scriptCalls(h.redis);
    h.clock.now += 60_000;
    await upkeep.runOnce();
    assert.equal((await scriptCalls(h.redis)) - before, 1, 'one claim, no script per queue');
  });
});

describe('the upkeep index hears only of earlier due work', () => {
  const entry = async (): Promise<number | null> => {
    const score = await h.redis.zscore(UPKEEP_DUE_KEY, queue);
    return score === null ? null : Number(score);
  };
  const marked = async (): Promise<boolean> =>
    (await h.redis.sismember(UPKEEP_MARKS_KEY, queue)) === 1;

  it('is told of a lease deadline earlier than the queue’s due work, not of a later one', async () => {
    await fresh();
    for (let i = 0; i < 3; i++) await h.scheduler.enqueue(input());
    await h.scheduler.lease(queue, 1, 10_000);
    assert.equal(await entry(), T0 + 10_000);
    await h.redis.del(UPKEEP_MARKS_KEY);
    await h.scheduler.lease(queue, 1, 20_000);
    assert.equal(await marked(), false, 'a later deadline: no mark call');
    assert.equal(await entry(), T0 + 10_000);
    await h.scheduler.lease(queue, 1, 5_000);
    assert.equal(await marked(), true);
    assert.equal(await entry(), T0 + 5_000);
  });

  it('still expires a lease it was not told of, once the worker that took it is gone', async () => {
    await fresh();
    await h.scheduler.enqueue(input());
    const { jobId } = await h.scheduler.enqueue(input());
    const [first] = (await h.scheduler.lease(queue, 1, 1000)).jobs;
    await h.redis.del(UPKEEP_MARKS_KEY);
    // The worker's next cycle: acks the first job and takes the second, in one call.
    const { jobs } = await h.scheduler.lease(queue, 1, 5000, {
      leases: [parseLeaseId(first!.leaseId)],
      results: [],
    });
    assert.equal(jobs[0]!.job.id, jobId);
    assert.equal(await marked(), false, 'its deadline is later than the acked one: no mark');
    h.clock.now += 1001;
    await upkeep.runOnce(); // visits at the first deadline, and finds the second lease
    assert.equal((await h.scheduler.getJob(jobId)).state, 'leased');
    h.clock.now += 4000;
    await upkeep.runOnce();
    const job = await h.scheduler.getJob(jobId);
    assert.equal(job.state, 'scheduled');
    assert.equal(job.lastError, 'lease expired');
  });

  it('makes a job snoozed on a queue with no worker ready when its snooze ends', async () => {
    await fresh();
    const { jobId } = await h.scheduler.enqueue(input());
    const [leased] = (await h.scheduler.lease(queue, 1, 60_000)).jobs;
    await h.scheduler.nack({ leaseId: leased!.leaseId, snooze: true, retryDelayMs: 2000 });
    h.clock.now += 2000;
    await upkeep.runOnce();
    assert.equal((await h.scheduler.getJob(jobId)).state, 'pending', 'long before the lease end');
  });
});

describe('the upkeep index', () => {
  it('keeps a queue marked while its upkeep ran, at the earlier time', async () => {
    await fresh();
    const index = new UpkeepIndex(h.redis, () => h.clock.now);
    await index.markIn(queue, 0);
    assert.deepEqual(await index.claim(100, 30_000), [queue]);
    assert.deepEqual(await index.claim(100, 30_000), [], 'claimed: hidden from other replicas');
    await index.markIn(queue, 50_000); // new work, after the upkeep's script looked
    await index.done(queue, undefined); // that script saw nothing due
    assert.equal(Number(await h.redis.zscore(UPKEEP_DUE_KEY, queue)), T0 + 30_000);
    h.clock.now += 30_000;
    assert.deepEqual(await index.claim(100, 30_000), [queue]);
    await index.done(queue, 20_000);
    assert.equal(Number(await h.redis.zscore(UPKEEP_DUE_KEY, queue)), T0 + 50_000);
    h.clock.now += 20_000;
    assert.deepEqual(await index.claim(100, 30_000), [queue]);
    await index.done(queue, undefined);
    assert.equal(await h.redis.zscore(UPKEEP_DUE_KEY, queue), null, 'nothing due: out');
  });

  it('marks every known queue due at start, for work written before the index', async () => {
    await fresh();
    await h.scheduler.enqueue(input());
    await h.redis.del(UPKEEP_DUE_KEY);
    await h.store.markAllDue();
    assert.notEqual(await h.redis.zscore(UPKEEP_DUE_KEY, queue), null);
    await upkeep.runOnce();
    assert.equal(await h.redis.zscore(UPKEEP_DUE_KEY, queue), null);
  });
});
