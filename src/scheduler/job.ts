/** The job model: what a producer hands in and what a worker receives. */
import type { SchedulerError } from './errors';
import type { LeaseRef } from './ids';

export const JOB_STATES = [
  'pending',
  'scheduled',
  'leased',
  'succeeded',
  'dead',
  'cancelled',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface Job {
  /** `<queue>/<n>`: routable to its queue, unique within the Redis it lives in. */
  id: string;
  queue: string;
  tenantId: string;
  tier: string;
  priority: number;
  payload: Buffer;
  headers: Record<string, string>;
  /** Deliveries so far: the first lease makes it 1. */
  attempt: number;
  maxAttempts: number;
  state: JobState;
  /** Epoch milliseconds, on Redis's clock (as are all times here). */
  enqueueTime: number;
  lastError: string;
  /** When a scheduled job becomes ready. */
  scheduledTime?: number;
  /** Deadline of the current lease (leased jobs only). */
  leaseExpireTime?: number;
  /** When it succeeded, died or was cancelled. */
  finishTime?: number;
  idempotencyKey?: string;
  /** What the ack carried (succeeded jobs only), kept as long as the job. */
  result?: Buffer;
  /** The last progress a worker reported. */
  progress?: Buffer;
}

/** Succeeded, dead and cancelled jobs change no more. */
export function isFinal(state: JobState): boolean {
  return state === 'succeeded' || state === 'dead' || state === 'cancelled';
}

export interface EnqueueInput {
  queue: string;
  tenantId: string;
  payload: Buffer;
  /** 0..9, default 0. */
  priority?: number;
  idempotencyKey?: string;
  delayMs?: number;
  /** 0 or unset: the server's default. */
  maxAttempts?: number;
  headers?: Record<string, string>;
}

export interface EnqueueResult {
  jobId: string;
  tier: string;
  duplicate: boolean;
}

export interface LeasedJob {
  job: Job;
  leaseId: string;
  leaseExpireTime: number;
}

export interface LeaseBatch {
  jobs: LeasedJob[];
  /**
   * Milliseconds until the next delayed job falls due or lease expires in this queue, measured on
   * Redis's clock; undefined when nothing waits on the clock. An idle consumer looks again then.
   */
  nextWakeInMs?: number;
  /** The outcome of each ack applied before leasing (AckBatch order): undefined when acked. */
  ackErrors?: Array<SchedulerError | undefined>;
}

/** Acks of leases of one queue (`results[i]`: lease i's result, if any). */
export interface AckBatch {
  leases: LeaseRef[];
  results: ReadonlyArray<Buffer | undefined>;
}

export interface NackInput {
  leaseId: string;
  error?: string;
  /** Retry after this delay instead of the backoff policy. */
  retryDelayMs?: number;
  /** Dead-letter now, whatever the attempts left. */
  noRetry?: boolean;
  /**
   * Give the job back to run again after `retryDelayMs` (unset: at once) without counting an
   * attempt or recording an error; `error` and `noRetry` are ignored.
   */
  snooze?: boolean;
}

export interface NackResult {
  state: 'pending' | 'scheduled' | 'dead';
  /** When the job will be ready again (not for dead). */
  retryTime?: number;
}

export interface StateCounts {
  pending: number;
  scheduled: number;
  leased: number;
  dead: number;
}

export interface TierStats {
  tier: string;
  weight: number;
  counts: StateCounts;
  /** Milliseconds; 0 when nothing is ready. */
  oldestReadyAgeMs: number;
  enqueuedTotal: number;
  /** Leases handed out (retries included). */
  dispatchedTotal: number;
  ackedTotal: number;
  nackedTotal: number;
  deadTotal: number;
  expiredTotal: number;
}

export interface QueueStats {
  queue: string;
  counts: StateCounts;
  tiers: TierStats[];
  oldestReadyAgeMs: number;
  /** The whole queue is paused: nothing of it is leased. */
  paused: boolean;
  /** Tenants paused one by one, sorted. */
  pausedTenants: string[];
  /** Tenants with as many jobs leased as their concurrency cap. */
  tenantsAtCap: number;
  /** Jobs a worker could take now: ready, plus scheduled past their due time. */
  backlog: number;
  /** Jobs enqueued per second over `windowMs` (see rates.ts). */
  addRate: number;
  /** Jobs leased per second over `windowMs`. */
  dispatchRate: number;
  /** The span the rates cover; 0 on a queue's first read. */
  windowMs: number;
}

/** One queue as ListQueues shows it. */
export interface QueueSummary {
  queue: string;
  counts: StateCounts;
  paused: boolean;
  oldestReadyAgeMs: number;
}

export interface QueuePage {
  queues: QueueSummary[];
  /** Empty on the last page. */
  nextPageToken: string;
}

export interface CancelJobsResult {
  cancelled: number;
  /** Non-empty when jobs may remain: pass it back to go on. */
  nextPageToken: string;
}

/** A page of jobs in one state (ListJobs, ListDeadJobs). */
export interface JobPage {
  jobs: Job[];
  /** Empty on the last page. */
  nextPageToken: string;
}

/**
 * An upper bound of a job's encoded size (payload, result, progress, text fields, a margin for the
 * fixed fields and framing): what packs stream messages and listing pages under a client's
 * message limit.
 */
export function jobBytes(job: Job): number {
  let text = job.id.length + job.queue.length + job.tenantId.length + job.tier.length;
  text += Buffer.byteLength(job.lastError) + Buffer.byteLength(job.idempotencyKey ?? '');
  const output = (job.result?.length ?? 0) + (job.progress?.length ?? 0);
  return job.payload.length + output + text + headersBytes(job.headers) + 256;
}

/** Headers' share of an encoded size: each key and value, and a margin for the map entry. */
export function headersBytes(headers: Readonly<Record<string, string>> = {}): number {
  let bytes = 0;
  for (const [k, v] of Object.entries(headers)) bytes += Buffer.byteLength(k + v) + 8;
  return bytes;
}

/**
 * How many of `items`, in order, fit in `maxBytes` by `sizeOf`: what cuts a listing page short.
 * The first item with a size always fits (a page is never empty), and items of size 0 (entries
 * whose job was gone when read) take no room.
 */
export function fitting<T>(
  items: readonly T[],
  maxBytes: number,
  sizeOf: (item: T) => number,
): number {
  let bytes = 0;
  let n = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (size > 0 && bytes > 0 && bytes + size > maxBytes) break;
    bytes += size;
    n += 1;
  }
  return n;
}
