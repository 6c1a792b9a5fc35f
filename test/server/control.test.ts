/**
 * Queue control through real servers: a pause on one replica stops delivery on another and a
 * resume there wakes it at once; ListQueues pages through the registry with counts and the
 * paused flag, and shows a token only the queues it is granted; the control RPCs need the admin
 * scope and answer bad input and wrong states with the status and field named.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import type { CancelJobsResponse__Output } from '../../src/generated/scheduler/v1/CancelJobsResponse';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import type { ListQueuesResponse__Output } from '../../src/generated/scheduler/v1/ListQueuesResponse';
import type { PauseQueueResponse__Output } from '../../src/generated/scheduler/v1/PauseQueueResponse';
import type { UpdateJobResponse__Output } from '../../src/generated/scheduler/v1/UpdateJobResponse';
import { FIELD_TRAILER } from '../../src/server/status';
import { startRedis, uniqueName, useRedis, type TestRedis } from '../helpers/redis';
import {
  TestWorker,
  rpcError,
  seconds,
  sleep,
  startTestServer,
  unary,
  type Client,
  type TestServer,
} from '../helpers/server';
import {
  schedulerClient,
  startLogged,
  writeTokensFile,
  type LoggedServer,
} from '../security/clients';

const enqueue = (
  client: Client,
  queue: string,
  tenantId = 't',
  delayMs = 0,
): Promise<EnqueueResponse__Output> =>
  unary((cb) =>
    client.enqueue(
      { queue, tenantId, payload: Buffer.from('p'), delay: delayMs ? seconds(delayMs) : null },
      cb,
    ),
  );
const pause = (client: Client, queue: string, tenantId = ''): Promise<PauseQueueResponse__Output> =>
  unary((cb) => client.pauseQueue({ queue, tenantId }, cb));
const resume = (
  client: Client,
  queue: string,
  tenantId = '',
): Promise<PauseQueueResponse__Output> =>
  unary((cb) => client.resumeQueue({ queue, tenantId }, cb));
const listQueues = (
  client: Client,
  pageSize = 0,
  pageToken = '',
): Promise<ListQueuesResponse__Output> =>
  unary((cb) => client.listQueues({ pageSize, pageToken }, cb));

describe('pause and resume across replicas', () => {
  const redis = useRedis();
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    [a, b] = await Promise.all([startTestServer(redis.url), startTestServer(redis.url)]);
  });
  after(() => Promise.all([a.stop(), b.stop()]));

  it('stops delivery on the other replica while paused, and resuming wakes it at once', async () => {
    const queue = uniqueName();
    assert.equal((await pause(a.client, queue)).changed, true);
    const worker = new TestWorker(b.client, { queue, credits: 10 });
    for (let i = 0; i < 3; i++) await enqueue(a.client, queue);
    // The enqueues wake the worker's replica (pub/sub); its lease calls find the queue paused.
    await sleep(300);
    assert.equal(worker.jobs.length, 0, 'nothing delivered while paused');
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      b.client.getQueueStats({ queue }, cb),
    );
    assert.equal(stats.paused, true);
    assert.equal(stats.counts?.pending, '3');

    const started = Date.now();
    assert.equal((await resume(a.client, queue)).changed, true);
    await worker.waitForJobs(3);
    // Woken by the resume's wake message, not the dispatcher's 2 s safety net.
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    worker.end();
    await worker.status;
  });

  it('holds back one tenant on the other replica while its tier goes on', async () => {
    const queue = uniqueName();
    await pause(a.client, queue, 'slow');
    await enqueue(a.client, queue, 'slow');
    await enqueue(a.client, queue, 'fast');
    const worker = new TestWorker(b.client, { queue, credits: 10 });
    const [first] = await worker.waitForJobs(1);
    assert.equal(first?.job?.tenantId, 'fast');
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      a.client.getQueueStats({ queue }, cb),
    );
    assert.deepEqual(stats.pausedTenants, ['slow']);
    assert.equal(stats.paused, false);
    await resume(a.client, queue, 'slow');
    const jobs = await worker.waitForJobs(2);
    assert.equal(jobs[1]?.job?.tenantId, 'slow');
    worker.end();
    await worker.status;
  });
});

describe('ListQueues and the control RPCs', () => {
  let redis: TestRedis;
  let server: TestServer;
  before(async () => {
    redis = await startRedis({ own: true }); // an empty registry: the listing is exact
    server = await startTestServer(redis.url);
  });
  after(async () => {
    await server.stop();
    await redis.stop();
  });

  it('lists every queue seen, sorted and paged, with counts and the paused flag', async () => {
    const c = server.client;
    for (const q of ['lq-b', 'lq-a', 'lq-c']) await enqueue(c, q);
    await enqueue(c, 'lq-a', 't', 60_000);
    await pause(c, 'lq-d'); // a queue paused before its first job is listed too
    const first = await listQueues(c, 2);
    assert.deepEqual(
      first.queues.map((q) => q.queue),
      ['lq-a', 'lq-b'],
    );
    assert.equal(first.nextPageToken, 'lq-b');
    assert.equal(first.queues[0]?.counts?.pending, '1');
    assert.equal(first.queues[0]?.counts?.scheduled, '1');
    const rest = await listQueues(c, 2, first.nextPageToken);
    assert.deepEqual(
      rest.queues.map((q) => [q.queue, q.paused]),
      [
        ['lq-c', false],
        ['lq-d', true],
      ],
    );
    assert.equal(rest.nextPageToken, '');
  });

  it('exports paused queues and tenants as gauges at scrape time', async () => {
    const c = server.client;
    const queue = uniqueName();
    await enqueue(c, queue);
    await pause(c, queue);
    await pause(c, queue, 'a');
    await pause(c, queue, 'b');
    const res = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
    const text = await res.text();
    assert.match(text, new RegExp(`scheduler_queue_paused\\{queue="${queue}"\\} 1`));
    assert.match(text, new RegExp(`scheduler_queue_paused_tenants\\{queue="${queue}"\\} 2`));
    assert.match(text, new RegExp(`scheduler_queue_tenants_at_cap\\{queue="${queue}"\\} 0`));
  });

  it('answers bad input with INVALID_ARGUMENT naming the field', async () => {
    const c = server.client;
    const cases: Array<[Promise<unknown>, string]> = [
      [listQueues(c, 5000), 'page_size'],
      [listQueues(c, 0, 'no/such token'), 'page_token'],
      [pause(c, ''), 'queue'],
      [pause(c, 'q', 'bad tenant'), 'tenant_id'],
      [unary((cb) => c.updateJob({ jobId: 'q/1', priority: 10 }, cb)), 'priority'],
      [unary((cb) => c.promoteJob({ jobId: 'nope' }, cb)), 'job_id'],
      [unary((cb) => c.cancelJobs({ queue: 'q', limit: 20_000 }, cb)), 'limit'],
      [unary((cb) => c.purgeDeadJobs({ queue: 'q', limit: -1 }, cb)), 'limit'],
    ];
    for (const [call, field] of cases) {
      const err = await rpcError(call);
      assert.equal(err.code, status.INVALID_ARGUMENT, err.details);
      assert.deepEqual(err.metadata.get(FIELD_TRAILER), [field]);
    }
  });

  it('edits a waiting job and refuses a leased one with FAILED_PRECONDITION naming its state', async () => {
    const c = server.client;
    const queue = uniqueName();
    const { jobId } = await enqueue(c, queue);
    const updated = await unary<UpdateJobResponse__Output>((cb) =>
      c.updateJob({ jobId, priority: 7 }, cb),
    );
    assert.equal(updated.job?.priority, 7);
    const worker = new TestWorker(c, { queue, credits: 1 });
    await worker.waitForJobs(1);
    const err = await rpcError(unary((cb) => c.updateJob({ jobId, priority: 1 }, cb)));
    assert.equal(err.code, status.FAILED_PRECONDITION);
    assert.match(err.details, /is leased/);
    const promote = await rpcError(unary((cb) => c.promoteJob({ jobId }, cb)));
    assert.equal(promote.code, status.FAILED_PRECONDITION);
    worker.end();
    await worker.status;
  });

  it('cancels a tenant’s waiting jobs in bounded calls until none is left', async () => {
    const c = server.client;
    const queue = uniqueName();
    for (let i = 0; i < 5; i++) await enqueue(c, queue, 'acme', i % 2 ? 60_000 : 0);
    await enqueue(c, queue, 'globex');
    let total = 0;
    let pageToken = '';
    for (let calls = 0; calls < 10; calls++) {
      const res = await unary<CancelJobsResponse__Output>((cb) =>
        c.cancelJobs({ queue, tenantId: 'acme', limit: 2, pageToken }, cb),
      );
      total += Number(res.cancelledCount);
      pageToken = res.nextPageToken;
      if (!pageToken) break;
    }
    assert.equal(total, 5);
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      c.getQueueStats({ queue }, cb),
    );
    assert.equal(stats.counts?.pending, '1', 'globex keeps its job');
    assert.equal(stats.counts?.scheduled, '0');
  });
});

describe('the admin scope and ListQueues grants', () => {
  let redis: TestRedis;
  let server: LoggedServer;
  let dir: string;
  const clients: Client[] = [];
  const as = (token: string): Client => {
    const client = schedulerClient(server.address, { token });
    clients.push(client);
    return client;
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sched-control-'));
    const file = writeTokensFile(dir, [
      {
        name: 'admin',
        token: 'tok-admin-0123456789',
        scopes: ['admin', 'enqueue'],
        queues: ['*'],
        tenants: ['*'],
      },
      {
        name: 'billing',
        token: 'tok-billing-0123456789',
        scopes: ['read'],
        queues: ['billing-*'],
        tenants: ['*'],
      },
      {
        name: 'acme',
        token: 'tok-acme-0123456789',
        scopes: ['admin'],
        queues: ['*'],
        tenants: ['acme'],
      },
    ]);
    redis = await startRedis({ own: true });
    server = await startLogged(redis.url, { AUTH_TOKENS_FILE: file });
  });
  after(async () => {
    for (const c of clients) c.close();
    await server.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists only the queues a token is granted', async () => {
    const admin = as('tok-admin-0123456789');
    for (const q of ['billing-eu', 'billing-us', 'emails']) await enqueue(admin, q, 'acme');
    const all = await listQueues(admin);
    assert.deepEqual(
      all.queues.map((q) => q.queue),
      ['billing-eu', 'billing-us', 'emails'],
    );
    const billing = await listQueues(as('tok-billing-0123456789'));
    assert.deepEqual(
      billing.queues.map((q) => q.queue),
      ['billing-eu', 'billing-us'],
    );
  });

  it('needs the admin scope to pause, and every tenant to pause a whole queue', async () => {
    const reader = await rpcError(pause(as('tok-billing-0123456789'), 'billing-eu'));
    assert.equal(reader.code, status.PERMISSION_DENIED);
    assert.match(reader.details, /PauseQueue needs scope admin/);
    const acme = as('tok-acme-0123456789');
    const whole = await rpcError(pause(acme, 'emails'));
    assert.equal(whole.code, status.PERMISSION_DENIED);
    assert.match(whole.details, /spans every tenant/);
    assert.equal((await pause(acme, 'emails', 'acme')).changed, true);
    const other = await rpcError(pause(acme, 'emails', 'globex'));
    assert.equal(other.code, status.PERMISSION_DENIED);
    const bulk = await rpcError(unary((cb) => acme.purgeDeadJobs({ queue: 'emails' }, cb)));
    assert.equal(bulk.code, status.PERMISSION_DENIED);
  });
});
