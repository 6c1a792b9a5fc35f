/**
 * Every Redis key name, in one place. All keys of a queue share the hash tag `{<queue>}` so a
 * queue lives in one Redis Cluster slot and every script on it is atomic. The scripts get a
 * queue's fixed keys in KEYS (queueKeys) and its prefix in ARGV[1]; they build the keys that
 * depend on a job, tier or tenant from that prefix (lua/includes/keys.lua, which documents every
 * key; test/scheduler/lua-tables.test.ts checks the two sides agree).
 */

import type { ListableState } from '../store';

/** Pub/sub channel on which scripts announce that a queue went from empty to non-empty. */
export const WAKE_CHANNEL = 'sched:wake';

export function queuePrefix(queue: string): string {
  return `sched:{${queue}}`;
}

/**
 * A queue's fixed keys, in the order every script on a queue takes them as KEYS. The first, the
 * meta key, routes a call to the queue's slot. A new fixed key goes at the end, here and in
 * lua/includes/keys.lua.
 */
export const QUEUE_KEY_NAMES = [
  'meta',
  'tiers',
  'tidle',
  'delayed',
  'leased',
  'dead',
  'count',
  'rates',
  'schedules',
  'schedules_due',
  'watched',
  'paused_tenants',
  'tenant_caps',
  'tenant_leased',
] as const;
export type QueueKeyName = (typeof QUEUE_KEY_NAMES)[number];

/** Fixed keys whose suffix is not their name (a name is a Lua identifier: K.<name>). */
const SUFFIXES: Partial<Record<QueueKeyName, string>> = {
  schedules_due: 'schedules:due',
  paused_tenants: 'ptn',
  tenant_caps: 'tcap',
  tenant_leased: 'tleased',
};

export function queueKey(queue: string, name: QueueKeyName): string {
  return `${queuePrefix(queue)}:${SUFFIXES[name] ?? name}`;
}

/** KEYS of every script on a queue. */
export function queueKeys(queue: string): string[] {
  return QUEUE_KEY_NAMES.map((name) => queueKey(queue, name));
}

/** The first key of every script on a queue: it routes the call to the queue's slot. */
export function metaKey(queue: string): string {
  return queueKey(queue, 'meta');
}

/** Unique per (queue, tenant); the tenant's length first, as tenant names may contain ':'. */
export function idempotencyKey(queue: string, tenant: string, key: string): string {
  return `${queuePrefix(queue)}:idem:${tenant.length}:${tenant}:${key}`;
}

/**
 * The upkeep index (upkeep-index.ts): queues by the time their next due work falls due, and the
 * queues marked since their entry was claimed. Both share one hash tag, so their scripts are
 * atomic on Redis Cluster; `/` cannot occur in a queue name, so no queue shares the slot by name.
 */
export const UPKEEP_DUE_KEY = 'sched:{/upkeep}:due';
export const UPKEEP_MARKS_KEY = 'sched:{/upkeep}:marks';

/**
 * Registry of queues seen, for ListQueues and the metrics collector. Not per queue, so in its own
 * Cluster slot: written by the server beside a queue's first enqueue or pause (once per process
 * and queue), never from a queue's script (docs/architecture.md).
 */
export const QUEUES_KEY = 'sched:queues';

/** Tenants' own concurrency caps in a queue, from the tier source (lua/includes/tenant_caps.lua). */
export function tenantCapsKey(queue: string): string {
  return queueKey(queue, 'tenant_caps');
}

/** Tenants' leased jobs in a queue, for their caps (lua/includes/tenant_caps.lua). */
export function tenantLeasedKey(queue: string): string {
  return queueKey(queue, 'tenant_leased');
}

/** The tenants of a queue paused one by one (lua/pause.lua). */
export function pausedTenantsKey(queue: string): string {
  return queueKey(queue, 'paused_tenants');
}

export function jobKey(queue: string, seq: string): string {
  return `${queuePrefix(queue)}:j:${seq}`;
}

/** A job's output hash: `r` its result, `p` its progress (lua/includes/lifecycle.lua). */
export function jobOutputKey(queue: string, seq: string): string {
  return `${queuePrefix(queue)}:out:${seq}`;
}

/** Exists while some replica has WatchJob callers on the queue (lua/includes/lifecycle.lua). */
export function watchedKey(queue: string): string {
  return queueKey(queue, 'watched');
}

/** Where scripts announce changed jobs and cancelled leases of a queue (lua/includes/lifecycle.lua). */
export function eventsChannel(queue: string): string {
  return `${queuePrefix(queue)}:events`;
}

/** The queue of an events channel, or undefined for another channel. */
export function queueOfEventsChannel(channel: string): string | undefined {
  const match = /^sched:\{(.+)\}:events$/.exec(channel);
  return match?.[1];
}

/** The sorted set holding a queue's scheduled, leased or dead jobs. */
export function stateKey(queue: string, state: Exclude<ListableState, 'pending'>): string {
  const name = { scheduled: 'delayed', leased: 'leased', dead: 'dead' } as const;
  return queueKey(queue, name[state]);
}

/** A tier's ready log: `<seq>:<ready since>` in the order jobs became ready (ready.lua). */
export function readyLogKey(queue: string, tier: string): string {
  return `${queuePrefix(queue)}:rlog:${tier}`;
}

/**
 * A tenant's enqueue rate budget (lua/rate_limit.lua). Tagged by tenant, not queue: the budget
 * spans every queue, and tenants spread over a Redis Cluster.
 */
export function rateLimitKey(tenant: string): string {
  return `sched:rl:{${tenant}}`;
}

/** One schedule (hash: spec, ver, paused, next, last, job; lua/schedule_upsert.lua). */
export function scheduleKey(queue: string, scheduleId: string): string {
  return `${queuePrefix(queue)}:schedule:${scheduleId}`;
}

/** A queue's schedule ids (zset, all scored 0: listed and paged by id). */
export function schedulesKey(queue: string): string {
  return queueKey(queue, 'schedules');
}

/** A queue's active schedules by next run time (zset id -> epoch ms). */
export function schedulesDueKey(queue: string): string {
  return queueKey(queue, 'schedules_due');
}

/**
 * Queues that have schedules -> the earliest next run among them, as a hint that is never later
 * than the truth (schedule-store.ts keeps it so), so one read finds the queues to visit. Not per
 * queue: no tag.
 */
export const SCHEDULE_QUEUES_KEY = 'sched:schedule-queues';
