/**
 * The SDK's side of a job's life: handler results, progress, watching and waiting for a job,
 * events, and a cancel made through one replica aborting a handler whose worker is on another.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  JobCancelledError,
  SchedulerClient,
  Status,
  Worker,
  decodeJson,
  isJobFailedError,
  isSchedulerClientError,
  permanent,
  snooze,
  type Job,
} from '../../src/clients';
import { freePort, uniqueName } from '../helpers/redis';
import { startTestServer, type TestServer } from '../helpers/server';
import { gate, useEnv, waitFor } from './helpers';

const env = useEnv();

describe('job results and waiting', () => {
  it('a handler resolved value becomes the result that enqueueAndWait resolves with', async () => {
    const queue = uniqueName();
    const completed: Array<[string, unknown]> = [];
    const worker = new Worker(env.client, {
      queue,
      handler: (job) => {
        const { a, b } = JSON.parse(job.payload.toString()) as { a: number; b: number };
        return { sum: a + b };
      },
    });
    worker.on('completed', (job, result) => completed.push([job.id, decodeJson(result)]));
    worker.start();
    const job = await env.client.enqueueAndWait(
      { queue, tenantId: 't', payload: JSON.stringify({ a: 1, b: 2 }) },
      { timeoutMs: 10_000 },
    );
    assert.equal(job.state, 'succeeded');
    assert.deepEqual(decodeJson(job.result), { sum: 3 });
    assert.deepEqual(completed, [[job.id, { sum: 3 }]]);
    await worker.close();
  });

  it('bytes from a handler are kept as they are; undefined leaves no result', async () => {
    const queue = uniqueName();
    const worker = new Worker(env.client, {
      queue,
      handler: (job) => (job.payload.toString() === 'bytes' ? Buffer.from([0, 255]) : undefined),
    }).start();
    const [bytes, none] = await Promise.all(
      ['bytes', 'none'].map((payload) =>
        env.client.enqueueAndWait({ queue, tenantId: 't', payload }, { timeoutMs: 10_000 }),
      ),
    );
    assert.deepEqual(bytes!.result, Buffer.from([0, 255]));
    assert.equal(none!.result, undefined);
    await worker.close();
  });

  it('a result over the server limit dead-letters the job at once, naming the limit', async () => {
    const queue = uniqueName();
    let runs = 0;
    const errors: Error[] = [];
    const worker = new Worker(env.client, {
      queue,
      // Over MAX_RESULT_BYTES (64 KiB): the server refuses the ack.
      handler: () => {
        runs++;
        return Buffer.alloc(64 * 1024 + 1);
      },
    });
    worker.on('error', (err) => errors.push(err));
    worker.start();
    try {
      const { jobId } = await env.client.enqueue({ queue, tenantId: 't', maxAttempts: 3 });
      // Not left leased until its lease runs out, and not run again for the same refusal.
      const err = await env.client.waitForJob(jobId, { timeoutMs: 5000 }).then(
        () => assert.fail('the job succeeded'),
        (e: unknown) => e,
      );
      assert.ok(isJobFailedError(err), `got ${String(err)}`);
      assert.equal(err.state, 'dead');
      assert.match(err.job.lastError, /^result: 65537 bytes is over the limit of 65536/);
      assert.equal(runs, 1);
      assert.equal(errors.length, 1);
      assert.ok(isSchedulerClientError(errors[0]));
      assert.equal(errors[0].code, Status.INVALID_ARGUMENT);
      assert.equal(errors[0].field, 'result');
      assert.equal(worker.stats.settleErrors, 1);
    } finally {
      await worker.close();
    }
  });

  it('a result over the limit dead-letters the job too when a closing worker acks by unary call', async () => {
    const queue = uniqueName();
    const started = gate();
    const release = gate();
    const errors: Error[] = [];
    const worker = new Worker(env.client, {
      queue,
      handler: async () => {
        started.open();
        await release.promise;
        return Buffer.alloc(64 * 1024 + 1);
      },
    });
    worker.on('error', (err) => errors.push(err));
    worker.start();
    const { jobId } = await env.client.enqueue({ queue, tenantId: 't', maxAttempts: 3 });
    await started.promise;
    // The stream is half-closed now: the handler's ack goes by unary Ack.
    const closed = worker.close();
    release.open();
    await closed;
    const job = await env.client.getJob(jobId);
    assert.equal(job.state, 'dead');
    assert.match(job.lastError, /^result: 65537 bytes is over the limit of 65536/);
    assert.equal(errors.length, 1);
    assert.ok(isSchedulerClientError(errors[0]));
    assert.equal(errors[0].method, 'Ack');
    assert.equal(errors[0].field, 'result');
  });

  it('a handler that throws snooze(ms) runs again after the delay, with no attempt counted', async () => {
    const queue = uniqueName();
    const runs: Array<{ attempt: number; at: number }> = [];
    const failed: Job[] = [];
    const worker = new Worker(env.client, {
      queue,
      handler: (job) => {
        runs.push({ attempt: job.attempt, at: Date.now() });
        if (runs.length === 1) throw snooze(400);
        return 'done';
      },
    });
    worker.on('failed', (job) => failed.push(job));
    worker.start();
    try {
      const { jobId } = await env.client.enqueue({ queue, tenantId: 't', maxAttempts: 1 });
      // max_attempts 1: had the snooze counted as an attempt, the job would be dead.
      const job = await env.client.waitForJob(jobId, { timeoutMs: 10_000 });
      assert.equal(job.state, 'succeeded');
      assert.equal(job.lastError, '', 'a snooze keeps no error');
      assert.deepEqual(
        runs.map((r) => r.attempt),
        [1, 1],
        'the snoozed delivery was not counted',
      );
      const gap = runs[1]!.at - runs[0]!.at;
      assert.ok(gap >= 350, `ran again after ${gap} ms, before the 400 ms snooze`);
      assert.equal(worker.stats.snoozed, 1);
      assert.equal(worker.stats.failed, 0);
      assert.deepEqual(failed, [], 'a snooze is not a failure');
    } finally {
      await worker.close();
    }
  });

  it('snooze() refuses a negative or non-finite delay', () => {
    assert.throws(() => snooze(-1), RangeError);
    assert.throws(() => snooze(Number.NaN), RangeError);
    assert.equal(snooze().delayMs, 0);
  });

  it('waitForJob rejects with a JobFailedError for a dead job, and the failed event fires', async () => {
    const queue = uniqueName();
    const failures: string[] = [];
    const worker = new Worker(env.client, {
      queue,
      handler: () => {
        throw permanent(new Error('bad input'));
      },
    });
    worker.on('failed', (_job, error) => failures.push(error.message));
    worker.start();
    const err = await env.client
      .enqueueAndWait({ queue, tenantId: 't' }, { timeoutMs: 10_000 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(isJobFailedError(err), `got ${String(err)}`);
    assert.equal(err.state, 'dead');
    assert.equal(err.job.lastError, 'bad input');
    assert.deepEqual(failures, ['bad input']);
    await worker.close();
  });

  it('waitForJob gives up with DEADLINE_EXCEEDED after timeoutMs', async () => {
    const { jobId } = await env.client.enqueue({ queue: uniqueName(), tenantId: 't' });
    const err = await env.client.waitForJob(jobId, { timeoutMs: 200 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isSchedulerClientError(err));
    assert.equal(err.code, Status.DEADLINE_EXCEEDED);
  });

  it('watchJob yields each progress a handler reports, then the final job', async () => {
    const queue = uniqueName();
    const { jobId } = await env.client.enqueue({ queue, tenantId: 't' });
    const steps = [gate(), gate()];
    const worker = new Worker(env.client, {
      queue,
      handler: async (_job, { progress }) => {
        await progress({ percent: 50 });
        await steps[0]!.promise;
        await progress({ percent: 100 });
        await steps[1]!.promise;
        return 'done';
      },
    }).start();
    const seen: Array<[string, unknown]> = [];
    for await (const job of env.client.watchJob(jobId)) {
      const progress = decodeJson<{ percent: number }>(job.progress);
      seen.push([job.state, progress]);
      // Each report is let through only once the watch saw the one before.
      if (progress?.percent === 50) steps[0]!.open();
      if (progress?.percent === 100) steps[1]!.open();
    }
    // pending or leased first (the worker may be quicker than the watch), then the reports.
    assert.deepEqual(seen.slice(-3), [
      ['leased', { percent: 50 }],
      ['leased', { percent: 100 }],
      ['succeeded', { percent: 100 }],
    ]);
    assert.equal(decodeJson((await env.client.getJob(jobId)).result), 'done');
    await worker.close();
  });
});

describe('watching across a replica shutdown', () => {
  it('watchJob watches again after its replica shuts down, and sees the job to its end', async () => {
    const port = await freePort();
    const restartable = { GRPC_PORT: String(port) };
    let server = await startTestServer(env.redis.url, restartable);
    const client = new SchedulerClient({ address: `127.0.0.1:${port}` });
    try {
      const { jobId } = await env.client.enqueue({ queue: uniqueName(), tenantId: 't' });
      const seen: string[] = [];
      const first = gate();
      const watching = (async () => {
        for await (const job of client.watchJob(jobId)) {
          seen.push(job.state);
          first.open();
        }
      })();
      await first.promise;
      // A shutdown ends the watch with UNAVAILABLE (not OK: the job is not over).
      await server.stop();
      server = await startTestServer(env.redis.url, restartable);
      await env.client.cancelJob(jobId);
      await watching;
      assert.equal(seen[0], 'pending');
      assert.equal(seen.at(-1), 'cancelled', `saw ${seen.join(', ')}`);
    } finally {
      client.close();
      await server.stop();
    }
  });
});

describe('cancelling a running job across replicas', () => {
  let other: TestServer;
  let otherClient: SchedulerClient;

  before(async () => {
    other = await startTestServer(env.redis.url);
    otherClient = new SchedulerClient({ address: other.address });
  });

  after(async () => {
    otherClient.close();
    await other.stop();
  });

  it('aborts the handler signal with a JobCancelledError, emits cancelled and settles nothing', async () => {
    const queue = uniqueName();
    const started = gate();
    let reason: unknown;
    const worker = new Worker(otherClient, {
      queue,
      handler: (_job, { signal }) =>
        new Promise<void>((resolve) => {
          started.open();
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            resolve();
          });
        }),
    });
    const cancelled: Job[] = [];
    const errors: Error[] = [];
    worker.on('cancelled', (job) => cancelled.push(job));
    worker.on('error', (err) => errors.push(err));
    worker.start();
    const { jobId } = await env.client.enqueue({ queue, tenantId: 't' });
    await started.promise;
    const job = await env.client.cancelJob(jobId);
    assert.equal(job.state, 'cancelled');
    await waitFor('the cancelled event', () => cancelled.length === 1);
    assert.ok(reason instanceof JobCancelledError);
    assert.equal(cancelled[0]!.id, jobId);
    assert.equal(worker.stats.cancelled, 1);
    assert.equal(worker.stats.succeeded, 0, 'the resolved handler was not acked');
    await worker.close();
    assert.deepEqual(errors, []);
    assert.equal((await env.client.getJob(jobId)).state, 'cancelled');
    await assert.rejects(env.client.waitForJob(jobId), (err: unknown) => {
      assert.ok(isJobFailedError(err));
      assert.equal(err.state, 'cancelled');
      return true;
    });
  });

  it('a prefetched job cancelled before it started leaves the buffer without running', async () => {
    const queue = uniqueName();
    const busy = gate();
    const ran: string[] = [];
    const worker = new Worker(otherClient, {
      queue,
      concurrency: 1,
      prefetch: 5,
      handler: async (job) => {
        ran.push(job.id);
        if (ran.length === 1) await busy.promise;
      },
    });
    const cancelled: string[] = [];
    worker.on('cancelled', (job) => cancelled.push(job.id));
    worker.start();
    const [first, second] = await env.client.enqueueBatch([
      { queue, tenantId: 't' },
      { queue, tenantId: 't' },
    ]);
    assert.ok(first?.ok && second?.ok);
    await waitFor('one running, one held', () => worker.stats.buffered === 1);
    await env.client.cancelJob(second.jobId);
    await waitFor('the cancelled event', () => cancelled.length === 1);
    assert.deepEqual(cancelled, [second.jobId]);
    assert.equal(worker.stats.buffered, 0);
    busy.open();
    await waitFor('the first job', () => worker.stats.succeeded === 1);
    await worker.close();
    assert.deepEqual(ran, [first.jobId], 'the cancelled job never ran');
  });
});
