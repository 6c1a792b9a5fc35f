/**
 * Every script against a real Redis, with the clock pinned: the state each operation leaves, the
 * fence on stale leases, expiry, retries, dead letters, redrive, idempotency, cancel and stats.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { isSchedulerError } from '../../src/scheduler/errors';
import { parseJobId, parseLeaseId } from '../../src/scheduler/ids';
import {
  idempotencyKey,
  jobKey,
  queueKey,
  queuePrefix,
  readyLogKey,
} from '../../src/scheduler/redis/keys';
import type { EnqueueInput } from '../../src/scheduler/job';
import { uniqueName } from '../helpers/redis';
import { T0, checkInvariant, harness, scriptCalls, snapshot, type Harness } from './harness';

let h: Harness;
let queue: string;
before(async () => (h = await harness({ tiers: { acme: 'premium' } })));
after(() => h.close());
// Each test gets a queue of its own and the clock at T0.
beforeEach(() => {
  queue = uniqueName();
  h.clock.now = T0;
});
afterEach(async () => {
  assert.deepEqual(await checkInvariant(h.redis, queue), [], 'every job is in exactly one state');
});

function input(extra: Partial<EnqueueInput> = {}): EnqueueInput {
  return { queue, tenantId: 'acme', payload: Buffer.from('{"to":"a@b.c"}'), ...extra };
}

async function rejects(promise: Promise<unknown>, code: string, field?: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isSchedulerError(err), `expected a SchedulerError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (field) assert.equal(err.field, field);
    return true;
  });
}

describe('enqueue, lease, ack', () => {
  it('stores a job as pending with its tier, then leases and acks it', async () => {
    const { jobId, tier, duplicate } = await h.scheduler.enqueue(
      input({ priority: 4, headers: { trace: 'x' } }),
    );
    assert.equal(tier, 'premium');
    assert.equal(duplicate, false);
    const pending = await h.scheduler.getJob(jobId);
    assert.equal(pending.state, 'pending');
    assert.equal(pending.attempt, 0);
    assert.equal(pending.enqueueTime, T0);
    assert.deepEqual(pending.headers, { trace: 'x' });

    const { jobs } = await h.scheduler.lease(queue, 10, 30_000);
    assert.equal(jobs.length, 1);
    const [leased] = jobs;
    assert.equal(leased!.job.id, jobId);
    assert.equal(leased!.job.attempt, 1);
    assert.equal(leased!.job.payload.toString(), '{"to":"a@b.c"}');
    assert.equal(leased!.leaseExpireTime, T0 + 30_000);
    assert.equal((await h.scheduler.getJob(jobId)).state, 'leased');

    await h.scheduler.ack(leased!.leaseId);
    const done = await h.scheduler.getJob(jobId);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.finishTime, T0);
    const ttl = await h.redis.pttl(jobKey(queue, parseJobId(jobId).seq));
    assert.ok(
      ttl > 0 && ttl <= 24 * 3600 * 1000,
      'a finished job is kept for the retention period',
    );
  });

  it('acks a long list in script calls of 1,000, so no call holds Redis long', async () => {
    await h.scheduler.enqueueBatch(Array.from({ length: 2500 }, () => input()));
    const leases: string[] = [];
    while (leases.length < 2500)
      leases.push(...(await h.scheduler.lease(queue, 1000, 30_000)).jobs.map((j) => j.leaseId));
    await h.redis.ping(); // after the lease calls' upkeep marks (not awaited by lease)
    const before = await scriptCalls(h.redis);
    const errors = await h.scheduler.ackMany(leases);
    assert.equal((await scriptCalls(h.redis)) - before, 3, 'three ack.lua calls');
    assert.ok(errors.every((e) => e === undefined));
    const stats = await h.scheduler.stats(queue);
    assert.deepEqual(stats.counts, { pending: 0, scheduled: 0, leased: 0, dead: 0 });
  });

  it('never delivers an acked job again', async () => {
    await h.scheduler.enqueue(input());
    const [leased] = (await h.scheduler.lease(queue, 1, 1000)).jobs;
    await h.scheduler.ack(leased!.leaseId);
    h.clock.now += 3_600_000;
    assert.deepEqual((await h.scheduler.lease(queue, 10, 1000)).jobs, []);
    await rejects(h.scheduler.ack(leased!.leaseId), 'failed_precondition', 'lease_id');
  });

  it('keeps binary payloads byte for byte', async () => {
    const payload = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await h.scheduler.enqueue(input({ payload }));
    const [leased] = (await h.scheduler.lease(queue, 1, 1000)).jobs;
    assert.deepEqual(leased!.job.payload, payload);
  });
});

describe('the job record', () => {
  it('keeps text fields with separators, newlines and multi-byte characters exactly', async () => {
    const tricky = '3:ab:ü\n0:';
    const { jobId } = await h.scheduler.enqueue(
      input({
        headers: { [tricky]: tricky, trace: 'é'.repeat(200) },
        idempotencyKey: `k:${tricky}`,
        payload: Buffer.from(`12:${tricky}`),
      }),
    );
    const leased = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    await h.scheduler.nack({ leaseId: leased.leaseId, error: tricky, retryDelayMs: 5000 });
    const job = await h.scheduler.getJob(jobId);
    assert.deepEqual(job.headers, { [tricky]: tricky, trace: 'é'.repeat(200) });
    assert.equal(job.idempotencyKey, `k:${tricky}`);
    assert.equal(job.lastError, tricky);
    assert.equal(job.payload.toString(), `12:${tricky}`);
    assert.equal(job.tenantId, 'acme');
    assert.equal(job.tier, 'premium');
    assert.equal(job.attempt, 1);
    assert.equal(job.scheduledTime, T0 + 5000);
  });
});

describe('order within a tenant and priority', () => {
  async function leaseAll(): Promise<string[]> {
    const { jobs } = await h.scheduler.lease(queue, 100, 1000);
    return jobs.map((l) => l.job.payload.toString());
  }

  it('puts a retried job ahead of the jobs not tried yet, and a due delayed job at the back', async () => {
    await h.scheduler.enqueue(input({ payload: Buffer.from('late'), delayMs: 1000 }));
    for (const name of ['a', 'b', 'c', 'd'])
      await h.scheduler.enqueue(input({ payload: Buffer.from(name) }));
    const [a, b] = (await h.scheduler.lease(queue, 2, 60_000)).jobs;
    await h.scheduler.nack({ leaseId: a!.leaseId, retryDelayMs: 0 });
    await h.scheduler.nack({ leaseId: b!.leaseId, retryDelayMs: 500 });
    h.clock.now += 1000;
    // b came back last (after its backoff), so it goes first; `late` is due, never tried: last.
    assert.deepEqual(await leaseAll(), ['b', 'a', 'c', 'd', 'late']);
  });

  it('keeps the others in order when a job is cancelled from the middle', async () => {
    const ids = [];
    for (const name of ['1', '2', '3', '4', '5'])
      ids.push((await h.scheduler.enqueue(input({ payload: Buffer.from(name) }))).jobId);
    await h.scheduler.cancelJob(ids[2]!);
    assert.deepEqual(await leaseAll(), ['1', '2', '4', '5']);
  });
});

describe('a record deleted behind the scripts', () => {
  it('drops the job wherever it is listed and keeps serving the queue', async () => {
    const drop = (id: string): Promise<number> => h.redis.del(jobKey(queue, parseJobId(id).seq));
    const ids: string[] = [];
    for (const name of ['1', '2', '3'])
      ids.push((await h.scheduler.enqueue(input({ payload: Buffer.from(name) }))).jobId);
    const delayed = await h.scheduler.enqueue(input({ payload: Buffer.from('d'), delayMs: 1000 }));
    await drop(ids[1]!);
    await drop(delayed.jobId);
    h.clock.now += 1000;
    const { jobs } = await h.scheduler.lease(queue, 10, 1000);
    assert.deepEqual(
      jobs.map((l) => l.job.payload.toString()),
      ['1', '3'],
    );
    assert.equal((await h.scheduler.stats(queue)).counts.pending, 0);

    await drop(ids[2]!); // leased, then lost: its lease expiry must not fail either
    h.clock.now += 1001;
    await h.scheduler.lease(queue, 10, 1000);
    const back = await h.scheduler.getJob(ids[0]!);
    assert.equal(back.state, 'scheduled', 'the other expired lease went on to its retry');
    assert.equal(back.lastError, 'lease expired');
  });
});

describe('lease fencing', () => {
  it('rejects an ack whose lease went to another worker, and changes nothing', async () => {
    await h.scheduler.enqueue(input());
    const first = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    h.clock.now += 1001;
    await h.scheduler.lease(queue, 1, 1000); // reaps the expired lease into its backoff
    h.clock.now += 1000;
    const second = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    assert.equal(second.job.id, first.job.id);
    assert.notEqual(second.leaseId, first.leaseId);
    const before = await snapshot(h.redis, queue);
    await rejects(h.scheduler.ack(first.leaseId), 'failed_precondition', 'lease_id');
    await rejects(h.scheduler.nack({ leaseId: first.leaseId, error: 'x' }), 'failed_precondition');
    await rejects(h.scheduler.extendLease(first.leaseId, 5000), 'failed_precondition');
    assert.deepEqual(await snapshot(h.redis, queue), before);
    await h.scheduler.ack(second.leaseId);
  });

  it('rejects an ack whose lease has expired, even before anyone leased the job again', async () => {
    await h.scheduler.enqueue(input());
    const leased = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    h.clock.now += 1001;
    const before = await snapshot(h.redis, queue);
    await rejects(h.scheduler.ack(leased.leaseId), 'failed_precondition', 'lease_id');
    assert.deepEqual(await snapshot(h.redis, queue), before);
  });

  it('accepts an ack at the deadline, and extends a lease from now', async () => {
    await h.scheduler.enqueue(input());
    const leased = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    h.clock.now += 900;
    assert.equal(await h.scheduler.extendLease(leased.leaseId, 5000), T0 + 5900);
    h.clock.now = T0 + 5900;
    assert.deepEqual(
      (await h.scheduler.lease(queue, 1, 1000)).jobs,
      [],
      'an extended lease is not redelivered',
    );
    await h.scheduler.ack(leased.leaseId);
  });

  it('gives every lease id of a call its own random part: a neighbour’s id cannot be guessed', async () => {
    await h.scheduler.enqueueBatch(Array.from({ length: 64 }, () => input()));
    const { jobs } = await h.scheduler.lease(queue, 64, 30_000);
    const tokens = jobs.map((j) => parseLeaseId(j.leaseId).token);
    assert.equal(new Set(tokens).size, 64);
    for (const token of tokens) assert.match(token, /^[A-Za-z0-9_-]{12}$/, '72 bits, base64url');
    // The tokens share nothing beyond chance: no common prefix of a quarter of their length.
    const prefixes = new Set(tokens.map((t) => t.slice(0, 3)));
    assert.ok(prefixes.size > 56, `${prefixes.size} distinct 3-char prefixes of 64`);
    // The first id's neighbour, guessed the old way (same random part, next counter), is stale.
    const [first, second] = jobs;
    const guess = `${queue}/${parseLeaseId(second!.leaseId).seq}/${parseLeaseId(first!.leaseId).token}`;
    await rejects(h.scheduler.extendLease(guess, 60_000), 'failed_precondition', 'lease_id');
    await h.scheduler.ack(second!.leaseId);
  });

  it('rejects malformed lease ids and job ids as invalid arguments', async () => {
    for (const bad of [
      '',
      'x',
      'q/1',
      'q/0/abcdefgh',
      'q/1/short',
      'bad queue/1/abcdefgh',
      'q/1/abcdefgh/x',
    ]) {
      await rejects(h.scheduler.ack(bad), 'invalid_argument', 'lease_id');
    }
    await rejects(h.scheduler.getJob('nope'), 'invalid_argument', 'job_id');
    await rejects(h.scheduler.ack(`${queue}/999/abcdefghij`), 'not_found');
    await rejects(h.scheduler.getJob(`${queue}/999`), 'not_found');
  });
});

describe('expiry, retries and dead letters', () => {
  it('redelivers an expired lease with attempt + 1 after its backoff', async () => {
    const { jobId } = await h.scheduler.enqueue(input());
    await h.scheduler.lease(queue, 1, 1000);
    h.clock.now += 1001;
    const reaped = await h.scheduler.lease(queue, 1, 1000);
    assert.deepEqual(reaped.jobs, [], 'backoff: not ready the moment it expires');
    const job = await h.scheduler.getJob(jobId);
    assert.equal(job.state, 'scheduled');
    assert.equal(job.lastError, 'lease expired');
    const backoff = job.scheduledTime! - h.clock.now;
    assert.ok(
      backoff >= 500 && backoff <= 1000,
      `first backoff ${backoff} ms is within [base/2, base]`,
    );
    assert.equal(reaped.nextWakeInMs, backoff);
    h.clock.now = job.scheduledTime!;
    const again = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    assert.equal(again.job.id, jobId);
    assert.equal(again.job.attempt, 2);
    const stats = await h.scheduler.stats(queue);
    assert.equal(stats.tiers.find((t) => t.tier === 'premium')!.expiredTotal, 1);
  });

  it('dead-letters a job at max attempts, and redrive brings it back with fresh attempts', async () => {
    const { jobId } = await h.scheduler.enqueue(input({ maxAttempts: 2 }));
    for (let attempt = 1; attempt <= 2; attempt++) {
      const leased = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
      assert.equal(leased.job.attempt, attempt);
      const result = await h.scheduler.nack({
        leaseId: leased.leaseId,
        error: `boom ${attempt}`,
        retryDelayMs: 0,
      });
      assert.equal(result.state, attempt < 2 ? 'pending' : 'dead');
    }
    const dead = await h.scheduler.getJob(jobId);
    assert.equal(dead.state, 'dead');
    assert.equal(dead.lastError, 'boom 2');
    const page = await h.scheduler.listDead(queue);
    assert.deepEqual(
      page.jobs.map((j) => j.id),
      [jobId],
    );
    assert.equal((await h.scheduler.stats(queue)).counts.dead, 1);

    assert.equal(await h.scheduler.redrive(queue, [jobId]), 1);
    const back = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    assert.equal(back.job.id, jobId);
    assert.equal(back.job.attempt, 1);
    assert.equal((await h.scheduler.stats(queue)).counts.dead, 0);
    await h.scheduler.ack(back.leaseId);
  });

  it('dead-letters an expired lease at max attempts', async () => {
    const { jobId } = await h.scheduler.enqueue(input({ maxAttempts: 1 }));
    await h.scheduler.lease(queue, 1, 1000);
    h.clock.now += 1001;
    await h.scheduler.lease(queue, 1, 1000);
    assert.equal((await h.scheduler.getJob(jobId)).state, 'dead');
  });

  it('retries after the delay a nack asks for, or dead-letters on no_retry', async () => {
    const { jobId } = await h.scheduler.enqueue(input());
    let leased = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    const retry = await h.scheduler.nack({
      leaseId: leased.leaseId,
      error: 'later',
      retryDelayMs: 7000,
    });
    assert.deepEqual(retry, { state: 'scheduled', retryTime: T0 + 7000 });
    h.clock.now += 6999;
    assert.deepEqual((await h.scheduler.lease(queue, 1, 1000)).jobs, []);
    h.clock.now += 1;
    leased = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    assert.equal(leased.job.id, jobId);
    assert.deepEqual(
      await h.scheduler.nack({ leaseId: leased.leaseId, error: 'bad input', noRetry: true }),
      {
        state: 'dead',
      },
    );
  });

  it('backs off exponentially, capped', async () => {
    const { jobId } = await h.scheduler.enqueue(input({ maxAttempts: 20 }));
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const leased = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
      const { retryTime } = await h.scheduler.nack({ leaseId: leased.leaseId, error: 'e' });
      delays.push(retryTime! - h.clock.now);
      h.clock.now = retryTime!;
      assert.equal((await h.scheduler.getJob(jobId)).state, 'scheduled');
    }
    delays.forEach((d, i) => {
      const full = Math.min(60_000, 1000 * 2 ** i);
      assert.ok(
        d >= full / 2 && d <= full,
        `attempt ${i + 1}: ${d} ms not within [${full / 2}, ${full}]`,
      );
    });
  });
});

describe('delays, idempotency, cancel', () => {
  it('holds a delayed job until its due time', async () => {
    const { jobId } = await h.scheduler.enqueue(input({ delayMs: 5000 }));
    const job = await h.scheduler.getJob(jobId);
    assert.equal(job.state, 'scheduled');
    assert.equal(job.scheduledTime, T0 + 5000);
    const early = await h.scheduler.lease(queue, 1, 1000);
    assert.deepEqual(early.jobs, []);
    assert.equal(early.nextWakeInMs, 5000);
    h.clock.now += 5000;
    assert.equal((await h.scheduler.lease(queue, 1, 1000)).jobs[0]!.job.id, jobId);
  });

  it('returns the first job for a repeated idempotency key, and a new one after the window', async () => {
    const first = await h.scheduler.enqueue(input({ idempotencyKey: 'order-1' }));
    const again = await h.scheduler.enqueue(
      input({ idempotencyKey: 'order-1', payload: Buffer.from('other') }),
    );
    assert.deepEqual(again, { ...first, duplicate: true });
    const batch = await h.scheduler.enqueueBatch([
      input({ idempotencyKey: 'order-2' }),
      input({ idempotencyKey: 'order-2' }),
    ]);
    assert.equal((batch[1] as { duplicate: boolean }).duplicate, true);
    assert.equal((await h.scheduler.stats(queue)).counts.pending, 2);
    await h.redis.del(idempotencyKey(queue, 'acme', 'order-1')); // what the window's expiry does
    const later = await h.scheduler.enqueue(input({ idempotencyKey: 'order-1' }));
    assert.notEqual(later.jobId, first.jobId);
    const ttl = await h.redis.pttl(idempotencyKey(queue, 'acme', 'order-1'));
    assert.ok(ttl > 23 * 3600 * 1000, 'the key is remembered for the dedup window');
  });

  it('keeps idempotency keys apart per tenant: the same key never returns another tenant’s job', async () => {
    const a = await h.scheduler.enqueue(input({ tenantId: 'ta', idempotencyKey: 'order-42' }));
    const b = await h.scheduler.enqueue(input({ tenantId: 'tb', idempotencyKey: 'order-42' }));
    assert.equal(b.duplicate, false);
    assert.notEqual(b.jobId, a.jobId);
    assert.equal((await h.scheduler.getJob(b.jobId)).tenantId, 'tb');
    const [againA, againB] = await h.scheduler.enqueueBatch([
      input({ tenantId: 'ta', idempotencyKey: 'order-42' }),
      input({ tenantId: 'tb', idempotencyKey: 'order-42' }),
    ]);
    assert.deepEqual(againA, { ...a, duplicate: true });
    assert.deepEqual(againB, { ...b, duplicate: true });
    assert.equal((await h.scheduler.stats(queue)).counts.pending, 2);
  });

  it('cancels pending, scheduled, leased and dead jobs, but not finished ones', async () => {
    const pending = await h.scheduler.enqueue(input());
    const other = await h.scheduler.enqueue(input({ tenantId: 'other' }));
    const scheduled = await h.scheduler.enqueue(input({ delayMs: 1000 }));
    assert.equal((await h.scheduler.cancelJob(pending.jobId)).state, 'cancelled');
    assert.equal((await h.scheduler.cancelJob(scheduled.jobId)).state, 'cancelled');
    const leased = (await h.scheduler.lease(queue, 5, 1000)).jobs;
    assert.deepEqual(
      leased.map((l) => l.job.id),
      [other.jobId],
    );
    assert.equal((await h.scheduler.cancelJob(other.jobId)).state, 'cancelled');
    // The lease is fenced: the worker's late nack changes nothing.
    await rejects(h.scheduler.nack({ leaseId: leased[0]!.leaseId }), 'failed_precondition');
    assert.equal((await h.scheduler.stats(queue)).counts.leased, 0);
    await rejects(h.scheduler.cancelJob(other.jobId), 'failed_precondition');
    const doomed = await h.scheduler.enqueue(input({ tenantId: 'third' }));
    const [lease] = (await h.scheduler.lease(queue, 1, 1000)).jobs;
    await h.scheduler.nack({ leaseId: lease!.leaseId, noRetry: true });
    assert.equal((await h.scheduler.cancelJob(doomed.jobId)).state, 'cancelled');
    await rejects(h.scheduler.cancelJob(`${queue}/12345`), 'not_found');
    assert.equal(
      await h.redis.exists(`sched:{${queue}}:tiers`),
      0,
      'no tier left active with nothing ready',
    );
  });
});

describe('stats', () => {
  it('counts jobs per state and per tier, with the oldest ready age', async () => {
    await h.scheduler.enqueue(input());
    h.clock.now += 2000;
    await h.scheduler.enqueue(input({ tenantId: 'someone' }));
    await h.scheduler.enqueue(input({ tenantId: 'someone', delayMs: 60_000 }));
    h.clock.now += 1000;
    const stats = await h.scheduler.stats(queue);
    assert.deepEqual(stats.counts, { pending: 2, scheduled: 1, leased: 0, dead: 0 });
    assert.equal(stats.oldestReadyAgeMs, 3000);
    const premium = stats.tiers.find((t) => t.tier === 'premium')!;
    const free = stats.tiers.find((t) => t.tier === 'free')!;
    assert.deepEqual(premium.counts, { pending: 1, scheduled: 0, leased: 0, dead: 0 });
    assert.deepEqual(free.counts, { pending: 1, scheduled: 1, leased: 0, dead: 0 });
    assert.equal(free.oldestReadyAgeMs, 1000);
    assert.equal(free.enqueuedTotal, 2);
    assert.equal(premium.weight, 1000);
  });

  it('reports the backlog with overdue scheduled jobs, and add and dispatch rates over the last minute', async () => {
    await h.scheduler.enqueue(input({ delayMs: 1000 }));
    const first = await h.scheduler.stats(queue);
    assert.deepEqual(
      [first.backlog, first.addRate, first.dispatchRate, first.windowMs],
      [0, 0, 0, 0],
    );
    h.clock.now += 10_000;
    await h.scheduler.enqueueBatch(Array.from({ length: 19 }, () => input()));
    // The delayed job is due but no lease has moved it to ready yet: it is backlog all the same.
    const due = await h.scheduler.stats(queue);
    assert.deepEqual([due.counts.pending, due.backlog], [19, 20]);
    assert.equal((await h.scheduler.lease(queue, 5, 30_000)).jobs.length, 5);
    const second = await h.scheduler.stats(queue);
    assert.equal(second.backlog, 15);
    assert.equal(second.tiers.find((t) => t.tier === 'premium')?.dispatchedTotal, 5);
    assert.deepEqual([second.addRate, second.dispatchRate, second.windowMs], [1.9, 0.5, 10_000]);
    // Reads every 5 s: the baseline stays the oldest sample within a minute, then moves on.
    for (let i = 0; i < 14; i++) {
      h.clock.now += 5000;
      await h.scheduler.enqueue(input());
      await h.scheduler.stats(queue);
    }
    const later = await h.scheduler.stats(queue);
    assert.equal(later.windowMs, 60_000);
    assert.equal(later.addRate, 12 / 60);
    assert.equal(later.dispatchRate, 0);
    assert.ok((await h.redis.llen(`${queuePrefix(queue)}:rates`)) <= 13);
  });

  it('keeps the oldest ready age right while jobs leave out of order, and the ready log short', async () => {
    const log = readyLogKey(queue, 'free');
    // Job 1 has the lowest priority: it stays ready, and the oldest, while 300 newer jobs of
    // higher priority come and go ahead of it.
    await h.scheduler.enqueue(input({ tenantId: 't', priority: 0 }));
    for (let round = 0; round < 30; round++) {
      h.clock.now += 100;
      await h.scheduler.enqueueBatch(
        Array.from({ length: 10 }, () => input({ tenantId: 't', priority: 9 })),
      );
      const batch = await h.scheduler.lease(queue, 10, 30_000);
      assert.equal(batch.jobs.length, 10);
      await h.scheduler.ackMany(batch.jobs.map((j) => j.leaseId));
      assert.equal((await h.scheduler.stats(queue)).oldestReadyAgeMs, (round + 1) * 100);
    }
    const [oldest] = (await h.scheduler.lease(queue, 1, 30_000)).jobs;
    assert.equal(oldest?.job.priority, 0);
    await h.scheduler.ack(oldest.leaseId);
    // The lease that took the tier's last ready job emptied its log.
    const stats = await h.scheduler.stats(queue);
    assert.equal(stats.oldestReadyAgeMs, 0);
    assert.equal(stats.counts.pending, 0);
    assert.equal(await h.redis.llen(log), 0);
  });

  it('reads stats writing only a rate sample, past stale entries at the head of a ready log', async () => {
    await h.scheduler.enqueue(input({ tenantId: 't' }));
    h.clock.now += 500;
    // An entry the write path has not trimmed yet: its job is not ready (there is no such job).
    await h.redis.lpush(readyLogKey(queue, 'free'), '999:000000000');
    const before = await snapshot(h.redis, queue);
    const stats = await h.scheduler.stats(queue);
    assert.equal(stats.oldestReadyAgeMs, 500);
    const after = await snapshot(h.redis, queue);
    // The one write of stats.lua: the add and dispatch rates' sample.
    const rates = queueKey(queue, 'rates');
    assert.deepEqual(after[rates], [`${h.clock.now}:1:0`]);
    delete after[rates];
    assert.deepEqual(after, before);
  });

  it('keeps the head of a ready log live when a ready job is cancelled', async () => {
    const first = await h.scheduler.enqueue(input({ tenantId: 't' }));
    h.clock.now += 10;
    const second = await h.scheduler.enqueue(input({ tenantId: 't' }));
    await h.scheduler.cancelJob(first.jobId);
    const log = await h.redis.lrange(readyLogKey(queue, 'free'), 0, -1);
    assert.deepEqual(
      log.map((entry) => entry.split(':')[0]),
      [parseJobId(second.jobId).seq],
    );
    await h.scheduler.cancelJob(second.jobId);
    assert.equal(await h.redis.exists(readyLogKey(queue, 'free')), 0);
  });
});

describe('bad input', () => {
  it('names the field at fault and writes nothing', async () => {
    const cases: Array<[Partial<EnqueueInput>, string]> = [
      [{ queue: '' }, 'queue'],
      [{ queue: 'x'.repeat(129) }, 'queue'],
      [{ queue: 'has space' }, 'queue'],
      [{ queue: 'a/b' }, 'queue'],
      [{ tenantId: '' }, 'tenant_id'],
      [{ tenantId: 'ünïcode' }, 'tenant_id'],
      [{ priority: 10 }, 'priority'],
      [{ priority: -1 }, 'priority'],
      [{ priority: 1.5 }, 'priority'],
      [{ payload: Buffer.alloc(1024 * 1024 + 1) }, 'payload'],
      [{ delayMs: -5 }, 'delay'],
      [{ maxAttempts: -1 }, 'max_attempts'],
      [{ idempotencyKey: 'k'.repeat(300) }, 'idempotency_key'],
      [{ headers: { '': 'v' } }, 'headers'],
    ];
    for (const [bad, field] of cases)
      await rejects(h.scheduler.enqueue(input(bad)), 'invalid_argument', field);
    await rejects(h.scheduler.lease(queue, 0, 1000), 'invalid_argument', 'credits');
    await rejects(h.scheduler.lease(queue, 1, 0), 'invalid_argument', 'visibility_timeout');
    assert.deepEqual(await snapshot(h.redis, queue), {});
  });

  it('reports a bad item of a batch and enqueues the others', async () => {
    const results = await h.scheduler.enqueueBatch([input(), input({ priority: 11 }), input()]);
    assert.ok(isSchedulerError(results[1]));
    assert.equal(results[1].field, 'requests[1].priority');
    assert.equal((await h.scheduler.stats(queue)).counts.pending, 2);
  });
});

describe('release', () => {
  it('gives a leased job back ready now, without counting an attempt', async () => {
    const { jobId } = await h.scheduler.enqueue(input());
    const leased = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    await h.scheduler.release(leased.leaseId);
    await rejects(h.scheduler.ack(leased.leaseId), 'failed_precondition', 'lease_id');
    const again = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    assert.equal(again.job.id, jobId);
    assert.equal(again.job.attempt, 1);
  });
});

describe('wake signal', () => {
  it('publishes when a queue gets its first ready job or a new earliest delayed job', async () => {
    const sub = h.redis.duplicate({ enableOfflineQueue: true });
    const heard: string[] = [];
    // Redis delivers a channel's messages in order: once this one is in, every wake before it is.
    const last = `${queue}-last`;
    const allIn = new Promise<void>((resolve) =>
      sub.on('message', (_channel: string, q: string) => (q === last ? resolve() : heard.push(q))),
    );
    await sub.subscribe('sched:wake');
    await h.scheduler.enqueue(input({ delayMs: 5000 })); // first delayed: wake
    await h.scheduler.enqueue(input({ delayMs: 9000 })); // later than the head: silent
    await h.scheduler.enqueue(input({ delayMs: 1000 })); // new earliest: wake
    await h.scheduler.enqueue(input()); // first ready: wake
    await h.scheduler.enqueue(input()); // already ready: silent
    await h.redis.publish('sched:wake', last);
    await allIn;
    sub.disconnect();
    assert.deepEqual(heard, [queue, queue, queue]);
  });
});

describe('listing jobs', () => {
  it('lists pending jobs oldest ready first across tiers, and each other state, page by page', async () => {
    const ids: string[] = [];
    for (const tenantId of ['acme', 'someone', 'acme', 'someone', 'acme']) {
      ids.push((await h.scheduler.enqueue(input({ tenantId }))).jobId);
      h.clock.now += 10;
    }
    const first = await h.scheduler.listJobs(queue, 'pending', { pageSize: 2 });
    assert.deepEqual(
      first.jobs.map((j) => j.id),
      ids.slice(0, 2),
    );
    const second = await h.scheduler.listJobs(queue, 'pending', {
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    const third = await h.scheduler.listJobs(queue, 'pending', {
      pageSize: 2,
      pageToken: second.nextPageToken,
    });
    assert.deepEqual(
      [...second.jobs, ...third.jobs].map((j) => j.id),
      ids.slice(2),
    );
    assert.equal(third.nextPageToken, '');
    const premium = await h.scheduler.listJobs(queue, 'pending', { tier: 'premium' });
    assert.deepEqual(
      premium.jobs.map((j) => j.id),
      [ids[0], ids[2], ids[4]],
    );

    const leased = (await h.scheduler.lease(queue, 1, 1000)).jobs[0]!;
    assert.deepEqual(
      (await h.scheduler.listJobs(queue, 'leased')).jobs.map((j) => j.id),
      [leased.job.id],
    );
    await h.scheduler.enqueue(input({ delayMs: 50 }));
    assert.equal((await h.scheduler.listJobs(queue, 'scheduled')).jobs.length, 1);
    await rejects(h.scheduler.listJobs(queue, 'succeeded'), 'invalid_argument', 'state');
    await rejects(
      h.scheduler.listJobs(queue, 'leased', { tier: 'free' }),
      'invalid_argument',
      'tier',
    );
    await rejects(
      h.scheduler.listJobs(queue, 'dead', { pageToken: 'x' }),
      'invalid_argument',
      'page_token',
    );
  });

  it('reads a bounded head of a ready log: past 1,000 stale entries a page comes up short', async () => {
    // Entries the write path has not reached (no such jobs), ahead of two ready jobs.
    const stale = (from: number, n: number): string[] =>
      Array.from({ length: n }, (_, i) => `${from + i}:000000000`);
    await h.redis.rpush(readyLogKey(queue, 'free'), ...stale(10_000, 900));
    const near = await h.scheduler.enqueue(input({ tenantId: 't' }));
    await h.redis.rpush(readyLogKey(queue, 'free'), ...stale(20_000, 300));
    await h.scheduler.enqueue(input({ tenantId: 't' }));
    const page = await h.scheduler.listJobs(queue, 'pending', { pageSize: 10, tier: 'free' });
    assert.deepEqual(
      page.jobs.map((j) => j.id),
      [near.jobId],
    );
  });
});

describe('ackMany', () => {
  it('acks many leases in one call and reports each one that failed', async () => {
    for (let i = 0; i < 3; i++) await h.scheduler.enqueue(input());
    const leased = (await h.scheduler.lease(queue, 3, 1000)).jobs;
    const ids = leased.map((l) => l.leaseId);
    const results = await h.scheduler.ackMany([ids[0]!, 'garbage', ids[1]!, ids[0]!, ids[2]!]);
    assert.equal(results[0], undefined);
    assert.equal(results[1]?.code, 'invalid_argument');
    assert.equal(results[2], undefined);
    assert.equal(results[3]?.code, 'failed_precondition', 'the second ack of a lease is stale');
    assert.equal(results[4], undefined);
    for (const { job } of leased)
      assert.equal((await h.scheduler.getJob(job.id)).state, 'succeeded');
  });
});

describe('a worker cycle in one call: acks ride on the lease', () => {
  it('applies the acks first, reports each one, then leases', async () => {
    for (let i = 0; i < 3; i++) await h.scheduler.enqueue(input());
    const [first, second] = (await h.scheduler.lease(queue, 2, 1000)).jobs;
    const before = await scriptCalls(h.redis);
    const acks = {
      leases: [first!, second!, first!].map((l) => parseLeaseId(l.leaseId)),
      results: [Buffer.from('done'), undefined, undefined],
    };
    const batch = await h.scheduler.lease(queue, 5, 1000, acks);
    assert.equal((await scriptCalls(h.redis)) - before, 1, 'acks and lease: one script call');
    assert.equal(batch.jobs.length, 1);
    assert.equal(batch.ackErrors?.length, 3);
    assert.equal(batch.ackErrors?.[0], undefined);
    assert.equal(batch.ackErrors?.[1], undefined);
    assert.equal(batch.ackErrors?.[2]?.code, 'failed_precondition', 'acked already: stale');
    const done = await h.scheduler.getJob(first!.job.id);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.result?.toString(), 'done');
    assert.equal((await h.scheduler.getJob(second!.job.id)).state, 'succeeded');
    const stats = await h.scheduler.stats(queue);
    assert.equal(stats.counts.leased, 1);
  });

  it('leases the slot of a capped tier that its acks free, in the same call', async () => {
    const capped = await harness({ store: { tierCaps: new Map([['free', 2]]) } });
    try {
      const q = uniqueName();
      const put = { queue: q, tenantId: 'initech', payload: Buffer.from('p') };
      for (let i = 0; i < 4; i++) await capped.scheduler.enqueue(put);
      const held = (await capped.scheduler.lease(q, 4, 1000)).jobs;
      assert.equal(held.length, 2, 'the cap');
      const batch = await capped.scheduler.lease(q, 4, 1000, {
        leases: [parseLeaseId(held[0]!.leaseId)],
        results: [],
      });
      assert.deepEqual(batch.ackErrors, [undefined]);
      assert.equal(batch.jobs.length, 1, 'the freed slot, and no more');
      assert.deepEqual(await checkInvariant(capped.redis, q), []);
    } finally {
      await capped.close();
    }
  });

  it('acks more than one script call takes in calls of 1,000, the last one with the lease', async () => {
    for (let i = 0; i < 3; i++) await h.scheduler.enqueue(input());
    const [one] = (await h.scheduler.lease(queue, 1, 1000)).jobs;
    const bogus = Array.from({ length: 1500 }, (_, i) => ({
      queue,
      seq: String(900_000 + i),
      token: 'AAAAAAAAAAAA',
    }));
    const before = await scriptCalls(h.redis);
    const batch = await h.scheduler.lease(queue, 1, 1000, {
      leases: [...bogus, parseLeaseId(one!.leaseId)],
      results: [],
    });
    assert.equal((await scriptCalls(h.redis)) - before, 2);
    assert.equal(batch.ackErrors?.length, 1501);
    assert.ok(batch.ackErrors?.slice(0, 1500).every((e) => e?.code === 'not_found'));
    assert.equal(batch.ackErrors?.[1500], undefined, 'the real ack, in its place');
    assert.equal((await h.scheduler.getJob(one!.job.id)).state, 'succeeded');
    assert.equal(batch.jobs.length, 1);
  });
});

describe('acks read a record’s head and tier, not its payload', () => {
  it('acks the job of a tier whose name runs past the bounded read, and counts it there', async () => {
    const tier = `tier-${'x'.repeat(90)}`;
    const long = await harness({
      tiers: { acme: tier },
      store: {
        weights: new Map([
          [tier, 10],
          ['free', 1],
        ]),
      },
    });
    try {
      const q = uniqueName();
      await long.scheduler.enqueue({ queue: q, tenantId: 'acme', payload: Buffer.alloc(70_000) });
      const [leased] = (await long.scheduler.lease(q, 1, 1000)).jobs;
      assert.equal(leased!.job.tier, tier);
      assert.equal(leased!.job.payload.length, 70_000);
      await long.scheduler.ack(leased!.leaseId);
      assert.equal((await long.scheduler.getJob(leased!.job.id)).state, 'succeeded');
      const counts = await long.redis.hgetall(queueKey(q, 'count'));
      assert.equal(counts[`leased:${tier}`], '0');
      assert.equal(counts[`acked:${tier}`], '1');
    } finally {
      await long.close();
    }
  });
});
