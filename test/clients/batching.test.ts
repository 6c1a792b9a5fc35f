/**
 * Producer batching of `enqueue()`: against a real server, each caller gets its own result or
 * error; against a stub whose answers the test scripts, which calls go out and which are retried.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  isSchedulerClientError,
  SchedulerClient,
  Status,
  type SchedulerClientOptions,
} from '../../src/clients';
import type { EnqueueBatchRequest__Output } from '../../src/generated/scheduler/v1/EnqueueBatchRequest';
import { loadSchedulerPackage, schedulerService } from '../../src/server/proto';
import { uniqueName } from '../helpers/redis';
import { useEnv } from './helpers';

const env = useEnv({ STATIC_TIERS: 'acme=premium' });

describe('enqueue() batching against a real server', () => {
  it('gives each of one turn’s calls its own job, in call order, and its own error', async () => {
    const queue = uniqueName();
    const calls = Array.from({ length: 10 }, (_, i) =>
      env.client.enqueue({ queue, tenantId: i === 3 ? 'bad tenant!' : 'acme', payload: `${i}` }),
    );
    const settled = await Promise.allSettled(calls);
    const bad = settled[3];
    assert.ok(bad?.status === 'rejected');
    assert.ok(isSchedulerClientError(bad.reason));
    assert.equal(bad.reason.code, Status.INVALID_ARGUMENT);
    assert.equal(bad.reason.field, 'tenant_id', 'named as in a unary call');
    assert.match(bad.reason.details, /^tenant_id: /);
    const ids = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.jobId] : []));
    assert.equal(ids.length, 9);
    assert.equal(new Set(ids).size, 9);
    for (const [i, s] of settled.entries()) {
      if (s.status !== 'fulfilled') continue;
      const job = await env.client.getJob(s.value.jobId);
      assert.equal(job.payload.toString(), `${i}`, 'each caller got its own job');
      assert.equal(s.value.tier, 'premium');
    }
  });

  it('still returns the first job for an idempotency key repeated within one batch', async () => {
    const queue = uniqueName();
    const job = { queue, tenantId: 'acme', idempotencyKey: 'order-7' };
    const [first, again] = await Promise.all([env.client.enqueue(job), env.client.enqueue(job)]);
    assert.equal(first.duplicate, false);
    assert.deepEqual(again, { ...first, duplicate: true });
  });
});

/** What the stub saw: each call's method and job count; UNAVAILABLE answers to give first. */
const seen: Array<{ method: string; jobs: number }> = [];
let failures = 0;
let server: grpc.Server;
let address = '';

function unavailable(): grpc.ServiceError {
  return Object.assign(new Error('Redis is unavailable'), {
    code: Status.UNAVAILABLE,
    details: 'Redis is unavailable',
    metadata: new grpc.Metadata(),
  });
}

before(async () => {
  server = new grpc.Server();
  let seq = 0;
  const handlers: grpc.UntypedServiceImplementation = {
    Enqueue: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      seen.push({ method: 'Enqueue', jobs: 1 });
      if (failures-- > 0) return callback(unavailable());
      callback(null, { jobId: `q/${++seq}`, tier: 'free', duplicate: false });
    },
    EnqueueBatch: (
      call: grpc.ServerUnaryCall<EnqueueBatchRequest__Output, object>,
      callback: grpc.sendUnaryData<object>,
    ) => {
      seen.push({ method: 'EnqueueBatch', jobs: call.request.requests.length });
      if (failures-- > 0) return callback(unavailable());
      const results = call.request.requests.map(() => ({
        job: { jobId: `q/${++seq}`, tier: 'free', duplicate: false },
      }));
      callback(null, { results });
    },
  };
  server.addService(schedulerService(loadSchedulerPackage()), handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  address = `127.0.0.1:${port}`;
});

after(() => server.forceShutdown());

beforeEach(() => {
  seen.length = 0;
  failures = 0;
});

function stubClient(batching?: SchedulerClientOptions['batching']) {
  return new SchedulerClient({ address, retry: { initialMs: 5, maxMs: 20 }, batching });
}

const job = (i: number, key?: string) => ({
  queue: 'q',
  tenantId: 't',
  payload: `${i}`,
  idempotencyKey: key,
});

describe('enqueue() batching: what goes out', () => {
  it('sends one turn’s calls as EnqueueBatch calls of at most maxMessages jobs', async () => {
    const client = stubClient();
    try {
      const results = await Promise.all(
        Array.from({ length: 250 }, (_, i) => client.enqueue(job(i))),
      );
      assert.deepEqual(seen, [
        { method: 'EnqueueBatch', jobs: 100 },
        { method: 'EnqueueBatch', jobs: 100 },
        { method: 'EnqueueBatch', jobs: 50 },
      ]);
      assert.equal(new Set(results.map((r) => r.jobId)).size, 250);
    } finally {
      client.close();
    }
  });

  it('sends a lone call as a unary Enqueue, and every call on its own with batching off', async () => {
    const client = stubClient();
    const unbatched = stubClient(false);
    try {
      await client.enqueue(job(0));
      await Promise.all([unbatched.enqueue(job(1)), unbatched.enqueue(job(2))]);
      assert.deepEqual(
        seen.map((s) => s.method),
        ['Enqueue', 'Enqueue', 'Enqueue'],
      );
    } finally {
      client.close();
      unbatched.close();
    }
  });

  it('waits maxDelayMs for calls of later turns, and cuts a batch at maxBytes', async () => {
    const client = stubClient({ maxDelayMs: 50, maxBytes: 2000 });
    try {
      const first = client.enqueue(job(0));
      await new Promise((r) => setTimeout(r, 5)); // a later turn, within the delay
      const second = client.enqueue(job(1));
      await Promise.all([first, second]);
      assert.deepEqual(seen, [{ method: 'EnqueueBatch', jobs: 2 }]);
      seen.length = 0;
      const big = { ...job(2), payload: 'x'.repeat(900) };
      await Promise.all([client.enqueue(big), client.enqueue(big), client.enqueue(big)]);
      assert.deepEqual(seen, [
        { method: 'EnqueueBatch', jobs: 2 },
        { method: 'Enqueue', jobs: 1 },
      ]);
    } finally {
      client.close();
    }
  });

  it('retries a batch of keyed jobs on UNAVAILABLE, and fails a keyless one for each caller', async () => {
    const client = stubClient();
    try {
      failures = 1;
      await Promise.all([client.enqueue(job(0, 'a')), client.enqueue(job(1, 'b'))]);
      assert.deepEqual(seen, [
        { method: 'EnqueueBatch', jobs: 2 },
        { method: 'EnqueueBatch', jobs: 2 },
      ]);
      seen.length = 0;
      failures = 1;
      const keyless = await Promise.allSettled([client.enqueue(job(2)), client.enqueue(job(3))]);
      assert.deepEqual(seen, [{ method: 'EnqueueBatch', jobs: 2 }]);
      for (const s of keyless) {
        assert.ok(s.status === 'rejected' && isSchedulerClientError(s.reason));
        assert.equal(s.reason.code, Status.UNAVAILABLE);
      }
    } finally {
      client.close();
    }
  });

  it('batches keyed and keyless jobs apart, so a keyless one never costs a keyed one its retry', async () => {
    const client = stubClient();
    try {
      await Promise.all([
        client.enqueue(job(0, 'a')),
        client.enqueue(job(1)),
        client.enqueue(job(2, 'b')),
      ]);
      assert.deepEqual(seen.map((s) => s.jobs).sort(), [1, 2]);
    } finally {
      client.close();
    }
  });

  it('refuses batching limits that cannot work', () => {
    assert.throws(() => stubClient({ maxMessages: 0 }), /batching.maxMessages/);
    assert.throws(() => stubClient({ maxBytes: -1 }), /batching.maxBytes/);
    assert.throws(() => stubClient({ maxDelayMs: -5 }), /batching.maxDelayMs/);
  });
});
