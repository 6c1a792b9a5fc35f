/**
 * Producing jobs for our scheduler: payloads of the configured size, and bulk fills through
 * EnqueueBatch with a few calls in flight (the same lanes BullMQ's addBulk fill gets).
 */
import type { EnqueueRequest } from '../../src/generated/scheduler/v1/EnqueueRequest';
import { enqueueBatch, type Client } from './grpc';
import { loadLoop } from './timing';

export const BATCH_LANES = 4;

/** A payload of `bytes` bytes; the first 8 carry a send time when `t` is given. */
export function payload(bytes: number, t = 0): Buffer {
  const buf = Buffer.alloc(Math.max(bytes, 8), 'x');
  if (t !== 0) buf.writeDoubleLE(t, 0);
  return buf;
}

export function sentAt(payloadBytes: Buffer): number {
  return payloadBytes.readDoubleLE(0);
}

export interface JobSpec {
  tenantId: string;
  priority: number;
}

/** Enqueues `n` jobs in batches of `batch`; `make(i)` names job i's tenant and priority. */
export async function fill(
  client: Client,
  queue: string,
  n: number,
  batch: number,
  payloadBytes: number,
  make: (i: number) => JobSpec,
): Promise<void> {
  const body = payload(payloadBytes);
  const batches = Math.ceil(n / batch);
  const result = await loadLoop(BATCH_LANES, 30 * 60_000, batches, (b) => {
    const from = b * batch;
    const requests: EnqueueRequest[] = [];
    for (let i = from; i < Math.min(n, from + batch); i++) {
      requests.push({ queue, payload: body, ...make(i) });
    }
    return enqueueBatch(client, requests);
  });
  if (result.jobs !== n) throw new Error(`fill enqueued ${result.jobs} of ${n} jobs`);
}

/** Tenant i of `count` free tenants (free is the default tier: any name not in STATIC_TIERS). */
export function freeTenant(i: number, count: number): string {
  return `t${i % count}`;
}
