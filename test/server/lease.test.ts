/** The Lease stream through a real server: flow control, fairness, inline settles, redelivery. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import type { EnqueueBatchResponse__Output } from '../../src/generated/scheduler/v1/EnqueueBatchResponse';
import type { EnqueueRequest } from '../../src/generated/scheduler/v1/EnqueueRequest';
import type { GetJobResponse__Output } from '../../src/generated/scheduler/v1/GetJobResponse';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import type { LeaseResponse__Output } from '../../src/generated/scheduler/v1/LeaseResponse';
import type { LeasedJob__Output } from '../../src/generated/scheduler/v1/LeasedJob';
import { uniqueName } from '../helpers/redis';
import { waitFor } from '../clients/helpers';
import { ScriptCalls } from '../helpers/script-calls';
import {
  TestWorker,
  leaseAndVanish,
  openLeaseStreams,
  seconds,
  sleep,
  statesOnceUnleased,
  unary,
  useTestServer,
} from '../helpers/server';

// A short backoff so an expired lease is back quickly.
const t = useTestServer({
  STATIC_TIERS: 'acme=premium',
  BACKOFF_BASE_MS: '20',
  BACKOFF_CAP_MS: '50',
  LEASE_OPEN_TIMEOUT_MS: '300',
});

async function enqueueMany(
  queue: string,
  n: number,
  item: Partial<EnqueueRequest> = {},
): Promise<string[]> {
  const requests = Array.from({ length: n }, (_, i) => ({
    queue,
    tenantId: 'acme',
    payload: Buffer.from(`job ${i}`),
    ...item,
  }));
  const res = await unary<EnqueueBatchResponse__Output>((cb) =>
    t.client.enqueueBatch({ requests }, cb),
  );
  return res.results.map((r) => r.job!.jobId);
}

const getJob = (jobId: string): Promise<GetJobResponse__Output> =>
  unary((cb) => t.client.getJob({ jobId }, cb));

async function counts(queue: string): Promise<{ pending: number; leased: number }> {
  const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
    t.client.getQueueStats({ queue }, cb),
  );
  return { pending: Number(stats.counts?.pending), leased: Number(stats.counts?.leased) };
}

describe('Lease stream', () => {
  it('ends with INVALID_ARGUMENT when the first message names no valid queue', async () => {
    const noQueue = new TestWorker(t.client, { credits: 1 });
    const s1 = await noQueue.status;
    assert.equal(s1.code, status.INVALID_ARGUMENT);
    assert.equal(s1.details, 'queue: must not be empty');
    const badTimeout = new TestWorker(t.client, {
      queue: uniqueName(),
      visibilityTimeout: { seconds: -5 },
    });
    const s2 = await badTimeout.status;
    assert.equal(s2.code, status.INVALID_ARGUMENT);
    assert.match(s2.details, /^visibility_timeout:/);
  });

  it(
    'ends a stream that never sends its first message with INVALID_ARGUMENT after the timeout',
    {
      timeout: 5000,
    },
    async () => {
      const stream = t.client.lease();
      stream.on('error', () => undefined);
      const s = await new Promise<{ code: number; details: string }>((resolve) =>
        stream.on('status', resolve),
      );
      assert.equal(s.code, status.INVALID_ARGUMENT);
      assert.equal(s.details, 'queue: no first message within 300 ms');
    },
  );

  it('refuses to switch queues on an open stream', async () => {
    const worker = new TestWorker(t.client, { queue: uniqueName(), credits: 1 });
    worker.send({ queue: uniqueName() });
    const s = await worker.status;
    assert.equal(s.code, status.INVALID_ARGUMENT);
    assert.match(s.details, /^queue:/);
  });

  it('sends no more jobs than credits granted; acks do not give credits back', async () => {
    const queue = uniqueName();
    await enqueueMany(queue, 5);
    const worker = new TestWorker(t.client, { queue, credits: 2 });
    const first = await worker.waitForJobs(2);
    // Absence proved by the server's counts: it leased exactly what the credits allowed.
    assert.deepEqual(await counts(queue), { pending: 3, leased: 2 });
    // A stale ack in the same message: its settle error comes once the acks were applied.
    const stale = `${queue}/999/${'x'.repeat(12)}`;
    worker.send({ acks: [...first.map((j) => j.leaseId), stale] });
    await worker.waitForSettleErrors(1);
    assert.deepEqual(await counts(queue), { pending: 3, leased: 0 }, 'an ack is not a credit');
    worker.send({ credits: 1 });
    await worker.waitForJobs(3);
    assert.deepEqual(await counts(queue), { pending: 2, leased: 1 });
    assert.equal(worker.jobs.length, 3);
    worker.end();
    assert.equal((await worker.status).code, status.OK);
  });

  it('shares a queue 10:1 between premium and free tenants', async () => {
    const queue = uniqueName();
    await enqueueMany(queue, 150, { tenantId: 'free-tenant' });
    await enqueueMany(queue, 150, { tenantId: 'acme' });
    // 110 leases while both tiers have plenty ready: 100 premium, 10 free.
    const worker = new TestWorker(t.client, { queue, credits: 110 });
    const jobs = await worker.waitForJobs(110);
    const tiers = jobs.map((j) => j.job!.tier);
    for (let start = 0; start + 11 <= tiers.length; start += 11) {
      const free = tiers.slice(start, start + 11).filter((t) => t === 'free').length;
      assert.ok(free >= 0 && free <= 2, `window at ${start} has ${free} free jobs`);
    }
    const free = tiers.filter((t) => t === 'free').length;
    assert.ok(Math.abs(free - 10) <= 1, `${free} free of 110`);
    worker.end();
  });

  it(
    'ends a stream whose message carries more than 10,000 acks and nacks with INVALID_ARGUMENT',
    { timeout: 30_000 },
    async () => {
      const queue = uniqueName();
      const worker = new TestWorker(t.client, { queue, credits: 0 });
      const acks = Array.from({ length: 10_000 }, (_, i) => `${queue}/${i + 1}/${'x'.repeat(12)}`);
      worker.send({ acks: acks.slice(0, 9_999), nacks: [{ leaseId: acks[9_999]! }] });
      await worker.waitForSettleErrors(10_000, 20_000); // at the cap: applied, each one stale
      worker.send({ acks, nacks: [{ leaseId: acks[0]! }] });
      const s = await worker.status;
      assert.equal(s.code, status.INVALID_ARGUMENT);
      assert.equal(s.details, 'acks: at most 10000 acks and nacks per message (got 10001)');
    },
  );

  it(
    'packs settle errors into messages a default client accepts (under 4 MiB each)',
    { timeout: 30_000 },
    async () => {
      const worker = new TestWorker(t.client, { queue: uniqueName(), credits: 0 });
      // Malformed ids of up to 1 KiB come back as sent: 5,000 make over 5 MB of settle errors.
      const acks = Array.from({ length: 5000 }, (_, i) => `${i}:${'x'.repeat(1000)}`);
      worker.send({ acks });
      const errors = await worker.waitForSettleErrors(5000, 10_000);
      assert.deepEqual(
        errors.map((e) => e.leaseId),
        acks,
      );
      const sizes = worker.messages.map((m) => JSON.stringify(m).length);
      assert.ok(sizes.length >= 2, `${sizes.length} message(s)`);
      assert.ok(Math.max(...sizes) < 4 * 1024 * 1024, `messages of ${sizes.join(', ')} bytes`);
      worker.end();
      assert.equal((await worker.status).code, status.OK);
    },
  );

  it('cuts a lease id longer than any it issues in its settle error, so one bogus ack cannot kill the stream', async () => {
    const worker = new TestWorker(t.client, { queue: uniqueName(), credits: 0 });
    const huge = 'x'.repeat(5 * 1024 * 1024); // over a default client's 4 MiB, under the server's 64
    worker.send({ acks: [huge, 'garbage'] });
    const errors = await worker.waitForSettleErrors(2);
    assert.deepEqual(
      errors.map((e) => [e.leaseId.length, e.error?.code]),
      [
        [1024, status.INVALID_ARGUMENT],
        ['garbage'.length, status.INVALID_ARGUMENT],
      ],
    );
    assert.ok(huge.startsWith(errors[0]!.leaseId));
    worker.end();
    assert.equal((await worker.status).code, status.OK);
  });

  it('settles inline: good acks succeed, bad ones come back in settle_errors and the stream goes on', async () => {
    const queue = uniqueName();
    const ids = await enqueueMany(queue, 3);
    const worker = new TestWorker(t.client, { queue, credits: 3 });
    const jobs = await worker.waitForJobs(3);
    const [a, b, c] = jobs.map((j) => j.leaseId) as [string, string, string];
    worker.send({
      acks: [a, b, 'garbage'],
      nacks: [{ leaseId: c, error: 'try later', retryDelay: seconds(0) }],
    });
    const [settleError] = await worker.waitForSettleErrors(1);
    assert.deepEqual(settleError, {
      leaseId: 'garbage',
      error: {
        code: status.INVALID_ARGUMENT,
        message: 'lease_id: malformed lease id "garbage"',
        field: 'lease_id',
      },
    });
    worker.send({ acks: [a] }); // already acked: stale
    const stale = (await worker.waitForSettleErrors(2))[1]!;
    assert.equal(stale.leaseId, a);
    assert.equal(stale.error!.code, status.FAILED_PRECONDITION);
    assert.equal((await getJob(ids[0]!)).job!.state, 'JOB_STATE_SUCCEEDED');
    assert.equal((await getJob(ids[1]!)).job!.state, 'JOB_STATE_SUCCEEDED');
    worker.send({ credits: 1 }); // the nacked job is ready again: the stream still delivers
    const [, , , again] = await worker.waitForJobs(4);
    assert.equal(again!.job!.id, ids[2]);
    assert.equal(again!.job!.attempt, 2);
    assert.equal(again!.job!.lastError, 'try later');
    worker.end();
  });

  it('confirms in settled_through the messages whose settles it applied, after their settle errors', async () => {
    const queue = uniqueName();
    const ids = await enqueueMany(queue, 2);
    const worker = new TestWorker(t.client, { queue, credits: 2 }); // message 1
    const [a, b] = (await worker.waitForJobs(2)).map((j) => j.leaseId) as [string, string];
    const through = (n: number) => (msg: LeaseResponse__Output) => Number(msg.settledThrough) >= n;
    worker.send({ acks: [a, b] }); // message 2: nothing else to write, so it is confirmed alone
    await worker.waitForMessage('settled_through 2', through(2));
    // Confirmed only once applied: the jobs are done by the time the confirmation is here.
    for (const id of ids) assert.equal((await getJob(id)).job!.state, 'JOB_STATE_SUCCEEDED');
    worker.send({ acks: [a] }); // message 3: already acked, a settle error
    const covered = await worker.waitForMessage('settled_through 3', through(3));
    const failed = worker.messages.findIndex((m) => m.settleErrors.some((e) => e.leaseId === a));
    assert.ok(failed >= 0, 'the stale ack came back as a settle error');
    assert.ok(failed <= covered, 'the settle error came no later than the confirmation');
    assert.equal(worker.settleErrors[0]!.error!.code, status.FAILED_PRECONDITION);
    const sent = worker.messages.map((m) => Number(m.settledThrough)).filter((n) => n > 0);
    assert.deepEqual(
      sent,
      [...sent].sort((x, y) => x - y),
      'settled_through only grows',
    );
    assert.ok(
      sent.every((n) => n <= 3),
      'never beyond the messages sent',
    );
    assert.equal(new Set(sent).size, sent.length, 'sent only when it advanced');
    worker.end();
    assert.equal((await worker.status).code, status.OK);
  });

  it('confirms settles on the jobs it sends while busy, alone only once the stream goes quiet', async () => {
    const queue = uniqueName();
    const total = 2000;
    await enqueueMany(queue, total);
    // Acks each turn's jobs in one message that grants their credits again.
    const worker = new TestWorker(t.client, { queue, credits: 50 }, { autoAck: true });
    await worker.waitForJobs(total, 20_000);
    const lastJobs = worker.messages.reduce((last, m, i) => (m.jobs.length > 0 ? i : last), -1);
    // The last acks: nothing else to write, so their confirmation goes alone.
    const after = await worker.waitForMessage('a confirmation after the last jobs', (m) => {
      const at = worker.messages.indexOf(m);
      return at > lastJobs && Number(m.settledThrough) > 0;
    });
    const withJobs = worker.messages.filter((m) => m.jobs.length > 0);
    const riding = withJobs.filter((m) => Number(m.settledThrough) > 0);
    const alone = worker.messages.filter((m) => m.jobs.length === 0);
    assert.ok(after > lastJobs);
    assert.ok(riding.length >= withJobs.length / 2, `${riding.length} of ${withJobs.length} rode`);
    // One at the end; a loaded machine may leave a 50 ms gap mid-drain, but never one per cycle.
    assert.ok(
      alone.length <= 3,
      `${alone.length} confirmations alone in ${withJobs.length} cycles`,
    );
    worker.end();
    assert.equal((await worker.status).code, status.OK);
  });

  it('takes released jobs back unstarted: ready again, no attempt counted; a stale release is a settle error', async () => {
    const queue = uniqueName();
    const [jobId] = await enqueueMany(queue, 1);
    const worker = new TestWorker(t.client, { queue, credits: 1, visibilityTimeout: seconds(60) });
    const [first] = await worker.waitForJobs(1);
    worker.send({ releases: [first!.leaseId] });
    for (let i = 0; (await getJob(jobId!)).job!.state !== 'JOB_STATE_PENDING'; i++) {
      assert.ok(i < 250, 'the released job is back within 5 s');
      await sleep(20);
    }
    assert.equal((await getJob(jobId!)).job!.attempt, 0);
    worker.send({ releases: [first!.leaseId] }); // the lease is over: stale
    const [stale] = await worker.waitForSettleErrors(1);
    assert.equal(stale!.leaseId, first!.leaseId);
    assert.equal(stale!.error!.code, status.FAILED_PRECONDITION);
    worker.send({ credits: 1 });
    const [, again] = await worker.waitForJobs(2);
    assert.equal(again!.job!.id, jobId);
    assert.equal(again!.job!.attempt, 1, 'the release counted no attempt');
    worker.end();
  });

  it('delivers an unacked job again after its visibility timeout, with a new lease id', async () => {
    const queue = uniqueName();
    const [jobId] = await enqueueMany(queue, 1);
    const worker = new TestWorker(t.client, { queue, credits: 2, visibilityTimeout: seconds(300) });
    const [first] = await worker.waitForJobs(1);
    assert.equal(first!.job!.attempt, 1);
    const started = Date.now();
    const [, second] = await worker.waitForJobs(2, 5000);
    assert.ok(Date.now() - started >= 250, 'not before the lease expired');
    assert.equal(second!.job!.id, jobId);
    assert.equal(second!.job!.attempt, 2);
    assert.notEqual(second!.leaseId, first!.leaseId);
    worker.end();
  });

  it('serves streams with 20 distinct visibility timeouts in one lease call, each job with its stream’s', async () => {
    const queue = uniqueName();
    const timeouts = Array.from({ length: 20 }, (_, i) => 60_000 + i * 10_000);
    const workers = timeouts.map(
      (ms) => new TestWorker(t.client, { queue, credits: 1, visibilityTimeout: seconds(ms) }),
    );
    const calls = await ScriptCalls.start(t.redis.url, queue, ['lease']);
    let leaseCalls: number;
    let jobs: LeasedJob__Output[];
    const before = Date.now();
    try {
      await waitFor(
        '20 open streams',
        async () => (await openLeaseStreams(t.server, queue)) === 20,
      );
      const idle = calls.count('lease');
      await enqueueMany(queue, 20);
      jobs = await Promise.all(workers.map(async (w) => (await w.waitForJobs(1))[0]!));
      leaseCalls = calls.count('lease') - idle;
    } finally {
      calls.stop();
      for (const w of workers) w.cancel(); // the jobs stay leased; the queue is the test's own
    }
    // One wake, one call for all twenty (by timeout it took twenty); a second may race the wake.
    assert.ok(leaseCalls <= 2, `${leaseCalls} lease calls`);
    jobs.forEach((job, i) => {
      const expire = Number(job.leaseExpireTime!.seconds) * 1000;
      assert.ok(
        expire >= before + timeouts[i]! - 1000 && expire <= Date.now() + timeouts[i]!,
        `stream ${i}: deadline ${expire - before} ms after the enqueue, timeout ${timeouts[i]}`,
      );
    });
  });

  it('splits large jobs over messages that clients accept (under 4 MiB each)', async () => {
    const queue = uniqueName();
    await enqueueMany(queue, 6, { payload: Buffer.alloc(1_000_000, 7) });
    const worker = new TestWorker(t.client, { queue, credits: 6 });
    const jobs = await worker.waitForJobs(6);
    assert.ok(jobs.every((j) => j.job!.payload.length === 1_000_000));
    assert.ok(worker.messages.length >= 2);
    worker.end();
    assert.equal((await worker.status).code, status.OK);
  });

  it('keeps jobs sent to a stream that goes away leased until they expire', async () => {
    const queue = uniqueName();
    const [jobId] = await enqueueMany(queue, 1);
    const worker = new TestWorker(t.client, { queue, credits: 1 });
    await worker.waitForJobs(1);
    assert.equal(await openLeaseStreams(t.server, queue), 1);
    worker.cancel();
    await worker.status;
    // The server has closed its side of the stream, and settled nothing when it did.
    await waitFor('the server to close the stream', async () => {
      return (await openLeaseStreams(t.server, queue)) === 0;
    });
    assert.equal((await getJob(jobId!)).job!.state, 'JOB_STATE_LEASED');
  });

  it('brings an expired lease back within about a second with no worker connected', async () => {
    const queue = uniqueName();
    const [jobId] = await enqueueMany(queue, 1);
    await leaseAndVanish(t.client, queue, 300);
    const [state] = await statesOnceUnleased(t.client, [jobId!], 4000);
    assert.notEqual(state, 'JOB_STATE_LEASED', 'still leased 4 s after its deadline');
    assert.equal((await counts(queue)).leased, 0, 'stats agree');
  });
});
