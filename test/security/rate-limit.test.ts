/**
 * Per-tenant enqueue rate limits: the GCRA script on a pinned clock, then through real servers
 * (two replicas sharing one budget): RESOURCE_EXHAUSTED with RetryInfo and a retry-after-ms
 * trailer past the burst, admitted again once the budget refills.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { Redis } from 'ioredis';
import type { EnqueueBatchResponse__Output } from '../../src/generated/scheduler/v1/EnqueueBatchResponse';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import { rateLimitKey } from '../../src/scheduler/redis/keys';
import { RedisRateLimiter } from '../../src/scheduler/redis/rate-limiter';
import { decodeRetryDelayMs } from '../../src/server/error-details';
import { RETRY_AFTER_TRAILER } from '../../src/server/status';
import { uniqueName, useRedis } from '../helpers/redis';
import {
  rpcError,
  sleep,
  startTestServer,
  unary,
  type Client,
  type TestServer,
} from '../helpers/server';

const T0 = Date.UTC(2026, 0, 1);
const redis = useRedis();

describe('GCRA script (pinned clock)', () => {
  let conn: Redis;
  const clock = { now: T0 };
  let limiter: RedisRateLimiter;
  before(() => {
    conn = new Redis(redis.url);
    // 10/s: one token every 100 ms, up to 3 at once.
    limiter = new RedisRateLimiter(conn, { perSecond: 10, burst: 3, pinnedNow: () => clock.now });
  });
  after(() => conn.disconnect());

  it('admits the burst at once, then one token per interval', async () => {
    const tenant = uniqueName('t');
    clock.now = T0;
    for (let i = 0; i < 3; i++)
      assert.deepEqual(await limiter.take(tenant, 1), { granted: 1, retryAfterMs: 0 });
    assert.deepEqual(await limiter.take(tenant, 1), { granted: 0, retryAfterMs: 100 });
    clock.now = T0 + 40;
    assert.deepEqual(await limiter.take(tenant, 1), { granted: 0, retryAfterMs: 60 });
    clock.now = T0 + 100;
    assert.deepEqual(await limiter.take(tenant, 1), { granted: 1, retryAfterMs: 0 });
    assert.deepEqual(await limiter.take(tenant, 1), { granted: 0, retryAfterMs: 100 });
  });

  it('grants part of a larger request and says when the next token is due', async () => {
    const tenant = uniqueName('t');
    clock.now = T0;
    assert.deepEqual(await limiter.take(tenant, 5), { granted: 3, retryAfterMs: 100 });
    clock.now = T0 + 250; // two tokens back, the third half-way
    assert.deepEqual(await limiter.take(tenant, 5), { granted: 2, retryAfterMs: 50 });
  });

  it('keeps one key per tenant that expires once the bucket is full again', async () => {
    const tenant = uniqueName('t');
    clock.now = T0;
    await limiter.take(tenant, 2);
    const ttl = await conn.pttl(rateLimitKey(tenant));
    assert.ok(ttl > 0 && ttl <= 200, `ttl ${ttl}`);
    assert.deepEqual(await limiter.take(uniqueName('other'), 3), { granted: 3, retryAfterMs: 0 });
  });
});

describe('TENANT_RATE_LIMIT through the server', () => {
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    // 60/m with a burst of 3: the fourth enqueue within a second waits up to 1 s. (A slower
    // rate would make the test slower; a faster one, flaky on a loaded machine.)
    const env = { TENANT_RATE_LIMIT: '60/m', TENANT_RATE_BURST: '3' };
    [a, b] = await Promise.all([startTestServer(redis.url, env), startTestServer(redis.url, env)]);
  });
  after(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  const enqueue = (client: Client, tenantId: string): Promise<EnqueueResponse__Output> =>
    unary((cb) => client.enqueue({ queue: uniqueName(), tenantId, payload: Buffer.from('p') }, cb));

  function retryAfter(err: ServiceError): number {
    assert.equal(err.code, status.RESOURCE_EXHAUSTED, err.details);
    const [trailer] = err.metadata.get(RETRY_AFTER_TRAILER);
    const ms = Number(trailer);
    assert.ok(ms > 0 && ms <= 1000, `retry-after-ms ${String(trailer)}`);
    const [details] = err.metadata.get('grpc-status-details-bin');
    assert.ok(Buffer.isBuffer(details), 'google.rpc.Status details are attached');
    assert.equal(decodeRetryDelayMs(details), ms, 'RetryInfo says the same as the trailer');
    return ms;
  }

  it('rejects past the burst with RESOURCE_EXHAUSTED and retry info, across replicas', async () => {
    const tenant = uniqueName('t');
    await enqueue(a.client, tenant);
    await enqueue(b.client, tenant);
    await enqueue(a.client, tenant);
    const err = await rpcError(enqueue(b.client, tenant));
    const ms = retryAfter(err);
    assert.match(
      err.details,
      new RegExp(`^tenant ${tenant} is over its enqueue rate limit; retry after ${ms} ms$`),
    );
    // Another tenant has its own budget.
    assert.equal((await enqueue(b.client, uniqueName('t'))).duplicate, false);
    await sleep(ms + 5);
    assert.equal(
      (await enqueue(a.client, tenant)).duplicate,
      false,
      'admitted again after the wait',
    );
  });

  it('admits a batch up to the budget and fails the rest item by item', async () => {
    const tenant = uniqueName('t');
    const queue = uniqueName();
    const requests = Array.from({ length: 5 }, () => ({
      queue,
      tenantId: tenant,
      payload: Buffer.from('p'),
    }));
    const res = await unary<EnqueueBatchResponse__Output>((cb) =>
      a.client.enqueueBatch({ requests }, cb),
    );
    assert.deepEqual(
      res.results.map((r) => (r.job ? 'job' : r.error?.code)),
      ['job', 'job', 'job', status.RESOURCE_EXHAUSTED, status.RESOURCE_EXHAUSTED],
    );
    assert.match(
      res.results[3]?.error?.message ?? '',
      /over its enqueue rate limit; retry after \d+ ms/,
    );
  });
});
