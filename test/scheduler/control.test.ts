/**
 * Queue control on the store, against a real Redis with a pinned clock: pausing a queue or one
 * tenant, priority edits and promotion of waiting jobs, bulk cancel and purge, and the separate
 * retention of dead jobs. The invariant checker runs after every test.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { QueueControl } from '../../src/scheduler/control';
import { isSchedulerError } from '../../src/scheduler/errors';
import { parseJobId, parseLeaseId } from '../../src/scheduler/ids';
import { jobKey, jobOutputKey, metaKey, queuePrefix } from '../../src/scheduler/redis/keys';
import { queuesWokenBy, uniqueName } from '../helpers/redis';
import { T0, checkInvariant, harness, type Harness } from './harness';
import { job } from './workload';

let h: Harness;
let control: QueueControl;
let queue: string;
before(async () => {
  h = await harness({ store: { retentionMs: 60_000, deadRetentionMs: 600_000 } });
  control = new QueueControl(h.store);
});
after(() => h.close());
afterEach(async () => {
  assert.deepEqual(await checkInvariant(h.redis, queue), [], 'every job is in exactly one state');
});

function fresh(): string {
  queue = uniqueName();
  h.clock.now = T0;
  return queue;
}

async function enqueue(tenant: string, tier: string, n: number, extra = {}): Promise<string[]> {
  const jobs = Array.from({ length: n }, () => ({ ...job(tenant, tier), ...extra }));
  return (await h.store.enqueue(queue, jobs)).map((r) => r.jobId);
}

const leaseTenants = async (n: number): Promise<string[]> =>
  (await h.store.lease(queue, n, 30_000)).jobs.map((l) => l.job.tenantId);

async function failsPrecondition(pending: Promise<unknown>, state: string): Promise<void> {
  await assert.rejects(pending, (err: unknown) => {
    assert.ok(isSchedulerError(err), String(err));
    assert.equal(err.code, 'failed_precondition');
    assert.match(err.message, new RegExp(`is ${state}`));
    return true;
  });
}

describe('pausing a queue', () => {
  it('leases nothing while paused, keeps enqueues and acks working, and resumes', async () => {
    fresh();
    await enqueue('a', 'free', 3);
    const [out] = (await h.store.lease(queue, 1, 30_000)).jobs;
    assert.equal(await control.pause(queue), true);
    assert.equal(await control.pause(queue), false, 'already paused');
    await enqueue('a', 'free', 2);
    assert.deepEqual(await leaseTenants(10), [], 'nothing leased while paused');
    await h.store.ack(parseLeaseId(out!.leaseId));
    const stats = await h.store.stats(queue);
    assert.equal(stats.paused, true);
    assert.equal(stats.counts.pending, 4);
    assert.equal(await control.resume(queue), true);
    assert.equal(await control.resume(queue), false, 'not paused any more');
    assert.equal((await leaseTenants(10)).length, 4);
  });

  it('still moves due jobs and expired leases while paused', async () => {
    fresh();
    await enqueue('a', 'free', 1, { delayMs: 1000 });
    await enqueue('b', 'free', 1);
    const [out] = (await h.store.lease(queue, 1, 500)).jobs;
    await control.pause(queue);
    h.clock.now = T0 + 2000;
    const batch = await h.store.lease(queue, 10, 30_000);
    assert.equal(batch.jobs.length, 0);
    // The due job is ready; the expired lease counted an attempt and waits for its backoff.
    const stats = await h.store.stats(queue);
    assert.deepEqual(stats.counts, { pending: 1, scheduled: 1, leased: 0, dead: 0 });
    const expired = await h.store.get(parseLeaseId(out!.leaseId));
    assert.equal(expired.state, 'scheduled');
    assert.equal(expired.lastError, 'lease expired');
  });

  it('holds back snoozed and retried jobs too once they are due, until resumed', async () => {
    fresh();
    await enqueue('a', 'free', 2);
    const [x, y] = (await h.store.lease(queue, 2, 30_000)).jobs;
    await h.store.release(parseLeaseId(x!.leaseId), 1000); // a worker's snooze
    await h.store.nack(parseLeaseId(y!.leaseId), 'boom', 1000, false); // a retry
    await control.pause(queue);
    h.clock.now = T0 + 1000;
    assert.deepEqual(await leaseTenants(10), [], 'due, but the queue is paused');
    assert.equal((await h.store.stats(queue)).counts.pending, 2, 'ready all the same');
    await control.resume(queue);
    assert.deepEqual(await leaseTenants(10), ['a', 'a']);
  });

  it('keeps a lease taken before the pause valid', async () => {
    fresh();
    await enqueue('a', 'free', 1);
    const [out] = (await h.store.lease(queue, 1, 30_000)).jobs;
    await control.pause(queue);
    await h.store.extend(parseLeaseId(out!.leaseId), 60_000);
    await h.store.ack(parseLeaseId(out!.leaseId));
    assert.equal((await h.store.get(parseLeaseId(out!.leaseId))).state, 'succeeded');
  });

  it('wakes waiting consumers when resumed, and only then', async () => {
    fresh();
    await enqueue('a', 'free', 1);
    assert.deepEqual(await queuesWokenBy(h.redis, () => control.pause(queue)), []);
    assert.deepEqual(await queuesWokenBy(h.redis, () => control.resume(queue)), [queue]);
    assert.deepEqual(
      await queuesWokenBy(h.redis, () => control.resume(queue)),
      [],
      'no change, no wake',
    );
  });

  it('is remembered in Redis, where a new store sees it', async () => {
    fresh();
    await control.pause(queue);
    assert.equal(await h.redis.hget(metaKey(queue), 'paused'), '1');
    await control.resume(queue);
    assert.equal(await h.redis.hget(metaKey(queue), 'paused'), null);
  });
});

describe('pausing one tenant', () => {
  it('skips the paused tenant and serves the others of its tier', async () => {
    fresh();
    await enqueue('a', 'free', 5);
    await enqueue('b', 'free', 5);
    await control.pause(queue, 'a');
    assert.deepEqual(await leaseTenants(10), Array<string>(5).fill('b'));
    assert.deepEqual((await h.store.stats(queue)).pausedTenants, ['a']);
    await control.resume(queue, 'a');
    assert.deepEqual(await leaseTenants(10), Array<string>(5).fill('a'));
  });

  it('does not stall the tier of a tenant that is its only one', async () => {
    fresh();
    await enqueue('a', 'free', 3);
    await enqueue('p', 'premium', 30);
    await control.pause(queue, 'a');
    assert.deepEqual(await leaseTenants(30), Array<string>(30).fill('p'));
    assert.notEqual(await h.redis.zscore(`${queuePrefix(queue)}:tiers`, 'free'), null);
  });

  it('banks no credit: once resumed it takes turns, not a run of catching up', async () => {
    fresh();
    await enqueue('a', 'free', 20);
    await enqueue('b', 'free', 40);
    await control.pause(queue, 'a');
    assert.deepEqual(await leaseTenants(20), Array<string>(20).fill('b'));
    await control.resume(queue, 'a');
    // Like a tenant back from idle it starts at the tenant virtual time: half the turns, give
    // or take one; with the credit of its pause it would take all ten.
    const next = await leaseTenants(10);
    const turns = next.filter((t) => t === 'a').length;
    assert.ok(turns >= 5 && turns <= 6, next.join());
  });

  it('holds back the tenant’s snoozed and retried jobs once due, serving the others', async () => {
    fresh();
    await enqueue('a', 'free', 2);
    const [x, y] = (await h.store.lease(queue, 2, 30_000)).jobs;
    await h.store.release(parseLeaseId(x!.leaseId), 1000);
    await h.store.nack(parseLeaseId(y!.leaseId), 'boom', 1000, false);
    await control.pause(queue, 'a');
    await enqueue('b', 'free', 2);
    h.clock.now = T0 + 1000;
    assert.deepEqual(await leaseTenants(10), ['b', 'b']);
    await control.resume(queue, 'a');
    assert.deepEqual(await leaseTenants(10), ['a', 'a']);
  });

  it('lets new jobs of a paused tenant wait, counted as pending', async () => {
    fresh();
    await control.pause(queue, 'a');
    await enqueue('a', 'free', 2);
    assert.deepEqual(await leaseTenants(10), []);
    assert.equal((await h.store.stats(queue)).counts.pending, 2);
  });
});

describe('editing a waiting job', () => {
  it('moves a pending job to its new priority, ahead of lower ones', async () => {
    fresh();
    const ids = await enqueue('a', 'free', 3);
    const moved = await control.updatePriority(ids[2]!, 9);
    assert.equal(moved.priority, 9);
    assert.equal(moved.state, 'pending');
    const order = (await h.store.lease(queue, 3, 30_000)).jobs.map((l) => l.job.id);
    assert.deepEqual(order, [ids[2], ids[0], ids[1]]);
  });

  it('changes a scheduled job priority and keeps its due time', async () => {
    fresh();
    const [id] = await enqueue('a', 'free', 1, { delayMs: 5000 });
    const job = await control.updatePriority(id!, 4);
    assert.equal(job.priority, 4);
    assert.equal(job.state, 'scheduled');
    assert.equal(job.scheduledTime, T0 + 5000);
  });

  it('promotes a scheduled job to ready now, and leaves a pending one as it is', async () => {
    fresh();
    const [later] = await enqueue('a', 'free', 1, { delayMs: 60_000 });
    const [now] = await enqueue('a', 'free', 1);
    assert.equal((await control.promote(later!)).state, 'pending');
    assert.equal((await control.promote(now!)).state, 'pending');
    const stats = await h.store.stats(queue);
    assert.deepEqual(stats.counts, { pending: 2, scheduled: 0, leased: 0, dead: 0 });
    assert.equal((await leaseTenants(10)).length, 2);
  });

  it('refuses to edit a leased or finished job, naming its state', async () => {
    fresh();
    const [id] = await enqueue('a', 'free', 1);
    const [out] = (await h.store.lease(queue, 1, 30_000)).jobs;
    await failsPrecondition(control.updatePriority(id!, 5), 'leased');
    await failsPrecondition(control.promote(id!), 'leased');
    await h.store.ack(parseLeaseId(out!.leaseId));
    await failsPrecondition(control.updatePriority(id!, 5), 'succeeded');
    await failsPrecondition(control.promote(id!), 'succeeded');
    assert.equal((await h.store.get(parseJobId(id!))).priority, 0, 'unchanged');
  });

  it('rejects a priority out of range, naming the field', async () => {
    fresh();
    const [id] = await enqueue('a', 'free', 1);
    await assert.rejects(control.updatePriority(id!, 10), {
      code: 'invalid_argument',
      field: 'priority',
    });
    await assert.rejects(control.promote(`${queue}/99`), { code: 'not_found' });
  });
});

describe('bulk actions', () => {
  it('cancels pending and scheduled jobs of one tenant only, bounded per call', async () => {
    fresh();
    await enqueue('a', 'free', 5);
    await enqueue('a', 'free', 3, { delayMs: 1000 });
    await enqueue('b', 'free', 4);
    await enqueue('b', 'free', 2, { delayMs: 500 });
    const first = await control.cancelJobs(queue, 'a', 6);
    assert.equal(first.cancelled, 6);
    assert.notEqual(first.nextPageToken, '');
    const second = await control.cancelJobs(queue, 'a', 6, first.nextPageToken);
    assert.deepEqual(second, { cancelled: 2, nextPageToken: '' });
    assert.deepEqual(await control.cancelJobs(queue, 'a', 6), { cancelled: 0, nextPageToken: '' });
    const stats = await h.store.stats(queue);
    assert.deepEqual(stats.counts, { pending: 4, scheduled: 2, leased: 0, dead: 0 });
    assert.deepEqual(await leaseTenants(10), Array<string>(4).fill('b'));
  });

  it('cancels every tenant of a queue, leaving leased jobs alone', async () => {
    fresh();
    await enqueue('a', 'free', 3);
    await enqueue('p', 'premium', 3, { delayMs: 1000 });
    const [out] = (await h.store.lease(queue, 1, 30_000)).jobs;
    assert.deepEqual(await control.cancelJobs(queue), { cancelled: 5, nextPageToken: '' });
    const stats = await h.store.stats(queue);
    assert.deepEqual(stats.counts, { pending: 0, scheduled: 0, leased: 1, dead: 0 });
    assert.equal((await h.store.get(parseLeaseId(out!.leaseId))).state, 'leased');
  });

  it('purges the oldest dead jobs a bounded number per call, with their progress', async () => {
    fresh();
    await enqueue('a', 'free', 3, { maxAttempts: 1 });
    const leased = (await h.store.lease(queue, 3, 30_000)).jobs;
    await h.store.progress(parseLeaseId(leased[0]!.leaseId), Buffer.from('{"percent":40}'));
    for (const l of leased) await h.store.nack(parseLeaseId(l.leaseId), 'boom', undefined, true);
    assert.equal(await h.redis.exists(jobOutputKey(queue, '1')), 1);
    assert.equal(await control.purgeDead(queue, 2), 2);
    assert.equal(await control.purgeDead(queue, 2), 1);
    assert.equal(await control.purgeDead(queue, 2), 0);
    assert.equal((await h.store.stats(queue)).counts.dead, 0);
    assert.equal(await h.redis.exists(jobKey(queue, '1')), 0, 'record deleted');
    assert.equal(await h.redis.exists(jobOutputKey(queue, '1')), 0, 'its progress too');
  });
});

describe('DEAD_RETENTION_MS', () => {
  it('keeps dead jobs for their own retention, apart from succeeded ones', async () => {
    fresh();
    const [dead, done] = await enqueue('a', 'free', 2, { maxAttempts: 1 });
    const [x, y] = (await h.store.lease(queue, 2, 30_000)).jobs;
    await h.store.nack(parseLeaseId(x!.leaseId), 'boom', undefined, true);
    await h.store.ack(parseLeaseId(y!.leaseId));
    const ttl = async (id: string): Promise<number> =>
      h.redis.pttl(jobKey(queue, parseJobId(id).seq));
    // 10 minutes, and the hour lease.lua keeps a dead record past it to read its tier (retry.lua).
    const deadTtl = await ttl(dead!);
    assert.ok(
      deadTtl > 3_600_000 && deadTtl <= 4_200_000,
      `dead: 10 minutes + 1 h, not ${deadTtl}`,
    );
    assert.ok((await ttl(done!)) <= 60_000, 'succeeded: 1 minute');
    h.clock.now = T0 + 120_000; // past the retention of succeeded jobs, not of dead ones
    await h.store.lease(queue, 1, 30_000); // prunes the dead set by its retention
    assert.equal((await h.store.stats(queue)).counts.dead, 1);
  });
});
