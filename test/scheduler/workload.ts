/** Seeded random workloads for the policy tests: a failure prints its seed and replays. */
import type { NewJob } from '../../src/scheduler/store';
import type { Harness } from './harness';

/** mulberry32: a tiny seeded PRNG (also drives the fuzz test's generators). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickInt(rnd: () => number, min: number, max: number): number {
  return min + Math.floor(rnd() * (max - min + 1));
}

export function job(tenantId: string, tier: string, priority = 0): NewJob {
  return { queue: '', tenantId, tier, priority, maxAttempts: 5, payload: Buffer.alloc(0) };
}

/** Enqueues `count` jobs of a tier spread over `tenants` tenants, in chunks. */
export async function fill(
  h: Harness,
  queue: string,
  tier: string,
  tenants: number,
  count: number,
  rnd: () => number,
): Promise<void> {
  const chunk: NewJob[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(job(`${tier}-t${pickInt(rnd, 1, tenants)}`, tier, pickInt(rnd, 0, 9)));
    if (chunk.length === 2000 || i === count - 1) await h.store.enqueue(queue, chunk.splice(0));
  }
}

/** Leases `total` jobs in random batch sizes; returns the tier (and tenant) of each, in order. */
export async function drain(
  h: Harness,
  queue: string,
  total: number,
  rnd: () => number,
): Promise<Array<{ tier: string; tenant: string }>> {
  const order: Array<{ tier: string; tenant: string }> = [];
  while (order.length < total) {
    const want = Math.min(total - order.length, pickInt(rnd, 1, 40));
    const { jobs } = await h.store.lease(queue, want, 600_000);
    if (jobs.length === 0) break;
    order.push(...jobs.map(({ job }) => ({ tier: job.tier, tenant: job.tenantId })));
  }
  return order;
}
