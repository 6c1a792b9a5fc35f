/** The Worker's prefetch: jobs held beyond `concurrency`, kept leased, handed back on close. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from '../../src/clients';
import { defaultPrefetch } from '../../src/clients/worker';
import { uniqueName } from '../helpers/redis';
import { sleep } from '../helpers/server';
import { gate, useEnv, waitFor } from './helpers';

const env = useEnv();

async function enqueue(queue: string, n: number): Promise<string[]> {
  const items = Array.from({ length: n }, (_, i) => ({ queue, tenantId: 't', payload: `${i}` }));
  return (await env.client.enqueueBatch(items)).map((r) => {
    assert.ok(r.ok, 'enqueue failed');
    return r.jobId;
  });
}

describe('Worker prefetch', () => {
  it('holds up to `prefetch` jobs beyond its concurrency and starts them as slots free', async () => {
    const queue = uniqueName();
    await enqueue(queue, 6);
    const release = gate();
    let started = 0;
    const worker = new Worker(env.client, {
      queue,
      concurrency: 1,
      prefetch: 2,
      handler: async () => {
        started++;
        await release.promise;
      },
    }).start();
    try {
      await waitFor('1 running and 2 held', () => worker.stats.buffered === 2);
      await sleep(100); // no more than concurrency + prefetch are ever leased
      assert.equal(started, 1);
      assert.equal(worker.stats.received, 3);
      const { counts } = await env.client.getQueueStats(queue);
      assert.equal(counts.leased, 3);
      assert.equal(counts.pending, 3);
      release.open();
      await waitFor('all 6 done', () => worker.stats.succeeded === 6);
    } finally {
      await worker.close();
    }
  });

  it('holds twice its concurrency by default, and at least 10', async () => {
    const queue = uniqueName();
    await enqueue(queue, 40);
    const release = gate();
    const worker = new Worker(env.client, {
      queue,
      concurrency: 8,
      handler: () => release.promise,
    }).start();
    try {
      await waitFor('8 running and 16 held', () => worker.stats.buffered === 16);
      const { counts } = await env.client.getQueueStats(queue);
      assert.equal(counts.leased, 24, 'no more than concurrency + 2 x concurrency leased');
    } finally {
      release.open();
      await worker.close();
    }
    assert.equal(defaultPrefetch(1), 10);
    assert.equal(defaultPrefetch(100), 200);
  });

  it('keeps extending the lease of a held job, so it runs once after outwaiting its visibility', async () => {
    const queue = uniqueName();
    const ids = await enqueue(queue, 2);
    let deliveries = 0;
    const worker = new Worker(env.client, {
      queue,
      concurrency: 1,
      prefetch: 1,
      visibilityTimeoutMs: 600,
      extendIntervalMs: 200,
      handler: async () => {
        deliveries++;
        if (deliveries === 1) await sleep(1500); // the held job waits 2.5 visibility timeouts
      },
    }).start();
    // A rival takes anything whose lease lapses.
    const rival = new Worker(env.client, {
      queue,
      prefetch: 0,
      handler: () => void deliveries++,
    }).start();
    try {
      await waitFor('both jobs', () => worker.stats.succeeded === 2, 15_000);
    } finally {
      await Promise.all([worker.close(), rival.close()]);
    }
    assert.equal(deliveries, 2, 'no job was delivered twice');
    assert.equal(worker.stats.lost, 0);
    assert.equal(worker.stats.settleErrors, 0);
    for (const id of ids) assert.equal((await env.client.getJob(id)).state, 'succeeded');
  });

  it('on close, hands held jobs back at once: ready again, no attempt counted', async () => {
    const queue = uniqueName();
    await enqueue(queue, 4);
    const release = gate();
    const worker = new Worker(env.client, {
      queue,
      concurrency: 1,
      prefetch: 3,
      visibilityTimeoutMs: 60_000, // a job left leased would stay so for the whole test
      handler: () => release.promise,
    }).start();
    await waitFor('3 held', () => worker.stats.buffered === 3);
    const closed = worker.close();
    // The handler still runs, yet the held jobs are back in the queue already.
    await waitFor(
      'the held jobs back',
      async () => (await env.client.getQueueStats(queue)).counts.pending === 3,
      5000,
    );
    assert.equal(worker.stats.buffered, 0);
    release.open();
    await closed;
    assert.equal(worker.stats.succeeded, 1);
    const pending = await env.client.listJobs(queue, { state: 'pending' });
    assert.equal(pending.jobs.length, 3);
    for (const job of pending.jobs) assert.equal(job.attempt, 0, `${job.id} counted no attempt`);
    const { counts } = await env.client.getQueueStats(queue);
    assert.deepEqual(counts, { pending: 3, scheduled: 0, leased: 0, dead: 0 });
  });

  it('refuses a prefetch that is not a whole number of at least 0', () => {
    for (const prefetch of [-1, 1.5, Number.NaN])
      assert.throws(
        () => new Worker(env.client, { queue: 'q', prefetch, handler: () => undefined }),
        /prefetch: must be an integer of at least 0/,
      );
  });
});
