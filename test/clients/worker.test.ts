/** The Worker against a real server: acks, nacks and retries, dead letters, lease extension. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { permanent, PermanentError, Worker, type Job } from '../../src/clients';
import { uniqueName } from '../helpers/redis';
import { sleep } from '../helpers/server';
import { useEnv, waitFor } from './helpers';

const env = useEnv({ STATIC_TIERS: 'acme=premium' });

async function enqueue(queue: string, n: number, tenantId = 'acme'): Promise<string[]> {
  const items = Array.from({ length: n }, (_, i) => ({ queue, tenantId, payload: `job ${i}` }));
  const results = await env.client.enqueueBatch(items);
  return results.map((r) => {
    assert.ok(r.ok, 'enqueue failed');
    return r.jobId;
  });
}

describe('Worker', () => {
  it('acks each job whose handler resolves, so the job is SUCCEEDED', async () => {
    const queue = uniqueName();
    const ids = await enqueue(queue, 5);
    const seen: Job[] = [];
    const worker = new Worker(env.client, {
      queue,
      concurrency: 2,
      handler: (job) => void seen.push(job),
    }).start();
    await waitFor('5 jobs', () => worker.stats.succeeded === 5);
    await worker.close();
    assert.deepEqual(seen.map((j) => j.id).sort(), [...ids].sort());
    assert.equal(seen[0]?.payload.toString().startsWith('job '), true);
    for (const id of ids) assert.equal((await env.client.getJob(id)).state, 'succeeded');
    assert.deepEqual((await env.client.getQueueStats(queue)).counts, {
      pending: 0,
      scheduled: 0,
      leased: 0,
      dead: 0,
    });
  });

  it('forgets its inline settles as the server confirms them, not when their leases end', async () => {
    const queue = uniqueName();
    const total = 300;
    await enqueue(queue, total);
    let held = 0;
    const worker = new Worker(env.client, {
      queue,
      concurrency: 10,
      // The default 30 s: settles kept until their leases end would all still be held.
      handler: () => {
        held = Math.max(held, worker['conn']?.unconfirmed ?? 0);
      },
    }).start();
    try {
      await waitFor(`${total} jobs`, () => worker.stats.succeeded === total);
      // Once confirmed (alone, the queue being empty), nothing is held.
      await waitFor('no settle held', () => worker['conn']?.unconfirmed === 0, 2000);
    } finally {
      await worker.close();
    }
    // A few cycles' worth at most while draining (30 jobs in flight a cycle), never all of them.
    assert.ok(held < total / 2, `held ${held} settles at once`);
  });

  it('nacks a job whose handler throws, and the retry arrives as attempt 2', async () => {
    const queue = uniqueName();
    const [id] = await enqueue(queue, 1);
    const attempts: number[] = [];
    const worker = new Worker(env.client, {
      queue,
      handler: (job) => {
        attempts.push(job.attempt);
        if (job.attempt === 1) throw new Error('flaky downstream');
      },
    }).start();
    await waitFor('the retry to succeed', () => worker.stats.succeeded === 1);
    await worker.close();
    assert.deepEqual(attempts, [1, 2]);
    const job = await env.client.getJob(id!);
    assert.equal(job.state, 'succeeded');
    assert.equal(job.lastError, 'flaky downstream');
    assert.equal(worker.stats.failed, 1);
  });

  it('dead-letters a job whose handler throws a PermanentError, without retrying it', async () => {
    const queue = uniqueName();
    const [a, b] = await enqueue(queue, 2);
    const worker = new Worker(env.client, {
      queue,
      handler: (job) => {
        if (job.id === a) throw new PermanentError('malformed payload');
        throw permanent(new TypeError('also hopeless'));
      },
    }).start();
    await waitFor(
      'two dead jobs',
      async () => (await env.client.getQueueStats(queue)).counts.dead === 2,
    );
    await worker.close();
    assert.equal(worker.stats.received, 2, 'no retries');
    const dead = await env.client.listDeadJobs(queue);
    assert.deepEqual(dead.jobs.map((j) => j.id).sort(), [a, b].sort());
    assert.equal((await env.client.getJob(a!)).lastError, 'malformed payload');
    assert.equal((await env.client.getJob(b!)).state, 'dead');
    assert.equal(await env.client.redriveDeadJobs(queue), 2);
  });

  it('extends the lease of a handler that outlives its visibility timeout', async () => {
    const queue = uniqueName();
    const [id] = await enqueue(queue, 1);
    let deliveries = 0;
    const worker = new Worker(env.client, {
      queue,
      visibilityTimeoutMs: 1500,
      handler: async () => {
        deliveries++;
        await sleep(3000); // twice the visibility timeout
      },
    }).start();
    // A second worker takes anything the first one's lease would let go of.
    const rival = new Worker(env.client, {
      queue,
      visibilityTimeoutMs: 1500,
      handler: () => void deliveries++,
    }).start();
    await waitFor('the slow job', () => worker.stats.succeeded === 1);
    await Promise.all([worker.close(), rival.close()]);
    assert.equal(deliveries, 1);
    assert.equal(worker.stats.lost, 0);
    assert.equal((await env.client.getJob(id!)).state, 'succeeded');
  });

  it("gives each handler its own context: the job's lease id, a signal and progress, destructured", async () => {
    const queue = uniqueName();
    const ids = await enqueue(queue, 3);
    const seen = new Map<string, { leaseId: string; aborted: boolean }>();
    const worker = new Worker(env.client, {
      queue,
      concurrency: 3,
      handler: async (job, { leaseId, signal, progress }) => {
        await progress({ at: job.id });
        // The lease id is this job's: the server extends it for us, and only for this job.
        const until = await env.client.extendLease(leaseId, 60_000);
        assert.ok(until && until.getTime() > Date.now() + 30_000);
        seen.set(job.id, { leaseId, aborted: signal.aborted });
      },
    }).start();
    await waitFor('3 jobs', () => worker.stats.succeeded === 3);
    await worker.close();
    assert.deepEqual([...seen.keys()].sort(), [...ids].sort());
    for (const [id, { leaseId, aborted }] of seen) {
      assert.ok(leaseId.startsWith(`${id}/`), `${leaseId} is not a lease of ${id}`);
      assert.equal(aborted, false);
      const job = await env.client.getJob(id);
      assert.deepEqual(JSON.parse(job.progress!.toString()), { at: id });
    }
    assert.equal(new Set([...seen.values()].map((s) => s.leaseId)).size, 3);
  });

  it('aborts the handler through its signal when the lease is lost', async () => {
    const queue = uniqueName();
    const [id] = await enqueue(queue, 1);
    const errors: Error[] = [];
    let aborted = false;
    const worker = new Worker(env.client, {
      queue,
      visibilityTimeoutMs: 300,
      extendIntervalMs: 1000, // too late: the lease has expired by then
      handler: async (_job, { signal }) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        aborted = true;
      },
    });
    worker.on('error', (err) => errors.push(err));
    worker.start();
    await waitFor('the lost lease', () => worker.stats.lost === 1);
    await worker.close();
    assert.equal(aborted, true);
    assert.match(errors[0]?.message ?? '', /lost the lease/);
    // Not acked: the job is still there for another delivery.
    assert.notEqual((await env.client.getJob(id!)).state, 'succeeded');
  });

  it('gives a handler that first looks at its signal after the lease was lost an aborted one', async () => {
    const queue = uniqueName();
    await enqueue(queue, 1);
    let signal: AbortSignal | undefined;
    const worker = new Worker(env.client, {
      queue,
      visibilityTimeoutMs: 300,
      extendIntervalMs: 1000, // the extension at 1 s finds the lease gone
      prefetch: 0, // the expired job comes back to no one here, so exactly one is lost
      handler: async (_job, context) => {
        await sleep(2000);
        signal = context.signal; // the signal is made here, after the loss
      },
    });
    worker.on('error', () => undefined);
    worker.start();
    await waitFor('the lost lease', () => worker.stats.lost === 1);
    await worker.close();
    assert.equal(signal?.aborted, true);
    assert.match((signal?.reason as Error).message, /lost the lease/);
  });
});
