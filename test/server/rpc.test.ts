/** Every unary RPC through a real server and client: success paths and their status codes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import type { EnqueueBatchResponse__Output } from '../../src/generated/scheduler/v1/EnqueueBatchResponse';
import type { EnqueueRequest } from '../../src/generated/scheduler/v1/EnqueueRequest';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import type { ExtendLeaseResponse__Output } from '../../src/generated/scheduler/v1/ExtendLeaseResponse';
import type { GetJobResponse__Output } from '../../src/generated/scheduler/v1/GetJobResponse';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import type { LeasedJob__Output } from '../../src/generated/scheduler/v1/LeasedJob';
import type { ListDeadJobsResponse__Output } from '../../src/generated/scheduler/v1/ListDeadJobsResponse';
import type { NackResponse__Output } from '../../src/generated/scheduler/v1/NackResponse';
import type { RedriveDeadJobsResponse__Output } from '../../src/generated/scheduler/v1/RedriveDeadJobsResponse';
import { decodeFieldViolations } from '../../src/server/error-details';
import { FIELD_TRAILER } from '../../src/server/status';
import { uniqueName } from '../helpers/redis';
import {
  leaseOneJob,
  rpcError,
  seconds,
  TestWorker,
  unary,
  useTestServer,
} from '../helpers/server';

const t = useTestServer({
  STATIC_TIERS: 'acme=premium',
  MAX_PAYLOAD_BYTES: '1024',
});

const enqueue = (req: EnqueueRequest): Promise<EnqueueResponse__Output> =>
  unary((cb) => t.client.enqueue({ tenantId: 'acme', payload: Buffer.from('p'), ...req }, cb));
const getJob = (jobId: string): Promise<GetJobResponse__Output> =>
  unary((cb) => t.client.getJob({ jobId }, cb));

/** Leases one job through a stream, then leaves the stream: the lease stays out. */
function leaseOne(queue: string, visibilityMs = 30_000): Promise<LeasedJob__Output> {
  return leaseOneJob(t.client, queue, visibilityMs);
}

/** The status, and the field at fault: in the trailer, and leading the message of a bad input. */
function assertField(err: ServiceError, code: status, field: string): void {
  assert.equal(err.code, code, err.details);
  if (code === status.INVALID_ARGUMENT) assert.ok(err.details.startsWith(`${field}:`), err.details);
  assert.deepEqual(err.metadata.get(FIELD_TRAILER), [field]);
}

describe('Enqueue', () => {
  it('enqueues with the tenant’s tier and reports duplicates by idempotency key', async () => {
    const queue = uniqueName();
    const first = await enqueue({ queue, idempotencyKey: 'k1' });
    assert.match(first.jobId, new RegExp(`^${queue}/\\d+$`));
    assert.equal(first.tier, 'premium');
    assert.equal(first.duplicate, false);
    const again = await enqueue({ queue, idempotencyKey: 'k1' });
    assert.deepEqual(again, { ...first, duplicate: true });
    assert.equal((await enqueue({ queue, tenantId: 'stranger' })).tier, 'free');
  });

  it('rejects a bad field with INVALID_ARGUMENT naming it, also as google.rpc.BadRequest', async () => {
    const err = await rpcError(enqueue({ queue: uniqueName(), tenantId: '' }));
    assertField(err, status.INVALID_ARGUMENT, 'tenant_id');
    const [details] = err.metadata.get('grpc-status-details-bin');
    assert.deepEqual(decodeFieldViolations(details as Buffer), [
      { field: 'tenant_id', description: 'tenant_id: must not be empty' },
    ]);
    assertField(await rpcError(enqueue({ queue: 'no spaces' })), status.INVALID_ARGUMENT, 'queue');
    assertField(
      await rpcError(enqueue({ queue: uniqueName(), priority: 10 })),
      status.INVALID_ARGUMENT,
      'priority',
    );
    const big = enqueue({ queue: uniqueName(), payload: Buffer.alloc(2000) });
    assertField(await rpcError(big), status.INVALID_ARGUMENT, 'payload');
    const negative = enqueue({ queue: uniqueName(), delay: { seconds: -1 } });
    assertField(await rpcError(negative), status.INVALID_ARGUMENT, 'delay');
  });
});

describe('EnqueueBatch', () => {
  it('gives each item its own result; a bad item fails alone', async () => {
    const queue = uniqueName();
    const requests = [
      { queue, tenantId: 'acme', payload: Buffer.from('a') },
      { queue, tenantId: '', payload: Buffer.from('b') },
      { queue, tenantId: 'other', payload: Buffer.from('c') },
    ];
    const res = await unary<EnqueueBatchResponse__Output>((cb) =>
      t.client.enqueueBatch({ requests }, cb),
    );
    assert.deepEqual(
      res.results.map((r) => r.result),
      ['job', 'error', 'job'],
    );
    assert.equal(res.results[0]!.job!.tier, 'premium');
    assert.deepEqual(res.results[1]!.error, {
      code: status.INVALID_ARGUMENT,
      message: 'requests[1].tenant_id: must not be empty',
      field: 'requests[1].tenant_id',
    });
    assert.equal(res.results[2]!.job!.tier, 'free');
  });
});

describe('GetJob', () => {
  it('returns the job as enqueued', async () => {
    const queue = uniqueName();
    const { jobId } = await enqueue({
      queue,
      priority: 7,
      headers: { traceparent: 't-1' },
      payload: Buffer.from('hello'),
    });
    const { job } = await getJob(jobId);
    assert.equal(job!.id, jobId);
    assert.equal(job!.state, 'JOB_STATE_PENDING');
    assert.equal(job!.priority, 7);
    assert.equal(job!.payload.toString(), 'hello');
    assert.deepEqual(job!.headers, { traceparent: 't-1' });
    assert.equal(job!.maxAttempts, 5);
    assert.ok(Math.abs(Number(job!.enqueueTime!.seconds) * 1000 - Date.now()) < 60_000);
  });

  it('answers NOT_FOUND for an unknown job and INVALID_ARGUMENT for a malformed id', async () => {
    assert.equal((await rpcError(getJob(`${uniqueName()}/12345`))).code, status.NOT_FOUND);
    assertField(await rpcError(getJob('not-an-id')), status.INVALID_ARGUMENT, 'job_id');
  });
});

describe('Ack, Nack and ExtendLease', () => {
  it('acks a lease once; the same lease again is FAILED_PRECONDITION', async () => {
    const queue = uniqueName();
    const { jobId } = await enqueue({ queue });
    const leased = await leaseOne(queue);
    assert.equal(leased.job!.id, jobId);
    await unary((cb) => t.client.ack({ leaseId: leased.leaseId }, cb));
    assert.equal((await getJob(jobId)).job!.state, 'JOB_STATE_SUCCEEDED');
    const stale = await rpcError(unary((cb) => t.client.ack({ leaseId: leased.leaseId }, cb)));
    assertField(stale, status.FAILED_PRECONDITION, 'lease_id');
    assertField(
      await rpcError(unary((cb) => t.client.ack({ leaseId: 'x' }, cb))),
      status.INVALID_ARGUMENT,
      'lease_id',
    );
  });

  it('nacks to a retry, or to the dead-letter set with no_retry', async () => {
    const queue = uniqueName();
    await enqueue({ queue });
    const first = await leaseOne(queue);
    const retried = await unary<NackResponse__Output>((cb) =>
      t.client.nack({ leaseId: first.leaseId, error: 'flaky', retryDelay: seconds(60_000) }, cb),
    );
    assert.equal(retried.state, 'JOB_STATE_SCHEDULED');
    assert.ok(Number(retried.retryTime!.seconds) * 1000 > Date.now() + 50_000);
    const { jobId } = await enqueue({ queue });
    const second = await leaseOne(queue);
    assert.equal(second.job!.id, jobId);
    const dead = await unary<NackResponse__Output>((cb) =>
      t.client.nack({ leaseId: second.leaseId, noRetry: true }, cb),
    );
    assert.equal(dead.state, 'JOB_STATE_DEAD');
    assert.equal((await getJob(jobId)).job!.state, 'JOB_STATE_DEAD');
  });

  it('extends a lease; a stale lease cannot be extended', async () => {
    const queue = uniqueName();
    await enqueue({ queue });
    const leased = await leaseOne(queue, 10_000);
    const extended = await unary<ExtendLeaseResponse__Output>((cb) =>
      t.client.extendLease({ leaseId: leased.leaseId, visibilityTimeout: seconds(120_000) }, cb),
    );
    const before = Number(leased.leaseExpireTime!.seconds);
    assert.ok(Number(extended.leaseExpireTime!.seconds) >= before + 100);
    await unary((cb) => t.client.ack({ leaseId: leased.leaseId }, cb));
    const stale = await rpcError(
      unary((cb) => t.client.extendLease({ leaseId: leased.leaseId }, cb)),
    );
    assert.equal(stale.code, status.FAILED_PRECONDITION);
  });
});

describe('CancelJob', () => {
  it('cancels a pending job and a leased one; a finished one is FAILED_PRECONDITION; an unknown one NOT_FOUND', async () => {
    const queue = uniqueName();
    const { jobId } = await enqueue({ queue });
    const cancelled = await unary<GetJobResponse__Output>((cb) =>
      t.client.cancelJob({ jobId }, cb),
    );
    assert.equal(cancelled.job!.state, 'JOB_STATE_CANCELLED');
    const { jobId: busy } = await enqueue({ queue });
    await leaseOne(queue);
    const stopped = await unary<GetJobResponse__Output>((cb) =>
      t.client.cancelJob({ jobId: busy }, cb),
    );
    assert.equal(stopped.job!.state, 'JOB_STATE_CANCELLED');
    assert.equal(
      (await rpcError(unary((cb) => t.client.cancelJob({ jobId: busy }, cb)))).code,
      status.FAILED_PRECONDITION,
    );
    const unknown = await rpcError(
      unary((cb) => t.client.cancelJob({ jobId: `${queue}/999` }, cb)),
    );
    assert.equal(unknown.code, status.NOT_FOUND);
  });

  it('refuses to cancel a cancelled job, naming the state it is in', async () => {
    const { jobId } = await enqueue({ queue: uniqueName() });
    await unary((cb) => t.client.cancelJob({ jobId }, cb));
    const again = await rpcError(unary((cb) => t.client.cancelJob({ jobId }, cb)));
    assert.equal(again.code, status.FAILED_PRECONDITION);
    assert.match(again.details, new RegExp(`job ${jobId} is cancelled`));
  });

  it('answers an unknown lease id, unary or inline, with NOT_FOUND naming the lease and lease_id', async () => {
    const queue = uniqueName();
    const leaseId = `${queue}/999/abcdefghij`;
    const unaryAck = await rpcError(unary((cb) => t.client.ack({ leaseId }, cb)));
    assertField(unaryAck, status.NOT_FOUND, 'lease_id');
    assert.match(unaryAck.details, new RegExp(`^lease ${leaseId} not found`));

    const worker = new TestWorker(t.client, { queue, credits: 0 });
    worker.send({ acks: [leaseId] });
    const [settle] = await worker.waitForSettleErrors(1);
    worker.end();
    await worker.status;
    assert.equal(settle!.leaseId, leaseId);
    assert.equal(settle!.error?.code, status.NOT_FOUND);
    assert.equal(settle!.error?.field, 'lease_id');
    assert.match(settle!.error?.message ?? '', new RegExp(`^lease ${leaseId} not found`));
  });
});

describe('GetQueueStats', () => {
  it('counts jobs per state and per tier', async () => {
    const queue = uniqueName();
    await enqueue({ queue });
    await enqueue({ queue, tenantId: 'someone' });
    await enqueue({ queue, delay: seconds(60_000) });
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      t.client.getQueueStats({ queue }, cb),
    );
    assert.equal(stats.queue, queue);
    assert.deepEqual(stats.counts, { pending: '2', scheduled: '1', leased: '0', dead: '0' });
    const tiers = Object.fromEntries(stats.tiers.map((t) => [t.tier, t]));
    assert.equal(tiers.premium!.weight, 1000);
    assert.equal(tiers.premium!.enqueuedTotal, '2');
    assert.equal(tiers.free!.counts!.pending, '1');
    // The autoscaling signals: a first read has no earlier sample, so no rates yet.
    assert.equal(stats.backlog, '2');
    assert.deepEqual([stats.addRate, stats.dispatchRate], [0, 0]);
    assert.equal(Number(stats.rateWindow?.seconds ?? 0), 0);
    assertField(
      await rpcError(unary((cb) => t.client.getQueueStats({ queue: '' }, cb))),
      status.INVALID_ARGUMENT,
      'queue',
    );
  });

  it('answers zeros with OK for a queue nobody has used (queues are not declared)', async () => {
    const queue = uniqueName();
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      t.client.getQueueStats({ queue }, cb),
    );
    assert.equal(stats.queue, queue);
    assert.deepEqual(stats.counts, { pending: '0', scheduled: '0', leased: '0', dead: '0' });
    for (const tier of stats.tiers) assert.equal(tier.enqueuedTotal, '0');
  });
});

describe('ListDeadJobs and RedriveDeadJobs', () => {
  it('lists dead jobs and brings them back', async () => {
    const queue = uniqueName();
    const { jobId } = await enqueue({ queue });
    const leased = await leaseOne(queue);
    await unary((cb) =>
      t.client.nack({ leaseId: leased.leaseId, error: 'bad input', noRetry: true }, cb),
    );
    const page = await unary<ListDeadJobsResponse__Output>((cb) =>
      t.client.listDeadJobs({ queue }, cb),
    );
    assert.deepEqual(
      page.jobs.map((j) => [j.id, j.lastError]),
      [[jobId, 'bad input']],
    );
    assert.equal(page.nextPageToken, '');
    const redriven = await unary<RedriveDeadJobsResponse__Output>((cb) =>
      t.client.redriveDeadJobs({ queue, jobIds: [jobId] }, cb),
    );
    assert.equal(redriven.redrivenCount, '1');
    assert.equal((await getJob(jobId)).job!.state, 'JOB_STATE_PENDING');
  });

  it('rejects a bad page token and a job of another queue', async () => {
    const queue = uniqueName();
    const list = unary((cb) => t.client.listDeadJobs({ queue, pageToken: 'zzz' }, cb));
    assertField(await rpcError(list), status.INVALID_ARGUMENT, 'page_token');
    const redrive = unary((cb) => t.client.redriveDeadJobs({ queue, jobIds: ['other/1'] }, cb));
    assertField(await rpcError(redrive), status.INVALID_ARGUMENT, 'job_ids[0]');
  });
});

describe('ListJobs', () => {
  it('peeks at pending jobs without leasing them, and names a bad state', async () => {
    const queue = uniqueName();
    const { jobId } = await enqueue({ queue });
    const peek = await unary<ListDeadJobsResponse__Output>((cb) =>
      t.client.listJobs({ queue, state: 'JOB_STATE_PENDING' }, cb),
    );
    assert.deepEqual(
      peek.jobs.map((j) => [j.id, j.state, j.tier]),
      [[jobId, 'JOB_STATE_PENDING', 'premium']],
    );
    assert.equal((await getJob(jobId)).job!.state, 'JOB_STATE_PENDING');
    const bad = unary((cb) => t.client.listJobs({ queue }, cb));
    assertField(await rpcError(bad), status.INVALID_ARGUMENT, 'state');
  });
});

describe('ListJobs and ListDeadJobs with large payloads', () => {
  // The default payload limit (1 MiB): eight jobs make 8 MiB, twice what a client accepts.
  const big = useTestServer({ STATIC_TIERS: 'acme=premium' });
  const stats = (queue: string): Promise<GetQueueStatsResponse__Output> =>
    unary((cb) => big.client.getQueueStats({ queue }, cb));

  it('packs pages under 4 MiB and gives the rest with a page token', async () => {
    const queue = uniqueName();
    const payload = Buffer.alloc(1024 * 1024 - 100, 7); // just under MAX_PAYLOAD_BYTES
    const requests = Array.from({ length: 8 }, () => ({ queue, tenantId: 'acme', payload }));
    const batch = await unary<EnqueueBatchResponse__Output>((cb) =>
      big.client.enqueueBatch({ requests }, cb),
    );
    const ids = batch.results.map((r) => r.job!.jobId);
    for (const listing of ['pending', 'dead'] as const) {
      if (listing === 'dead') {
        const worker = new TestWorker(big.client, { queue, credits: 8 });
        const jobs = await worker.waitForJobs(8);
        worker.send({ nacks: jobs.map((j) => ({ leaseId: j.leaseId, noRetry: true })) });
        await waitFor(async () => (await stats(queue)).counts?.dead === '8');
        worker.end();
      }
      const seen: string[] = [];
      let pageToken = '';
      do {
        // A default client: it refuses replies over 4 MiB.
        const page = await unary<ListDeadJobsResponse__Output>((cb) =>
          listing === 'dead'
            ? big.client.listDeadJobs({ queue, pageToken }, cb)
            : big.client.listJobs({ queue, state: 'JOB_STATE_PENDING', pageToken }, cb),
        );
        assert.ok(page.jobs.length > 0 && page.jobs.length <= 3, `${page.jobs.length} jobs`);
        seen.push(...page.jobs.map((j) => j.id));
        pageToken = page.nextPageToken;
      } while (pageToken !== '');
      assert.deepEqual(seen, ids, `every ${listing} job once, in order`);
    }
  });
});

describe('ListJobs of leased jobs with large progress reports', () => {
  // Progress up to 1 MiB: eight leased jobs with small payloads carry 8 MiB of progress.
  const big = useTestServer({ STATIC_TIERS: 'acme=premium', MAX_PROGRESS_BYTES: '1048576' });

  it('counts each job’s progress when packing a page under 4 MiB', async () => {
    const queue = uniqueName();
    const requests = Array.from({ length: 8 }, () => ({
      queue,
      tenantId: 'acme',
      payload: Buffer.from('p'),
    }));
    await unary((cb) => big.client.enqueueBatch({ requests }, cb));
    const worker = new TestWorker(big.client, { queue, credits: 8 });
    const leased = await worker.waitForJobs(8);
    const progress = Buffer.alloc(1024 * 1024 - 100, 7);
    for (const { leaseId } of leased)
      await unary((cb) => big.client.reportProgress({ leaseId, progress }, cb));
    const seen: string[] = [];
    let pageToken = '';
    do {
      // A default client: it refuses replies over 4 MiB.
      const page = await unary<ListDeadJobsResponse__Output>((cb) =>
        big.client.listJobs({ queue, state: 'JOB_STATE_LEASED', pageToken }, cb),
      );
      assert.ok(page.jobs.length > 0 && page.jobs.length <= 3, `${page.jobs.length} jobs`);
      assert.ok(page.jobs.every((j) => j.progress.length === progress.length));
      seen.push(...page.jobs.map((j) => j.id));
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    assert.deepEqual(seen.sort(), leased.map((j) => j.job!.id).sort(), 'every leased job once');
    worker.end();
  });
});

/** Waits until `done` holds, looking again every 20 ms, for up to 5 s. */
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + 5000; !(await done());) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
