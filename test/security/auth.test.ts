/**
 * Token authentication and authorization through a real server: who may call which RPC, on
 * which queues and for which tenants; health and reflection open to all; a bad tokens file
 * stops start-up; no tokens file is a logged warning.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { Metadata, status } from '@grpc/grpc-js';
import type { EnqueueBatchResponse__Output } from '../../src/generated/scheduler/v1/EnqueueBatchResponse';
import type { EnqueueRequest } from '../../src/generated/scheduler/v1/EnqueueRequest';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import type { GetJobResponse__Output } from '../../src/generated/scheduler/v1/GetJobResponse';
import type { GetScheduleResponse__Output } from '../../src/generated/scheduler/v1/GetScheduleResponse';
import type { Schedule } from '../../src/generated/scheduler/v1/Schedule';
import type { UpsertScheduleResponse__Output } from '../../src/generated/scheduler/v1/UpsertScheduleResponse';
import type { WatchJobResponse__Output } from '../../src/generated/scheduler/v1/WatchJobResponse';
import { ConfigError } from '../../src/server/config';
import { FIELD_TRAILER } from '../../src/server/status';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { TestWorker, leaseOneJob, rpcError, unary, type Client } from '../helpers/server';
import {
  healthStatus,
  listServices,
  schedulerClient,
  startLogged,
  writeTokensFile,
  type LoggedServer,
} from './clients';

const TOKENS = {
  producer: 'tok-producer-0123456789',
  worker: 'tok-worker-0123456789',
  reader: 'tok-reader-0123456789',
  admin: 'tok-admin-0123456789',
  producerAdmin: 'tok-acme-admin-0123456789',
  root: 'tok-root-0123456789',
  scheduler: 'tok-scheduler-0123456789',
  schedulerGlobex: 'tok-scheduler-globex-0123456789',
};

let redis: TestRedis;
let server: LoggedServer;
let dir: string;
const clients: Client[] = [];

function as(token?: string): Client {
  const client = schedulerClient(server.address, { token });
  clients.push(client);
  return client;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sched-auth-'));
  const file = writeTokensFile(dir, [
    {
      name: 'producer',
      token: TOKENS.producer,
      scopes: ['enqueue'],
      queues: ['billing-*'],
      tenants: ['acme'],
    },
    {
      name: 'worker',
      token: TOKENS.worker,
      scopes: ['lease'],
      queues: ['billing-*'],
      tenants: ['*'],
    },
    { name: 'reader', token: TOKENS.reader, scopes: ['read'], queues: ['*'], tenants: ['acme'] },
    { name: 'admin', token: TOKENS.admin, scopes: ['admin'], queues: ['*'], tenants: ['*'] },
    {
      name: 'scheduler',
      token: TOKENS.scheduler,
      scopes: ['schedule'],
      queues: ['billing-*'],
      tenants: ['acme'],
    },
    {
      name: 'scheduler-globex',
      token: TOKENS.schedulerGlobex,
      scopes: ['schedule'],
      queues: ['billing-*'],
      tenants: ['globex'],
    },
    {
      name: 'acme-admin',
      token: TOKENS.producerAdmin,
      scopes: ['admin'],
      queues: ['*'],
      tenants: ['acme'],
    },
    {
      name: 'root',
      token: TOKENS.root,
      scopes: ['enqueue', 'lease', 'admin'],
      queues: ['*'],
      tenants: ['*'],
    },
  ]);
  redis = await startRedis();
  server = await startLogged(redis.url, { AUTH_TOKENS_FILE: file, LOG_LEVEL: 'info' });
});

after(async () => {
  for (const c of clients) c.close();
  await server.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A whole WatchJob stream: the jobs it sent and how it ended. */
function watchAll(
  client: Client,
  jobId: string,
): Promise<{ jobs: WatchJobResponse__Output[]; status: grpc.StatusObject }> {
  const jobs: WatchJobResponse__Output[] = [];
  const call = client.watchJob({ jobId });
  call.on('data', (msg: WatchJobResponse__Output) => jobs.push(msg));
  call.on('error', () => undefined); // the status says it
  return new Promise((resolve) => call.on('status', (st) => resolve({ jobs, status: st })));
}

const enqueue = (client: Client, req: EnqueueRequest): Promise<EnqueueResponse__Output> =>
  unary((cb) => client.enqueue({ tenantId: 'acme', payload: Buffer.from('p'), ...req }, cb));

describe('authentication', () => {
  it('rejects a call without credentials as UNAUTHENTICATED, saying what to send', async () => {
    const err = await rpcError(enqueue(as(), { queue: 'billing-a' }));
    assert.equal(err.code, status.UNAUTHENTICATED);
    assert.match(err.details, /missing credentials.*authorization: Bearer <token>/);
  });

  it('rejects an unknown token and a malformed header as UNAUTHENTICATED', async () => {
    const unknown = await rpcError(enqueue(as('not-a-token'), { queue: 'billing-a' }));
    assert.equal(unknown.code, status.UNAUTHENTICATED);
    assert.equal(unknown.details, 'unknown token');
    const md = new Metadata();
    md.set('authorization', `Basic ${TOKENS.producer}`);
    const malformed = await rpcError(
      unary((cb) => as().getQueueStats({ queue: 'billing-a' }, md, cb)),
    );
    assert.equal(malformed.code, status.UNAUTHENTICATED);
    assert.match(malformed.details, /malformed authorization/);
  });

  it('never logs a token, and logs each refusal with the caller and reason', () => {
    const text = server.lines.join('\n');
    for (const token of Object.values(TOKENS)) assert.ok(!text.includes(token), 'token in logs');
    assert.ok(server.lines.some((l) => l.includes('"refused"') && l.includes('unknown token')));
  });

  it('serves health and reflection without credentials (kubelet probes send none)', async () => {
    assert.equal(await healthStatus(server.address), 'SERVING');
    assert.ok((await listServices(server.address)).includes('scheduler.v1.SchedulerService'));
  });
});

describe('scopes', () => {
  it('denies an RPC outside the token’s scopes, naming the scope needed', async () => {
    const err = await rpcError(
      unary((cb) => as(TOKENS.producer).getQueueStats({ queue: 'billing-a' }, cb)),
    );
    assert.equal(err.code, status.PERMISSION_DENIED);
    assert.equal(err.details, 'token producer: GetQueueStats needs scope read (token has enqueue)');
    const cancel = await rpcError(
      unary((cb) => as(TOKENS.reader).cancelJob({ jobId: 'billing-a/1' }, cb)),
    );
    assert.equal(cancel.code, status.PERMISSION_DENIED);
    assert.match(cancel.details, /CancelJob needs scope admin/);
  });

  it('lets admin read (admin includes read)', async () => {
    const queue = uniqueName('billing');
    const { jobId } = await enqueue(as(TOKENS.root), { queue });
    const got = await unary<GetJobResponse__Output>((cb) => as(TOKENS.admin).getJob({ jobId }, cb));
    assert.equal(got.job?.id, jobId);
  });
});

describe('enqueue grants', () => {
  it('enqueues on a granted queue (prefix glob) for a granted tenant', async () => {
    const res = await enqueue(as(TOKENS.producer), { queue: uniqueName('billing') });
    assert.equal(res.duplicate, false);
  });

  it('denies a queue or a tenant outside the grant, naming it and the field', async () => {
    const queue = await rpcError(enqueue(as(TOKENS.producer), { queue: 'emails' }));
    assert.equal(queue.code, status.PERMISSION_DENIED);
    assert.equal(
      queue.details,
      'token producer: queue: queue emails is not granted (granted: billing-*)',
    );
    assert.deepEqual(queue.metadata.get(FIELD_TRAILER), ['queue']);
    const tenant = await rpcError(
      enqueue(as(TOKENS.producer), { queue: 'billing-a', tenantId: 'globex' }),
    );
    assert.equal(tenant.code, status.PERMISSION_DENIED);
    assert.match(tenant.details, /tenant globex is not granted \(granted: acme\)/);
    assert.deepEqual(tenant.metadata.get(FIELD_TRAILER), ['tenant_id']);
  });

  it('denies batch items one by one, enqueueing the granted ones', async () => {
    const queue = uniqueName('billing');
    const item = (extra: Partial<EnqueueRequest>): EnqueueRequest => ({
      queue,
      tenantId: 'acme',
      payload: Buffer.from('p'),
      ...extra,
    });
    const res = await unary<EnqueueBatchResponse__Output>((cb) =>
      as(TOKENS.producer).enqueueBatch(
        { requests: [item({}), item({ queue: 'emails' }), item({ tenantId: 'globex' })] },
        cb,
      ),
    );
    const [ok, badQueue, badTenant] = res.results;
    assert.ok(ok?.job?.jobId.startsWith(`${queue}/`));
    assert.equal(badQueue?.error?.code, status.PERMISSION_DENIED);
    assert.equal(badQueue?.error?.field, 'requests[1].queue');
    assert.match(badQueue?.error?.message ?? '', /queue emails is not granted/);
    assert.equal(badTenant?.error?.code, status.PERMISSION_DENIED);
    assert.equal(badTenant?.error?.field, 'requests[2].tenant_id');
  });
});

describe('lease grants', () => {
  it('leases from a granted queue, and refuses a stream on another queue', async () => {
    const queue = uniqueName('billing');
    await enqueue(as(TOKENS.root), { queue });
    const leased = await leaseOneJob(as(TOKENS.worker), queue);
    await unary((cb) => as(TOKENS.worker).ack({ leaseId: leased.leaseId }, cb));

    const refused = new TestWorker(as(TOKENS.worker), { queue: 'emails', credits: 1 });
    const st = await refused.status;
    assert.equal(st.code, status.PERMISSION_DENIED);
    assert.match(st.details, /queue emails is not granted/);
  });

  it('refuses a Lease stream without a token or without the lease scope', async () => {
    const anonymous = await new TestWorker(as(), { queue: 'billing-a', credits: 1 }).status;
    assert.equal(anonymous.code, status.UNAUTHENTICATED);
    const producer = await new TestWorker(as(TOKENS.producer), { queue: 'billing-a', credits: 1 })
      .status;
    assert.equal(producer.code, status.PERMISSION_DENIED);
    assert.match(producer.details, /Lease needs scope lease/);
  });

  it('denies ack, nack, extend and progress of a lease on a queue outside the grant', async () => {
    const leaseId = 'emails/1/abcdefgh12';
    for (const call of [
      (cb: grpc.requestCallback<unknown>) => as(TOKENS.worker).ack({ leaseId }, cb),
      (cb: grpc.requestCallback<unknown>) => as(TOKENS.worker).nack({ leaseId }, cb),
      (cb: grpc.requestCallback<unknown>) => as(TOKENS.worker).extendLease({ leaseId }, cb),
      (cb: grpc.requestCallback<unknown>) =>
        as(TOKENS.worker).reportProgress({ leaseId, progress: Buffer.from('1') }, cb),
    ]) {
      const err = await rpcError(unary(call));
      assert.equal(err.code, status.PERMISSION_DENIED);
      assert.match(err.details, /lease_id: queue emails is not granted/);
    }
  });

  it('reports an inline ack on a foreign queue as a per-lease PERMISSION_DENIED', async () => {
    const worker = new TestWorker(as(TOKENS.worker), { queue: uniqueName('billing'), credits: 0 });
    worker.send({ acks: ['emails/1/abcdefgh12'] });
    const [settle] = await worker.waitForSettleErrors(1);
    assert.equal(settle?.error?.code, status.PERMISSION_DENIED);
    assert.equal(settle?.error?.field, 'lease_id');
    worker.end();
    assert.equal((await worker.status).code, status.OK);
  });
});

describe('read and admin grants', () => {
  it('reads jobs of granted tenants only', async () => {
    const queue = uniqueName('billing');
    const mine = await enqueue(as(TOKENS.root), { queue });
    const theirs = await enqueue(as(TOKENS.root), { queue, tenantId: 'globex' });
    const got = await unary<GetJobResponse__Output>((cb) =>
      as(TOKENS.reader).getJob({ jobId: mine.jobId }, cb),
    );
    assert.equal(got.job?.tenantId, 'acme');
    const err = await rpcError(
      unary((cb) => as(TOKENS.reader).getJob({ jobId: theirs.jobId }, cb)),
    );
    const missing = `${queue}/999999`;
    const none = await rpcError(unary((cb) => as(TOKENS.reader).getJob({ jobId: missing }, cb)));
    // Another tenant's job answers as a missing one does: no oracle of which ids exist.
    assert.equal(err.code, status.NOT_FOUND);
    assert.equal(none.code, status.NOT_FOUND);
    assert.equal(err.details, `job ${theirs.jobId} not found`);
    assert.equal(none.details, `job ${missing} not found`);
  });

  it('watches jobs of granted tenants only: another tenant’s job answers as a missing one', async () => {
    const queue = uniqueName('billing');
    const mine = await enqueue(as(TOKENS.root), { queue });
    const theirs = await enqueue(as(TOKENS.root), { queue, tenantId: 'globex' });
    for (const { jobId } of [mine, theirs])
      await unary((cb) => as(TOKENS.root).cancelJob({ jobId }, cb));
    const own = await watchAll(as(TOKENS.reader), mine.jobId);
    assert.equal(own.status.code, status.OK);
    assert.deepEqual(
      own.jobs.map((m) => m.job?.state),
      ['JOB_STATE_CANCELLED'],
    );
    const foreign = await watchAll(as(TOKENS.reader), theirs.jobId);
    const missing = `${queue}/999999`;
    const none = await watchAll(as(TOKENS.reader), missing);
    assert.deepEqual(foreign.jobs, [], 'nothing of the job is sent');
    assert.equal(foreign.status.code, status.NOT_FOUND);
    assert.equal(none.status.code, status.NOT_FOUND);
    assert.equal(foreign.status.details, `job ${theirs.jobId} not found`);
    assert.equal(none.status.details, `job ${missing} not found`);
    assert.deepEqual(
      foreign.status.metadata.get(FIELD_TRAILER),
      none.status.metadata.get(FIELD_TRAILER),
    );
    const producer = await watchAll(as(TOKENS.producer), mine.jobId);
    assert.equal(producer.status.code, status.PERMISSION_DENIED);
    assert.match(producer.status.details, /WatchJob needs scope read/);
  });

  it('answers a tenant-limited CancelJob of another tenant’s job as NOT_FOUND, and leaves it', async () => {
    const queue = uniqueName('billing');
    const theirs = await enqueue(as(TOKENS.root), { queue, tenantId: 'globex' });
    const err = await rpcError(
      unary((cb) => as(TOKENS.producerAdmin).cancelJob({ jobId: theirs.jobId }, cb)),
    );
    assert.equal(err.code, status.NOT_FOUND);
    const job = await unary<GetJobResponse__Output>((cb) =>
      as(TOKENS.admin).getJob({ jobId: theirs.jobId }, cb),
    );
    assert.equal(job.job?.state, 'JOB_STATE_PENDING');
  });

  it('answers a tenant-limited UpdateJob or PromoteJob of another tenant’s job as NOT_FOUND, and leaves it', async () => {
    const queue = uniqueName('billing');
    const theirs = await enqueue(as(TOKENS.root), {
      queue,
      tenantId: 'globex',
      delay: { seconds: 3600 },
    });
    const missing = `${queue}/999999`;
    const calls = [
      (jobId: string) => (cb: grpc.requestCallback<unknown>) =>
        as(TOKENS.producerAdmin).updateJob({ jobId, priority: 9 }, cb),
      (jobId: string) => (cb: grpc.requestCallback<unknown>) =>
        as(TOKENS.producerAdmin).promoteJob({ jobId }, cb),
    ];
    for (const call of calls) {
      const err = await rpcError(unary(call(theirs.jobId)));
      const none = await rpcError(unary(call(missing)));
      assert.equal(err.code, status.NOT_FOUND);
      assert.equal(none.code, status.NOT_FOUND);
      assert.equal(err.details, `job ${theirs.jobId} not found`);
      assert.equal(none.details, `job ${missing} not found`);
      assert.deepEqual(err.metadata.get(FIELD_TRAILER), none.metadata.get(FIELD_TRAILER));
    }
    const job = await unary<GetJobResponse__Output>((cb) =>
      as(TOKENS.admin).getJob({ jobId: theirs.jobId }, cb),
    );
    assert.equal(job.job?.state, 'JOB_STATE_SCHEDULED');
    assert.equal(job.job?.priority, 0);
  });

  it('refuses queue-wide listings to a token limited to some tenants', async () => {
    for (const call of [
      (cb: grpc.requestCallback<unknown>) =>
        as(TOKENS.reader).listDeadJobs({ queue: 'billing-a' }, cb),
      (cb: grpc.requestCallback<unknown>) =>
        as(TOKENS.reader).listJobs({ queue: 'billing-a', state: 'JOB_STATE_PENDING' }, cb),
    ]) {
      const err = await rpcError(unary(call));
      assert.equal(err.code, status.PERMISSION_DENIED);
      assert.match(
        err.details,
        /on queue billing-a spans every tenant; token is limited to tenants acme/,
      );
    }
  });

  it('cancels with the admin scope', async () => {
    const queue = uniqueName('billing');
    const { jobId } = await enqueue(as(TOKENS.root), { queue });
    const res = await unary<GetJobResponse__Output>((cb) =>
      as(TOKENS.admin).cancelJob({ jobId }, cb),
    );
    assert.equal(res.job?.state, 'JOB_STATE_CANCELLED');
  });
});

describe('schedule grants', () => {
  const upsert = (client: Client, schedule: Schedule): Promise<UpsertScheduleResponse__Output> =>
    unary((cb) => client.upsertSchedule({ schedule }, cb));
  const hourly = (queue: string, tenantId: string): Schedule => ({
    queue,
    scheduleId: 'hourly',
    cron: '0 * * * *',
    template: { tenantId, payload: Buffer.from('p') },
  });

  it('lets the schedule scope manage schedules of its queues for its tenants', async () => {
    const queue = uniqueName('billing');
    const res = await upsert(as(TOKENS.scheduler), hourly(queue, 'acme'));
    assert.equal(res.created, true);
    const got = await unary<GetScheduleResponse__Output>((cb) =>
      as(TOKENS.reader).getSchedule({ queue, scheduleId: 'hourly' }, cb),
    );
    assert.equal(got.schedule?.template?.tenantId, 'acme', 'read includes GetSchedule');
    await unary((cb) => as(TOKENS.scheduler).deleteSchedule({ queue, scheduleId: 'hourly' }, cb));
  });

  it('denies schedules outside the scope, the queues or the template tenant', async () => {
    const queue = uniqueName('billing');
    const scope = await rpcError(upsert(as(TOKENS.producer), hourly(queue, 'acme')));
    assert.equal(scope.code, status.PERMISSION_DENIED);
    assert.match(scope.details, /UpsertSchedule needs scope schedule \(token has enqueue\)/);
    const other = await rpcError(upsert(as(TOKENS.scheduler), hourly('emails', 'acme')));
    assert.equal(other.code, status.PERMISSION_DENIED);
    assert.deepEqual(other.metadata.get(FIELD_TRAILER), ['queue']);
    const tenant = await rpcError(upsert(as(TOKENS.scheduler), hourly(queue, 'globex')));
    assert.equal(tenant.code, status.PERMISSION_DENIED);
    assert.deepEqual(tenant.metadata.get(FIELD_TRAILER), ['template.tenant_id']);
    const list = await rpcError(unary((cb) => as(TOKENS.scheduler).listSchedules({ queue }, cb)));
    assert.equal(list.code, status.PERMISSION_DENIED);
    assert.match(list.details, /ListSchedules on queue .* spans every tenant/);
  });

  it('denies taking over or deleting another tenant’s schedule', async () => {
    const queue = uniqueName('billing');
    await upsert(as(TOKENS.scheduler), hourly(queue, 'acme'));
    const takeover = await rpcError(upsert(as(TOKENS.schedulerGlobex), hourly(queue, 'globex')));
    assert.equal(takeover.code, status.PERMISSION_DENIED);
    assert.deepEqual(takeover.metadata.get(FIELD_TRAILER), ['schedule_id']);
    const removal = await rpcError(
      unary((cb) => as(TOKENS.schedulerGlobex).deleteSchedule({ queue, scheduleId: 'hourly' }, cb)),
    );
    assert.equal(removal.code, status.PERMISSION_DENIED);
    const kept = await unary<GetScheduleResponse__Output>((cb) =>
      as(TOKENS.admin).getSchedule({ queue, scheduleId: 'hourly' }, cb),
    );
    assert.equal(kept.schedule?.template?.tenantId, 'acme');
  });
});

describe('start-up', () => {
  it('stops on a bad tokens file, naming AUTH_TOKENS_FILE and the problem', async () => {
    const cases: Array<[string, RegExp]> = [
      ['not json', /AUTH_TOKENS_FILE \(.*\): not valid JSON/],
      ['[]', /must list at least one token/],
      ['[{"name":"a"}]', /at 0\.sha256: is required/],
      [
        JSON.stringify([
          { name: 'a', sha256: 'abc', scopes: ['enqueue'], queues: ['*'], tenants: ['*'] },
        ]),
        /at 0\.sha256: must be the 64 hex digits of sha256\(token\)/,
      ],
      [
        JSON.stringify([
          { name: 'a', sha256: 'a'.repeat(64), scopes: ['write'], queues: ['*'], tenants: ['*'] },
        ]),
        /at 0\.scopes\.0: each scope must be one of enqueue, lease, read, admin, schedule/,
      ],
      [
        JSON.stringify([
          { name: 'a', sha256: 'a'.repeat(64), scopes: ['lease'], queues: ['a*b'], tenants: ['*'] },
        ]),
        /at 0\.queues\.0: each queue must be \*, a name, or a prefix ending in \*/,
      ],
    ];
    for (const [text, expected] of cases) {
      const file = join(dir, 'bad.json');
      writeFileSync(file, text);
      await assert.rejects(startLogged(redis.url, { AUTH_TOKENS_FILE: file }), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.match(err.message, expected);
        return true;
      });
    }
    await assert.rejects(
      startLogged(redis.url, { AUTH_TOKENS_FILE: join(dir, 'missing.json') }),
      /AUTH_TOKENS_FILE \(.*missing\.json\): cannot read it \(ENOENT\)/,
    );
  });

  it('warns at start when AUTH_TOKENS_FILE is unset', async () => {
    const open = await startLogged(redis.url, { LOG_LEVEL: 'warn' });
    await open.stop();
    const warning = open.lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    assert.ok(
      warning.some((l) => l.level === 40 && l.msg.startsWith('AUTH_TOKENS_FILE is not set')),
      open.lines.join('\n'),
    );
  });
});
