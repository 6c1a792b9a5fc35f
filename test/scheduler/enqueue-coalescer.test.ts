/**
 * Single enqueues of one event-loop turn share one script call per queue: first the gathering
 * rules against a recording stand-in for the store, then concurrent Scheduler.enqueue calls on a
 * real Redis (results, duplicates, how many script calls Redis ran).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EnqueueCoalescer } from '../../src/scheduler/enqueue-coalescer';
import type { EnqueueResult } from '../../src/scheduler/job';
import type { JobStore, NewJob } from '../../src/scheduler/store';
import { uniqueName } from '../helpers/redis';
import { harness, type Harness } from './harness';

/** Answers each call after a tick with one result per job; fails the queues listed in `failing`. */
class RecordingStore implements Pick<JobStore, 'enqueue'> {
  calls: Array<{ queue: string; tenants: string[] }> = [];
  failing = new Set<string>();
  private seq = 0;

  async enqueue(queue: string, jobs: NewJob[]): Promise<EnqueueResult[]> {
    this.calls.push({ queue, tenants: jobs.map((j) => j.tenantId) });
    await new Promise((r) => setImmediate(r));
    if (this.failing.has(queue)) throw new Error(`${queue} is down`);
    return jobs.map((j) => ({ jobId: `${queue}/${++this.seq}`, tier: j.tier, duplicate: false }));
  }
}

function job(queue: string, tenantId: string): NewJob {
  return { queue, tenantId, tier: 'free', priority: 0, maxAttempts: 5, payload: Buffer.alloc(0) };
}

describe('EnqueueCoalescer', () => {
  it('makes one call per queue for the enqueues of one turn, each caller its own result', async () => {
    const store = new RecordingStore();
    const coalescer = new EnqueueCoalescer(store, 100);
    const results = await Promise.all([
      coalescer.enqueue(job('a', 't1')),
      coalescer.enqueue(job('b', 't2')),
      coalescer.enqueue(job('a', 't3')),
      coalescer.enqueue(job('a', 't4')),
    ]);
    assert.deepEqual(store.calls, [
      { queue: 'a', tenants: ['t1', 't3', 't4'] },
      { queue: 'b', tenants: ['t2'] },
    ]);
    assert.deepEqual(
      results.map((r) => r.jobId),
      ['a/1', 'b/4', 'a/2', 'a/3'],
    );
  });

  it('starts a new call in a later turn', async () => {
    const store = new RecordingStore();
    const coalescer = new EnqueueCoalescer(store, 100);
    await coalescer.enqueue(job('a', 't1'));
    await coalescer.enqueue(job('a', 't2'));
    assert.equal(store.calls.length, 2);
  });

  it('splits a turn into calls of at most maxJobs', async () => {
    const store = new RecordingStore();
    const coalescer = new EnqueueCoalescer(store, 2);
    await Promise.all(['t1', 't2', 't3', 't4', 't5'].map((t) => coalescer.enqueue(job('a', t))));
    assert.deepEqual(
      store.calls.map((c) => c.tenants),
      [['t1', 't2'], ['t3', 't4'], ['t5']],
    );
  });

  it('fails the enqueues of a failed call, and only those', async () => {
    const store = new RecordingStore();
    store.failing.add('down');
    const coalescer = new EnqueueCoalescer(store, 100);
    const outcomes = await Promise.allSettled([
      coalescer.enqueue(job('down', 't1')),
      coalescer.enqueue(job('up', 't2')),
      coalescer.enqueue(job('down', 't3')),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'fulfilled', 'rejected'],
    );
    assert.match(String((outcomes[0] as PromiseRejectedResult).reason), /down is down/);
  });
});

describe('concurrent single enqueues on Redis', () => {
  let h: Harness;
  before(async () => (h = await harness({ own: true })));
  after(() => h.close());

  /** Scripts run (EVALSHA, or EVAL the first time a script is seen), failed ones included. */
  async function scriptCalls(): Promise<number> {
    const stats = await h.redis.info('commandstats');
    let calls = 0;
    for (const m of stats.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+),.*failed_calls=(\d+)/g))
      calls += Number(m[1]) + Number(m[2]);
    return calls;
  }

  it('writes every job once, in one script call, a repeated key as a duplicate of the first', async () => {
    const queue = uniqueName();
    const before = await scriptCalls();
    const results = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) =>
        h.scheduler.enqueue({ queue, tenantId: `t${i}`, payload: Buffer.from(`job ${i}`) }),
      ),
      h.scheduler.enqueue({
        queue,
        tenantId: 'k',
        payload: Buffer.from('first'),
        idempotencyKey: 'x',
      }),
      h.scheduler.enqueue({
        queue,
        tenantId: 'k',
        payload: Buffer.from('again'),
        idempotencyKey: 'x',
      }),
    ]);
    assert.equal((await scriptCalls()) - before, 1, 'one enqueue script for the whole turn');
    const [first, again] = results.slice(20);
    assert.equal(first!.duplicate, false);
    assert.equal(again!.duplicate, true);
    assert.equal(again!.jobId, first!.jobId);
    assert.equal(new Set(results.map((r) => r.jobId)).size, 21);
    const stored = await Promise.all(results.slice(0, 20).map((r) => h.scheduler.getJob(r.jobId)));
    assert.deepEqual(
      stored.map((j) => j.payload.toString()),
      Array.from({ length: 20 }, (_, i) => `job ${i}`),
    );
    assert.equal((await h.scheduler.getJob(first!.jobId)).payload.toString(), 'first');
  });
});
