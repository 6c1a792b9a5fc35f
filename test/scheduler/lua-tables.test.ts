/**
 * What the Lua includes and the TypeScript modules both spell, read back from Redis itself: the
 * record layout (record.lua vs codec.ts), the fixed keys and the key builders (keys.lua vs
 * keys.ts), the wake and events channels. Plus the guard keys.lua puts on the key prefix.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RECORD, TEXT_FIELDS } from '../../src/scheduler/redis/codec';
import {
  QUEUE_KEY_NAMES,
  WAKE_CHANNEL,
  eventsChannel,
  idempotencyKey,
  jobKey,
  jobOutputKey,
  queueKey,
  queueKeys,
  queuePrefix,
  readyLogKey,
  scheduleKey,
  watchedKey,
} from '../../src/scheduler/redis/keys';
import { assembleScript, includeReader } from '../../src/scheduler/redis/script-loader';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';

/** Lua names are snake_case, TypeScript's camelCase. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

describe('tables spelled in Lua and in TypeScript', () => {
  let server: TestRedis;
  let redis: Redis;
  const queue = uniqueName();

  before(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });

  /** Runs `body` after the includes, on `queue`'s keys, and decodes its JSON reply. */
  async function probe<T>(includes: string[], body: string, keys = queueKeys(queue)): Promise<T> {
    const text = [...includes.map((name) => `--- @include "${name}"`), body].join('\n');
    const script = assembleScript('probe', text, includeReader());
    const reply = await redis.eval(script, keys.length, ...keys, queuePrefix(queue), '', 'free=1');
    return JSON.parse(String(reply)) as T;
  }

  it('lays the job record out the same in record.lua and codec.ts', async () => {
    const lua = await probe<{ record: unknown; text: unknown }>(
      ['record'],
      'return cjson.encode({ record = RECORD, text = TEXT })',
    );
    const entries = (table: object): Array<[string, unknown]> =>
      Object.entries(table).map(([name, value]) => [snake(name), value]);
    assert.deepEqual(lua.record, Object.fromEntries(entries(RECORD)));
    assert.deepEqual(
      lua.text,
      Object.fromEntries(TEXT_FIELDS.map((name, i) => [snake(name), i + 1])),
    );
  });

  it('takes the fixed keys in the order keys.ts passes them', async () => {
    // probe() passes queueKeys(queue): each name must land on its own key.
    const lua = await probe<Record<string, string>>(['keys'], 'return cjson.encode(K)');
    assert.deepEqual(
      lua,
      Object.fromEntries(QUEUE_KEY_NAMES.map((name) => [name, queueKey(queue, name)])),
    );
  });

  it('builds per-job keys as keys.ts does, and wakes on its channel', async () => {
    const lua = await probe<Record<string, string>>(
      ['keys', 'wake'],
      "return cjson.encode({ job = k_job('7'), rlog = k_ready_log('free'), " +
        "idem = k_idem('t:1', 'a:b'), sched = k_schedule('s1'), channel = WAKE_CHANNEL })",
    );
    assert.deepEqual(lua, {
      job: jobKey(queue, '7'),
      rlog: readyLogKey(queue, 'free'),
      idem: idempotencyKey(queue, 't:1', 'a:b'),
      sched: scheduleKey(queue, 's1'),
      channel: WAKE_CHANNEL,
    });
  });

  it('builds the output key and publishes notices where keys.ts says', async () => {
    const lua = await probe<Record<string, string>>(
      ['keys', 'lifecycle'],
      "return cjson.encode({ out = k_out('7'), watched = K.watched, channel = EVENTS_CHANNEL })",
    );
    assert.deepEqual(lua, {
      out: jobOutputKey(queue, '7'),
      watched: watchedKey(queue),
      channel: eventsChannel(queue),
    });
  });

  it('refuses a key prefix that is not the prefix of the meta key', async () => {
    await assert.rejects(
      probe(['keys'], 'return 1', queueKeys(uniqueName())),
      /is not the hash-tagged prefix of/,
    );
    await assert.rejects(
      probe(['keys'], 'return 1', [`${queuePrefix(queue)}x:meta`]),
      /is not the hash-tagged prefix of/,
    );
  });
});
