/**
 * A Scheduler on a real Redis with a pinned clock, plus probes that read the raw keys of a queue
 * so tests can assert every structure an operation touched.
 */
import type { Redis } from 'ioredis';
import {
  Scheduler,
  DEFAULT_SCHEDULER_OPTIONS,
  type SchedulerOptions,
} from '../../src/scheduler/scheduler';
import { RedisJobStore, type RedisStoreOptions } from '../../src/scheduler/redis/store';
import { StaticTierResolver } from '../../src/scheduler/tiers/static';
import { jobFromRecord, recordHead } from '../../src/scheduler/redis/codec';
import { queuePrefix } from '../../src/scheduler/redis/keys';
import { createRedis, waitForReady } from '../../src/server/redis';
import { startRedis, type TestRedis } from '../helpers/redis';

export const T0 = Date.UTC(2026, 0, 1);

export interface Harness {
  redis: Redis;
  server: TestRedis;
  scheduler: Scheduler;
  store: RedisJobStore;
  clock: { now: number };
  close(): Promise<void>;
}

export interface HarnessOptions {
  tiers?: Record<string, string>;
  store?: Partial<RedisStoreOptions>;
  scheduler?: Partial<SchedulerOptions>;
  own?: boolean;
  /** Extra redis-server arguments of an own server. */
  redisArgs?: string[];
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const server = await startRedis({ own: options.own, args: options.redisArgs });
  // The server's own connection settings (no auto-pipelining, no offline queue, one retry).
  const redis = createRedis({
    url: server.url,
    clusterNodes: undefined,
    commandTimeoutMs: 5000,
    password: undefined,
    tlsCaFile: undefined,
  }) as Redis;
  redis.on('error', () => undefined); // outage tests provoke errors on purpose
  if (!(await waitForReady(redis, 10_000))) throw new Error(`Redis at ${server.url} not ready`);
  const clock = { now: T0 };
  const store = new RedisJobStore(redis, {
    weights: new Map([
      ['premium', 1000],
      ['free', 100],
    ]),
    backoff: { baseMs: 1000, capMs: 60_000 },
    pinnedNow: () => clock.now,
    ...options.store,
  });
  const tiers = new StaticTierResolver(new Map(Object.entries(options.tiers ?? {})), 'free');
  const scheduler = new Scheduler(store, tiers, {
    ...DEFAULT_SCHEDULER_OPTIONS,
    ...options.scheduler,
  });
  return {
    redis,
    server,
    scheduler,
    store,
    clock,
    close: async () => {
      redis.disconnect();
      await server.stop();
    },
  };
}

/** Script calls Redis has run (EVALSHA and EVAL), from its own statistics. */
export async function scriptCalls(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)) calls += Number(m[1]);
  return calls;
}

/** Every key of a queue with its type and content, for "changes nothing" assertions. */
export async function snapshot(redis: Redis, queue: string): Promise<Record<string, unknown>> {
  const keys = (await redis.keys(`${queuePrefix(queue).replace(/[{}]/g, '\\$&')}:*`)).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'hash') out[key] = await redis.hgetall(key);
    else if (type === 'zset') out[key] = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'string') out[key] = await redis.get(key);
    else if (type === 'list') out[key] = await redis.lrange(key, 0, -1);
    else out[key] = type;
  }
  return out;
}

/**
 * The invariant: every job id is in exactly one state, and the structure holding it agrees with
 * the state recorded in its record; a ready job sits in the band of its tier, tenant and priority,
 * and each tenant's priority index lists exactly its non-empty bands; a tier with nothing ready has
 * no ready log. Returns the problems found
 * (empty when it holds).
 */
export async function checkInvariant(redis: Redis, queue: string): Promise<string[]> {
  const p = queuePrefix(queue);
  const esc = p.replace(/[{}]/g, '\\$&');
  const where = new Map<string, string[]>();
  const note = (seq: string, place: string): void => {
    where.set(seq, [...(where.get(seq) ?? []), place]);
  };
  const bandOf = new Map<string, string>();
  const problems: string[] = [];
  const bands = new Set(await redis.keys(`${esc}:q:*`));
  for (const key of bands) {
    for (const seq of await redis.lrange(key, 0, -1)) {
      note(seq, 'P');
      bandOf.set(seq, key);
    }
  }
  for (const key of await redis.keys(`${esc}:pri:*`)) {
    const listed = new Set(await redis.zrange(key, 0, -1));
    const prefix = key.replace(':pri:', ':q:');
    for (const band of bands)
      if (band.startsWith(`${prefix}:`) && !listed.has(band.slice(prefix.length + 1)))
        problems.push(`${band}: not in ${key}`);
    for (const priority of listed)
      if (!bands.has(`${prefix}:${priority}`))
        problems.push(`${key}: lists an empty band ${priority}`);
  }
  for (const [name, state] of [
    ['delayed', 'S'],
    ['leased', 'L'],
    ['dead', 'X'],
  ] as const) {
    for (const seq of await redis.zrange(`${p}:${name}`, 0, -1)) note(seq, state);
  }
  const readyLog = new Set<string>();
  const logTiers: string[] = [];
  for (const key of await redis.keys(`${esc}:rlog:*`)) {
    const tier = key.slice(key.lastIndexOf(':') + 1);
    logTiers.push(tier);
    for (const entry of await redis.lrange(key, 0, -1)) readyLog.add(`${tier}/${entry}`);
  }
  const pending = new Map<string, number>();
  const leasedOf = new Map<string, number>();
  for (const key of await redis.keys(`${esc}:j:*`)) {
    const seq = key.slice(key.lastIndexOf(':') + 1);
    const record = (await redis.getBuffer(key))!;
    const { state, time: since } = recordHead(record);
    const { tier, tenantId, priority } = jobFromRecord(queue, seq, record);
    const places = where.get(seq) ?? [];
    const expected = state === 'D' || state === 'C' ? [] : [state];
    if (places.join() !== expected.join())
      problems.push(`job ${seq}: state ${state}, found in [${places.join()}]`);
    if (state === 'L') leasedOf.set(tenantId, (leasedOf.get(tenantId) ?? 0) + 1);
    if (state === 'P') {
      pending.set(tier, (pending.get(tier) ?? 0) + 1);
      if (bandOf.get(seq) !== `${p}:q:${tier}:${tenantId}:${priority}`)
        problems.push(`job ${seq}: ready in ${bandOf.get(seq)}`);
      if (!readyLog.has(`${tier}/${seq}:${since}`))
        problems.push(`job ${seq}: not in its tier's ready log as ready since ${since}`);
    }
    where.delete(seq);
  }
  for (const [seq, places] of where)
    problems.push(`job ${seq}: in [${places.join()}] but has no record`);
  for (const tier of logTiers)
    if (!pending.has(tier)) problems.push(`tier ${tier}: a ready log but no ready job`);
  const counts = await redis.hgetall(`${p}:count`);
  for (const [field, value] of Object.entries(counts)) {
    const [name, tier] = field.split(':');
    if (name === 'pending' && Number(value) !== (pending.get(tier!) ?? 0))
      problems.push(
        `tier ${tier}: pending counter ${value}, ${pending.get(tier!) ?? 0} jobs pending`,
      );
  }
  // Each tenant's leased count (kept while a tenant cap is in force) matches its leased jobs.
  const tenantLeased = await redis.hgetall(`${p}:tleased`);
  if (Object.keys(tenantLeased).length > 0) {
    for (const tenant of new Set([...Object.keys(tenantLeased), ...leasedOf.keys()])) {
      const counted = Number(tenantLeased[tenant] ?? 0);
      if (counted !== (leasedOf.get(tenant) ?? 0))
        problems.push(
          `tenant ${tenant}: leased count ${counted}, ${leasedOf.get(tenant) ?? 0} leased`,
        );
    }
  }
  return problems;
}
