/**
 * A network blip between the scheduler and Redis: the connection drops after Redis ran a script
 * and before its reply arrived. The script's outcome is unknown to the server, so the RPC must
 * say so (UNAVAILABLE or a deadline), and the script must not run a second time: a resent enqueue
 * makes a second job, a resent ack answers FAILED_PRECONDITION for an ack that took effect.
 * (ioredis resends in-flight commands after a reconnect unless `autoResendUnfulfilledCommands`
 * is off: found by the AOF restart scenario in redis.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { jobKey, metaKey } from '../../src/scheduler/redis/keys';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { TestWorker, startTestServer, unary, type TestServer } from '../helpers/server';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy';
import { outcomeOf, sleep } from './rpc';

let redis: TestRedis;
let proxy: FlakyProxy;
let server: TestServer;
let direct: Redis;

before(async () => {
  redis = await startRedis();
  proxy = await startFlakyProxy(redis.port);
  // A short command timeout: a command lost in the blip fails in 1 s rather than 5.
  server = await startTestServer(proxy.url, { REDIS_COMMAND_TIMEOUT_MS: '1000' });
  direct = new Redis(redis.url);
});

after(async () => {
  direct.disconnect();
  await server.stop();
  await proxy.close();
  await redis.stop();
});

/** Runs `rpc` with Redis's replies held back, drops the connection once Redis has run it. */
async function acrossABlip(rpc: () => Promise<unknown>): Promise<string> {
  proxy.hold(true);
  const outcome = rpc().then(
    () => 'OK',
    (err: unknown) => outcomeOf(err),
  );
  await sleep(300); // Redis has run the script; its reply sits in the proxy
  proxy.dropAll();
  proxy.hold(false);
  return outcome;
}

describe('a connection drop between a script and its reply', () => {
  it('does not run an enqueue twice', async () => {
    const queue = uniqueName('blip');
    const outcome = await acrossABlip(() =>
      unary<EnqueueResponse__Output>((cb) => server.client.enqueue({ queue, tenantId: 't' }, cb)),
    );
    await sleep(500);
    const jobs = Number(await direct.hget(metaKey(queue), 'seq'));
    assert.equal(jobs, 1, `one Enqueue call made ${jobs} jobs (the call said ${outcome})`);
    assert.notEqual(outcome, 'OK', 'the server cannot know the outcome: it must not say OK');
  });

  it('does not answer FAILED_PRECONDITION for an ack that took effect', async () => {
    const queue = uniqueName('blip');
    const { jobId } = await unary<EnqueueResponse__Output>((cb) =>
      server.client.enqueue({ queue, tenantId: 't' }, cb),
    );
    const worker = new TestWorker(server.client, { queue, credits: 1 });
    const [leased] = await worker.waitForJobs(1);
    const outcome = await acrossABlip(() =>
      unary((cb) => server.client.ack({ leaseId: leased!.leaseId }, cb)),
    );
    worker.end();
    const state = await direct.getrange(jobKey(queue, jobId.split('/')[1]!), 0, 0);
    assert.equal(state, 'D', 'the ack took effect in Redis');
    assert.notEqual(outcome, 'FAILED_PRECONDITION', 'an ack that worked is not a stale lease');
  });
});
