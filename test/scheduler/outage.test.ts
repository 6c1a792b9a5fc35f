/** Redis going away: operations fail fast with a typed `unavailable`, and work again after. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { isSchedulerError } from '../../src/scheduler/errors';
import { waitForReady } from '../../src/server/redis';
import { uniqueName } from '../helpers/redis';
import { harness, type Harness } from './harness';

let h: Harness;
before(async () => (h = await harness({ own: true })));
after(() => h.close());

it('fails with unavailable while Redis is down, and recovers when it returns', async () => {
  const queue = uniqueName();
  const job = { queue, tenantId: 'acme', payload: Buffer.from('x') };
  await h.scheduler.enqueue(job);
  await h.server.stop();
  const started = Date.now();
  await assert.rejects(
    h.scheduler.enqueue(job),
    (err: unknown) => isSchedulerError(err) && err.code === 'unavailable',
  );
  assert.ok(Date.now() - started < 5000, 'fails fast, does not hang');
  await h.server.restart();
  assert.ok(await waitForReady(h.redis, 10_000), 'reconnects');
  const { jobId } = await h.scheduler.enqueue(job);
  assert.equal((await h.scheduler.getJob(jobId)).state, 'pending');
});

it('refuses enqueues with resource_exhausted while Redis is out of memory', async () => {
  const queue = uniqueName();
  const job = { queue, tenantId: 'acme', payload: Buffer.from('x') };
  await h.scheduler.enqueue(job);
  await h.redis.config('SET', 'maxmemory-policy', 'noeviction');
  await h.redis.config('SET', 'maxmemory', '1');
  try {
    await assert.rejects(
      h.scheduler.enqueue(job),
      (err: unknown) => isSchedulerError(err) && err.code === 'resource_exhausted',
    );
  } finally {
    await h.redis.config('SET', 'maxmemory', '0');
  }
  await h.scheduler.enqueue(job);
});
