import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { WAKE_CHANNEL } from '../../src/scheduler/redis/keys';
import { RedisWakeSignal } from '../../src/scheduler/redis/wake';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';

const log = { warn: () => undefined, debug: () => undefined };

function nextWake(wake: RedisWakeSignal, queue: string, timeoutMs = 2000): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no wake for ${queue}`)), timeoutMs);
    const off = wake.subscribe((q) => {
      if (q !== queue) return;
      clearTimeout(timer);
      off();
      resolve(Date.now() - started);
    });
  });
}

describe('RedisWakeSignal', () => {
  let server: TestRedis;
  let redis: Redis;
  let publisher: Redis;

  before(async () => {
    // Its own server: the test kills pub/sub connections, which must not hit anyone else's.
    server = await startRedis({ own: true });
    redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    publisher = new Redis(server.url);
  });

  after(async () => {
    redis.disconnect();
    publisher.disconnect();
    await server.stop();
  });

  it('hands every listener the queue names published on the wake channel', async () => {
    const wake = new RedisWakeSignal(redis, log);
    await wake.start();
    const queue = uniqueName();
    const heard = nextWake(wake, queue);
    await publisher.publish(WAKE_CHANNEL, queue);
    assert.ok((await heard) < 500);
    await wake.stop();
  });

  it('subscribes again after its connection is killed, and says so', async () => {
    let resubscribed = 0;
    const wake = new RedisWakeSignal(redis, log, { onResubscribe: () => (resubscribed += 1) });
    await wake.start();
    await publisher.client('KILL', 'TYPE', 'pubsub');
    const deadline = Date.now() + 5000;
    while (resubscribed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(resubscribed, 1);
    const queue = uniqueName();
    // The SUBSCRIBE is sent right after the reconnect: publish until it is heard.
    const heard = nextWake(wake, queue, 3000);
    const ticker = setInterval(() => void publisher.publish(WAKE_CHANNEL, queue), 20);
    await heard.finally(() => clearInterval(ticker));
    await wake.stop();
  });
});
