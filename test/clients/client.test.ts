/** SchedulerClient against a real server: every call, typed errors with fields, and retries. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isSchedulerClientError,
  SchedulerClient,
  SchedulerClientError,
  Status,
} from '../../src/clients';
import { freePort, uniqueName } from '../helpers/redis';
import { TestWorker, seconds } from '../helpers/server';
import { useEnv } from './helpers';

const env = useEnv({ STATIC_TIERS: 'acme=premium' });

async function rejection(pending: Promise<unknown>): Promise<SchedulerClientError> {
  try {
    await pending;
  } catch (err) {
    assert.ok(isSchedulerClientError(err), `not a SchedulerClientError: ${String(err)}`);
    return err;
  }
  throw new Error('expected the call to fail');
}

/** Leases one job through the raw stream, for the unary settle calls. */
async function leaseOne(queue: string): Promise<string> {
  const worker = new TestWorker(env.server.client, {
    queue,
    visibilityTimeout: seconds(30_000),
    credits: 1,
  });
  const [leased] = await worker.waitForJobs(1);
  worker.cancel();
  return leased!.leaseId;
}

describe('SchedulerClient', () => {
  it('enqueues a job and reads it back with friendly types', async () => {
    const queue = uniqueName();
    const res = await env.client.enqueue({
      queue,
      tenantId: 'acme',
      payload: 'hello',
      priority: 7,
      headers: { traceparent: '00-abc' },
      maxAttempts: 3,
    });
    assert.deepEqual(res, { jobId: `${queue}/1`, tier: 'premium', duplicate: false });
    const job = await env.client.getJob(res.jobId);
    assert.equal(job.payload.toString(), 'hello');
    assert.equal(job.state, 'pending');
    assert.equal(job.priority, 7);
    assert.equal(job.maxAttempts, 3);
    assert.deepEqual(job.headers, { traceparent: '00-abc' });
    assert.ok(job.enqueueTime instanceof Date);
  });

  it('returns the first job for a repeated idempotency key', async () => {
    const queue = uniqueName();
    const job = { queue, tenantId: 'globex', idempotencyKey: 'order-42' };
    const first = await env.client.enqueue(job);
    const again = await env.client.enqueue(job);
    assert.equal(first.tier, 'free');
    assert.deepEqual(again, { ...first, duplicate: true });
  });

  it('schedules a delayed job', async () => {
    const { jobId } = await env.client.enqueue({
      queue: uniqueName(),
      tenantId: 'a',
      delayMs: 60_000,
    });
    const job = await env.client.getJob(jobId);
    assert.equal(job.state, 'scheduled');
    assert.ok(job.scheduledTime && job.scheduledTime.getTime() > Date.now() + 50_000);
  });

  it('rejects bad input with INVALID_ARGUMENT naming the field', async () => {
    const err = await rejection(
      env.client.enqueue({ queue: uniqueName(), tenantId: 'bad tenant!' }),
    );
    assert.equal(err.code, Status.INVALID_ARGUMENT);
    assert.equal(err.codeName, 'INVALID_ARGUMENT');
    assert.equal(err.field, 'tenant_id');
    assert.equal(err.method, 'Enqueue');
  });

  it('gives each batch item its own result', async () => {
    const queue = uniqueName();
    const results = await env.client.enqueueBatch([
      { queue, tenantId: 'acme' },
      { queue, tenantId: 'acme', priority: 42 },
    ]);
    assert.equal(results[0]?.ok, true);
    const bad = results[1];
    assert.ok(bad && !bad.ok);
    assert.equal(bad.error.code, Status.INVALID_ARGUMENT);
    assert.match(bad.error.field ?? '', /priority/);
  });

  it(
    'waitForReady resolves once connected, and fails at once naming a target nobody serves',
    { timeout: 30_000 },
    async () => {
      await env.client.waitForReady();
      const address = [`127.0.0.1:${await freePort()}`, `127.0.0.1:${await freePort()}`];
      const absent = new SchedulerClient({ address });
      try {
        // A timeout far beyond the test's: only failing on the refusals passes.
        const err = await rejection(absent.waitForReady(600_000));
        assert.equal(err.code, Status.UNAVAILABLE);
        assert.equal(err.details, `cannot connect to ${address.join(', ')}`);
      } finally {
        absent.close();
      }
    },
  );

  it('fails with NOT_FOUND for an unknown job', async () => {
    const err = await rejection(env.client.getJob(`${uniqueName()}/999`));
    assert.equal(err.code, Status.NOT_FOUND);
  });

  it('cancels a pending job and reports queue stats per tier', async () => {
    const queue = uniqueName();
    const { jobId } = await env.client.enqueue({ queue, tenantId: 'acme' });
    await env.client.enqueue({ queue, tenantId: 'globex' });
    assert.equal((await env.client.cancelJob(jobId)).state, 'cancelled');
    const stats = await env.client.getQueueStats(queue);
    assert.equal(stats.counts.pending, 1);
    const free = stats.tiers.find((t) => t.tier === 'free');
    assert.equal(free?.counts.pending, 1);
    assert.equal(free?.weight, 100);
  });

  it('acks, extends and nacks by lease id, and fences a stale lease', async () => {
    const queue = uniqueName();
    const a = await env.client.enqueue({ queue, tenantId: 'acme' });
    const leaseA = await leaseOne(queue);
    const deadline = await env.client.extendLease(leaseA, 60_000);
    assert.ok(deadline && deadline.getTime() > Date.now() + 50_000);
    await env.client.ack(leaseA);
    assert.equal((await env.client.getJob(a.jobId)).state, 'succeeded');
    const stale = await rejection(env.client.ack(leaseA));
    assert.equal(stale.code, Status.FAILED_PRECONDITION);

    const b = await env.client.enqueue({ queue, tenantId: 'acme' });
    const nacked = await env.client.nack(await leaseOne(queue), { error: 'bad', noRetry: true });
    assert.equal(nacked.state, 'dead');
    const page = await env.client.listDeadJobs(queue, { pageSize: 10 });
    assert.deepEqual(
      page.jobs.map((j) => j.id),
      [b.jobId],
    );
    assert.equal(page.nextPageToken, undefined);
    assert.equal(await env.client.redriveDeadJobs(queue, { jobIds: [b.jobId] }), 1);
    assert.equal((await env.client.getJob(b.jobId)).state, 'pending');
  });

  it('retries an idempotent call on the next target when one is down', async () => {
    const down = `127.0.0.1:${await freePort()}`;
    const client = new SchedulerClient({ address: [down, env.server.address] });
    try {
      const { jobId } = await env.client.enqueue({ queue: uniqueName(), tenantId: 'acme' });
      for (let i = 0; i < 4; i++) assert.equal((await client.getJob(jobId)).id, jobId);
      const key = { queue: uniqueName(), tenantId: 'acme', idempotencyKey: 'k' };
      for (let i = 0; i < 4; i++) assert.equal((await client.enqueue(key)).duplicate, i > 0);
    } finally {
      client.close();
    }
  });

  it('reaches the server through a dns:/// target', async () => {
    const port = new URL(`http://${env.server.address}`).port;
    const client = new SchedulerClient({ address: `dns:///localhost:${port}` });
    try {
      const { jobId } = await client.enqueue({ queue: uniqueName(), tenantId: 'acme' });
      assert.equal((await client.getJob(jobId)).tier, 'premium');
    } finally {
      client.close();
    }
  });

  it('gives up with UNAVAILABLE within the deadline when no server answers', async () => {
    const client = new SchedulerClient({ address: `127.0.0.1:${await freePort()}` });
    try {
      const started = Date.now();
      const err = await rejection(client.getJob('q/1', { deadlineMs: 500 }));
      assert.ok([Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED].includes(err.code), err.message);
      assert.ok(Date.now() - started < 2000);
    } finally {
      client.close();
    }
  });

  it('cancels a call through its AbortSignal', async () => {
    const client = new SchedulerClient({ address: `127.0.0.1:${await freePort()}` });
    try {
      const err = await rejection(client.getJob('q/1', { signal: AbortSignal.timeout(100) }));
      assert.equal(err.code, Status.CANCELLED);
    } finally {
      client.close();
    }
  });
});
