/**
 * Every Redis key name, in one place. All keys of a queue share the hash tag `{<queue>}` so a
 * queue lives in one Redis Cluster slot and every script on it is atomic. The Lua scripts build
 * the per-job and per-tenant keys from the same prefix (lua/lib.lua mirrors these builders).
 */

import type { ListableState } from '../store';

/** Pub/sub channel on which scripts announce that a queue went from empty to non-empty. */
export const WAKE_CHANNEL = 'sched:wake';

export function queuePrefix(queue: string): string {
  return `sched:{${queue}}`;
}

/** The first key of every script on a queue: it routes the call to the queue's slot. */
export function metaKey(queue: string): string {
  return `${queuePrefix(queue)}:meta`;
}

export function idempotencyKey(queue: string, key: string): string {
  return `${queuePrefix(queue)}:idem:${key}`;
}

/**
 * Registry of queues seen, for ListQueues and the metrics collector. Not per queue, so in its own
 * Cluster slot: written by the server beside a queue's first enqueue or pause (once per process
 * and queue), never from a queue's script (docs/architecture.md).
 */
export const QUEUES_KEY = 'sched:queues';

/** Tenants' own concurrency caps in a queue, from the tier source (lua/lib.lua tenant_cap). */
export function tenantCapsKey(queue: string): string {
  return `${queuePrefix(queue)}:tcap`;
}

/** Tenants' leased jobs in a queue, for their caps (lua/lib.lua). */
export function tenantLeasedKey(queue: string): string {
  return `${queuePrefix(queue)}:tleased`;
}

/** The tenants of a queue paused one by one (lua/pause.lua). */
export function pausedTenantsKey(queue: string): string {
  return `${queuePrefix(queue)}:ptn`;
}

export function jobKey(queue: string, seq: string): string {
  return `${queuePrefix(queue)}:j:${seq}`;
}

/** The sorted set holding a queue's scheduled, leased or dead jobs (see lua/lib.lua). */
export function stateKey(queue: string, state: Exclude<ListableState, 'pending'>): string {
  const name = { scheduled: 'delayed', leased: 'leased', dead: 'dead' };
  return `${queuePrefix(queue)}:${name[state]}`;
}

/** A tier's ready log: `<seq>:<ready since>` in the order jobs became ready (lua/lib.lua). */
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
