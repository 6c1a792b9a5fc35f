/** Turns the job hash (field names in lua/lib.lua) into the domain's Job. */
import { formatJobId } from '../ids';
import type { Job, JobState } from '../job';

export type JobHash = Partial<Record<string, Buffer>>;

const STATES: Record<string, JobState> = {
  P: 'pending',
  S: 'scheduled',
  L: 'leased',
  D: 'succeeded',
  X: 'dead',
  C: 'cancelled',
};

/** Field order of the job in lease.lua's reply, after its payload. */
export const LEASED_FIELDS = ['t', 'r', 'p', 'h', 'a', 'm', 'e', 'x', 'k'] as const;

function text(hash: JobHash, field: string): string {
  return hash[field]?.toString('utf8') ?? '';
}

function int(hash: JobHash, field: string): number {
  return Number(text(hash, field) || 0);
}

function optionalInt(hash: JobHash, field: string): number | undefined {
  return hash[field]?.length ? int(hash, field) : undefined;
}

export function jobFromHash(
  queue: string,
  seq: string,
  hash: JobHash,
  payload: Buffer | null,
): Job {
  const state = STATES[text(hash, 's')] ?? 'pending';
  const due = optionalInt(hash, 'u');
  const headers = text(hash, 'h');
  const idempotencyKey = text(hash, 'k');
  return {
    id: formatJobId(queue, seq),
    queue,
    tenantId: text(hash, 't'),
    tier: text(hash, 'r'),
    priority: int(hash, 'p'),
    payload: payload ?? Buffer.alloc(0),
    headers: headers ? (JSON.parse(headers) as Record<string, string>) : {},
    attempt: int(hash, 'a'),
    maxAttempts: int(hash, 'm'),
    state,
    enqueueTime: int(hash, 'e'),
    lastError: text(hash, 'x'),
    ...(state === 'scheduled' && due !== undefined ? { scheduledTime: due } : {}),
    ...(state === 'leased' && due !== undefined ? { leaseExpireTime: due } : {}),
    ...(hash.f?.length ? { finishTime: int(hash, 'f') } : {}),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
}
