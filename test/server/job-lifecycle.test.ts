/**
 * Results, progress, WatchJob, cancelling a leased job and snooze, on two replicas sharing one
 * Redis: what one replica changes, watchers and lease streams on the other hear of.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import type { CancelJobResponse__Output } from '../../src/generated/scheduler/v1/CancelJobResponse';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import type { GetJobResponse__Output } from '../../src/generated/scheduler/v1/GetJobResponse';
import type { Job__Output } from '../../src/generated/scheduler/v1/Job';
import type { NackResponse__Output } from '../../src/generated/scheduler/v1/NackResponse';
import type { WatchJobResponse__Output } from '../../src/generated/scheduler/v1/WatchJobResponse';
import { jobOutputKey } from '../../src/scheduler/redis/keys';
import { waitFor } from '../clients/helpers';
import { uniqueName, useRedis } from '../helpers/redis';
import {
  TestWorker,
  rpcError,
  seconds,
  startTestServer,
  unary,
  type Client,
  type TestServer,
} from '../helpers/server';

const redis = useRedis();

/** A WatchJob stream that records the jobs it receives and its final status. */
class TestWatch {
  readonly jobs: Job__Output[] = [];
  readonly status: Promise<grpc.StatusObject>;
  private readonly call: grpc.ClientReadableStream<WatchJobResponse__Output>;
  private waiting: Array<() => void> = [];

  constructor(client: Client, jobId: string) {
    this.call = client.watchJob({ jobId });
    this.call.on('data', (msg: WatchJobResponse__Output) => {
      this.jobs.push(msg.job!);
      for (const wake of this.waiting.splice(0)) wake();
    });
    this.call.on('error', () => undefined); // the status reports it
    this.status = new Promise((resolve) => this.call.on('status', resolve));
  }

  /** Waits until a received job satisfies `check`. */
  async until(what: string, check: (job: Job__Output) => boolean): Promise<Job__Output> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = this.jobs.find(check);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  cancel(): void {
    this.call.cancel();
  }
}

async function enqueue(client: Client, queue: string, extra: object = {}): Promise<string> {
  const res = await unary<EnqueueResponse__Output>((cb) =>
    client.enqueue({ queue, tenantId: 't', payload: Buffer.from('p'), ...extra }, cb),
  );
  return res.jobId;
}

async function getJob(client: Client, jobId: string): Promise<Job__Output> {
  return (await unary<GetJobResponse__Output>((cb) => client.getJob({ jobId }, cb))).job!;
}

/** Enqueues one job and leases it on a stream of `client`'s replica. */
async function leaseOne(
  client: Client,
  queue = uniqueName(),
): Promise<{ jobId: string; leaseId: string; worker: TestWorker }> {
  const jobId = await enqueue(client, queue);
  const worker = new TestWorker(client, { queue, credits: 1, visibilityTimeout: seconds(60_000) });
  const [leased] = await worker.waitForJobs(1);
  return { jobId, leaseId: leased!.leaseId, worker };
}

describe('job lifecycle across two replicas', () => {
  let a: TestServer;
  let b: TestServer;
  let raw: Redis;

  before(async () => {
    const env = { MAX_RESULT_BYTES: '1024', MAX_PROGRESS_BYTES: '64' };
    [a, b] = await Promise.all([startTestServer(redis.url, env), startTestServer(redis.url, env)]);
    raw = new Redis(redis.url);
  });

  after(async () => {
    raw.disconnect();
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a watcher on one replica sees the lease, progress and result of work done on the other, then OK', async () => {
    const queue = uniqueName();
    const jobId = await enqueue(b.client, queue);
    const watch = new TestWatch(a.client, jobId);
    await watch.until('the pending job', (j) => j.state === 'JOB_STATE_PENDING');
    const worker = new TestWorker(b.client, { queue, credits: 1 });
    const [leased] = await worker.waitForJobs(1);
    await watch.until('the leased job', (j) => j.state === 'JOB_STATE_LEASED');
    const progress = Buffer.from('{"percent":40}');
    await unary((cb) => b.client.reportProgress({ leaseId: leased!.leaseId, progress }, cb));
    await watch.until('the progress', (j) => j.progress.equals(progress));
    const result = Buffer.from('{"sent":true}');
    await unary((cb) => b.client.ack({ leaseId: leased!.leaseId, result }, cb));
    const final = await watch.until('the end', (j) => j.state === 'JOB_STATE_SUCCEEDED');
    assert.deepEqual(final.result, result);
    assert.deepEqual(final.progress, progress, 'the last progress stays with the job');
    assert.equal((await watch.status).code, grpc.status.OK);
    assert.equal(watch.jobs.at(-1)?.state, 'JOB_STATE_SUCCEEDED', 'nothing after the final job');
    assert.deepEqual((await getJob(b.client, jobId)).result, result);
    worker.end();
  });

  it('a watcher that connects after the end gets the final job and OK at once', async () => {
    const { jobId, leaseId, worker } = await leaseOne(a.client);
    await unary((cb) => a.client.ack({ leaseId }, cb));
    const watch = new TestWatch(b.client, jobId);
    assert.equal((await watch.status).code, grpc.status.OK);
    assert.deepEqual(
      watch.jobs.map((j) => j.state),
      ['JOB_STATE_SUCCEEDED'],
    );
    worker.end();
  });

  it('inline result acks and progress on the stream are kept like unary ones', async () => {
    const { jobId, leaseId, worker } = await leaseOne(a.client);
    const progress = Buffer.from('half');
    worker.send({ progress: [{ leaseId, progress }] });
    const watch = new TestWatch(b.client, jobId);
    await watch.until('the progress', (j) => j.progress.equals(progress));
    const result = Buffer.from([0, 1, 2, 255]);
    worker.send({ resultAcks: [{ leaseId, result }] });
    const final = await watch.until('the end', (j) => j.state === 'JOB_STATE_SUCCEEDED');
    assert.deepEqual(final.result, result);
    assert.equal(worker.settleErrors.length, 0);
    worker.end();
  });

  it('a job settled without result or progress has no output key: no memory beyond its record', async () => {
    const queue = uniqueName();
    const { jobId, leaseId, worker } = await leaseOne(a.client, queue);
    await unary((cb) => a.client.ack({ leaseId }, cb));
    const seq = jobId.split('/')[1]!;
    assert.equal(await raw.exists(jobOutputKey(queue, seq)), 0);
    assert.equal((await getJob(a.client, jobId)).result.length, 0);
    worker.end();
  });

  it('the output of a finished job expires with its record', async () => {
    const queue = uniqueName();
    const { jobId, leaseId, worker } = await leaseOne(a.client, queue);
    await unary((cb) => a.client.ack({ leaseId, result: Buffer.from('r') }, cb));
    const seq = jobId.split('/')[1]!;
    const ttl = await raw.pttl(jobOutputKey(queue, seq));
    const recordTtl = await raw.pttl(`sched:{${queue}}:j:${seq}`);
    assert.ok(
      ttl > 0 && Math.abs(ttl - recordTtl) < 1000,
      `output ttl ${ttl}, record ${recordTtl}`,
    );
    worker.end();
  });

  it('a redriven job keeps its output for as long as it lives again', async () => {
    const queue = uniqueName();
    const { jobId, leaseId, worker } = await leaseOne(a.client, queue);
    await unary((cb) => a.client.reportProgress({ leaseId, progress: Buffer.from('p') }, cb));
    await unary((cb) => a.client.nack({ leaseId, noRetry: true }, cb));
    const out = jobOutputKey(queue, jobId.split('/')[1]!);
    assert.ok((await raw.pttl(out)) > 0, 'a dead job expires with its output');
    await unary((cb) => a.client.redriveDeadJobs({ queue, jobIds: [jobId] }, cb));
    assert.equal(await raw.pttl(out), -1, 'no expiry while the job lives');
    worker.end();
  });

  it('refuses a result or a progress over its limit with INVALID_ARGUMENT naming the field', async () => {
    const { leaseId, worker } = await leaseOne(a.client);
    const big = await rpcError(
      unary((cb) => a.client.ack({ leaseId, result: Buffer.alloc(1025) }, cb)),
    );
    assert.equal(big.code, grpc.status.INVALID_ARGUMENT);
    assert.match(big.details, /^result: 1025 bytes is over the limit of 1024/);
    assert.equal(big.metadata.get('scheduler-field')[0], 'result');
    const noisy = await rpcError(
      unary((cb) => a.client.reportProgress({ leaseId, progress: Buffer.alloc(65) }, cb)),
    );
    assert.equal(noisy.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(noisy.metadata.get('scheduler-field')[0], 'progress');
    worker.send({ resultAcks: [{ leaseId, result: Buffer.alloc(2000) }] });
    const [inline] = await worker.waitForSettleErrors(1);
    assert.equal(inline!.error?.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(inline!.error?.field, 'result');
    // Nothing was settled: the lease still holds and a good ack goes through.
    await unary((cb) => a.client.ack({ leaseId, result: Buffer.alloc(1024) }, cb));
    worker.end();
  });

  it('cancelling a leased job makes it CANCELLED at once, fences the lease and tells the stream on the other replica', async () => {
    const { jobId, leaseId, worker } = await leaseOne(b.client);
    const watch = new TestWatch(a.client, jobId);
    await watch.until('the leased job', (j) => j.state === 'JOB_STATE_LEASED');
    const res = await unary<CancelJobResponse__Output>((cb) => a.client.cancelJob({ jobId }, cb));
    assert.equal(res.job?.state, 'JOB_STATE_CANCELLED');
    await watch.until('the cancelled job', (j) => j.state === 'JOB_STATE_CANCELLED');
    assert.equal((await watch.status).code, grpc.status.OK);
    await waitFor('the stream to be told', () =>
      worker.messages.some((m) => m.cancelled.includes(leaseId)),
    );
    for (const call of [
      (cb: grpc.requestCallback<unknown>) => b.client.ack({ leaseId }, cb),
      (cb: grpc.requestCallback<unknown>) => b.client.nack({ leaseId, error: 'x' }, cb),
      (cb: grpc.requestCallback<unknown>) =>
        b.client.extendLease({ leaseId, visibilityTimeout: seconds(1000) }, cb),
      (cb: grpc.requestCallback<unknown>) =>
        b.client.reportProgress({ leaseId, progress: Buffer.from('x') }, cb),
    ]) {
      const err = await rpcError(unary(call));
      assert.equal(err.code, grpc.status.FAILED_PRECONDITION);
    }
    const job = await getJob(a.client, jobId);
    assert.equal(job.state, 'JOB_STATE_CANCELLED', 'the late settles changed nothing');
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      a.client.getQueueStats({ queue: job.queue }, cb),
    );
    assert.equal(stats.counts?.leased, '0');
    worker.end();
  });

  it('a snooze gives the job back after its delay without counting an attempt or an error', async () => {
    const { jobId, leaseId, worker } = await leaseOne(a.client);
    const res = await unary<NackResponse__Output>((cb) =>
      b.client.nack({ leaseId, snooze: true, retryDelay: seconds(300), error: 'ignored' }, cb),
    );
    assert.equal(res.state, 'JOB_STATE_SCHEDULED');
    const job = await getJob(a.client, jobId);
    assert.equal(job.state, 'JOB_STATE_SCHEDULED');
    assert.equal(job.attempt, 0, 'the snoozed delivery is not counted');
    assert.equal(job.lastError, '');
    worker.send({ credits: 1 });
    const [, again] = await worker.waitForJobs(2);
    assert.equal(again!.job!.id, jobId);
    assert.equal(again!.job!.attempt, 1);
    worker.end();
  });

  it('WatchJob refuses an unknown job with NOT_FOUND and a malformed id with INVALID_ARGUMENT', async () => {
    const unknown = new TestWatch(a.client, `${uniqueName()}/99`);
    assert.equal((await unknown.status).code, grpc.status.NOT_FOUND);
    const bad = new TestWatch(a.client, 'no-slash');
    const st = await bad.status;
    assert.equal(st.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(st.metadata.get('scheduler-field')[0], 'job_id');
  });
});

describe('a fresh replica', () => {
  let fresh: TestServer;

  before(async () => {
    fresh = await startTestServer(redis.url);
  });

  after(() => fresh.stop());

  it('tells its first stream of a cancel made right after the first delivery', async () => {
    // The stream takes jobs only once subscribed to the queue's notices (a new subscriber
    // connection here), so a cancel that follows the delivery at once is heard.
    const { jobId, leaseId, worker } = await leaseOne(fresh.client);
    await unary((cb) => fresh.client.cancelJob({ jobId }, cb));
    await waitFor('the stream to be told', () =>
      worker.messages.some((m) => m.cancelled.includes(leaseId)),
    );
    worker.end();
  });
});

describe('WatchJob bounds', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer(redis.url, { MAX_WATCHERS: '1' });
  });

  after(() => server.stop());

  /** The scheduler_watch_streams gauge of this replica. */
  async function openWatches(): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
    const gauge = /^scheduler_watch_streams (\d+)$/m.exec(text);
    assert.ok(gauge, 'the gauge is exported');
    return Number(gauge[1]);
  }

  it('refuses a watcher beyond MAX_WATCHERS with RESOURCE_EXHAUSTED, and takes one again when a slot frees', async () => {
    const queue = uniqueName();
    const jobId = await enqueue(server.client, queue);
    assert.equal(await openWatches(), 0);
    const first = new TestWatch(server.client, jobId);
    await first.until('the job', () => true);
    assert.equal(await openWatches(), 1, 'scheduler_watch_streams counts the open watch');
    const second = new TestWatch(server.client, jobId);
    assert.equal((await second.status).code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(await openWatches(), 1, 'a refused watch is not counted');
    first.cancel();
    await first.status;
    await waitFor('the gauge to fall', async () => (await openWatches()) === 0);
    await waitFor('the slot to free', async () => {
      const third = new TestWatch(server.client, jobId);
      const got = await Promise.race([
        third.until('the job', () => true).then(() => true),
        third.status.then(() => false),
      ]);
      third.cancel();
      return got;
    });
  });
});
