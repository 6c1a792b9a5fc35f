/**
 * The SDK's public data types: plain objects with milliseconds for durations, Dates for times and
 * lower-case job states, instead of the wire's Duration, Timestamp and JOB_STATE_* values.
 */
import type { SchedulerClientError } from './errors';

/** A job's body: bytes as they are, or a string sent as UTF-8. */
export type Payload = Buffer | Uint8Array | string;

/** Where a job is in its life (`unspecified` only for a server newer than this SDK). */
export type JobState =
  'unspecified' | 'pending' | 'scheduled' | 'leased' | 'succeeded' | 'dead' | 'cancelled';

/** A job as the scheduler stores it. */
export interface Job {
  /** `<queue>/<n>`: opaque to callers, unique across queues. */
  id: string;
  queue: string;
  tenantId: string;
  /** The tenant's tier when the job was enqueued, e.g. `premium` or `free`. */
  tier: string;
  /** 0..9, higher first within a tenant. */
  priority: number;
  payload: Buffer;
  headers: Record<string, string>;
  /** Deliveries so far: the first lease makes it 1. */
  attempt: number;
  maxAttempts: number;
  state: JobState;
  /** The error of the last failed attempt, empty if none. */
  lastError: string;
  enqueueTime: Date | undefined;
  /** When a scheduled job becomes ready. */
  scheduledTime: Date | undefined;
  /** When the current lease ends (leased jobs only). */
  leaseExpireTime: Date | undefined;
  /** When the job succeeded, died or was cancelled. */
  finishTime: Date | undefined;
  /** The key it was enqueued with, if any. */
  idempotencyKey: string | undefined;
  /**
   * What the worker's ack carried (succeeded jobs): the bytes a Worker handler resolved with,
   * or its JSON. Parse it with `decodeJson(job.result)`.
   */
  result: Buffer | undefined;
  /** The last progress a worker reported (`JobContext.progress`), e.g. JSON `{"percent":40}`. */
  progress: Buffer | undefined;
}

/** A job handed to a worker, with the lease id that fences it. */
export interface LeasedJob {
  job: Job;
  /** `<queue>/<n>/<token>`: Ack, Nack and ExtendLease need it; stale once the lease ends. */
  leaseId: string;
  leaseExpireTime: Date | undefined;
}

/** What to enqueue. */
export interface EnqueueOptions {
  /** `[A-Za-z0-9._:-]{1,128}`. */
  queue: string;
  /** The customer the job runs for: its tier decides the job's share. `[A-Za-z0-9._:-]{1,128}`. */
  tenantId: string;
  payload?: Payload;
  /** 0..9 (default 0), higher first within the tenant. */
  priority?: number;
  /**
   * A repeated key within the server's dedup window (24 h by default) returns the first job with
   * `duplicate: true` and enqueues nothing. With a key, the SDK also retries on UNAVAILABLE.
   */
  idempotencyKey?: string;
  /** The job becomes ready after this many milliseconds. */
  delayMs?: number;
  /** Deliveries before the job is dead-lettered; unset or 0 means the server's default. */
  maxAttempts?: number;
  /** Free-form metadata, e.g. trace context. */
  headers?: Record<string, string>;
}

/** The outcome of an enqueue. */
export interface EnqueueResult {
  jobId: string;
  tier: string;
  /** True when the idempotency key was seen before: `jobId` is the first job's, nothing new. */
  duplicate: boolean;
}

/** One item of an enqueueBatch result, in request order. */
export type EnqueueBatchItem =
  ({ ok: true } & EnqueueResult) | { ok: false; error: SchedulerClientError };

/** How to give a job back. */
export interface NackOptions {
  /** Recorded as the job's `lastError` (the server keeps 4 KiB). */
  error?: string;
  /** Retry after this many milliseconds instead of the server's backoff. */
  retryDelayMs?: number;
  /** Dead-letter now, whatever the attempts left. */
  noRetry?: boolean;
  /**
   * Give the job back to run again after `retryDelayMs` (unset: at once) without counting an
   * attempt or recording an error (`error` and `noRetry` are ignored).
   */
  snooze?: boolean;
}

/** How to ack a job. */
export interface AckOptions extends CallOptions {
  /** Kept as the job's result for its retention (64 KiB at most by default). */
  result?: Payload;
}

/** How long to wait for a job to finish. */
export interface WaitOptions {
  /** Give up after this many milliseconds: rejects with DEADLINE_EXCEEDED (default: no limit). */
  timeoutMs?: number;
  /** Stop waiting: rejects with CANCELLED. */
  signal?: AbortSignal;
}

/** What a nack did. */
export interface NackResult {
  /** `scheduled` or `pending` when it will be retried, `dead` when dead-lettered. */
  state: JobState;
  retryTime: Date | undefined;
}

/** Jobs per state. Succeeded and cancelled jobs are not counted. */
export interface StateCounts {
  pending: number;
  scheduled: number;
  leased: number;
  dead: number;
}

/** One tier of a queue. Totals count since the queue was created. */
export interface TierStats {
  tier: string;
  weight: number;
  counts: StateCounts;
  oldestReadyAgeMs: number;
  enqueuedTotal: number;
  ackedTotal: number;
  nackedTotal: number;
  deadTotal: number;
  expiredTotal: number;
  /** Leases handed out since the queue was created (retries included). */
  dispatchedTotal: number;
}

/** A queue's counts now, overall and per tier. */
export interface QueueStats {
  queue: string;
  counts: StateCounts;
  tiers: TierStats[];
  /** Age of the oldest ready job; 0 when none is ready. */
  oldestReadyAgeMs: number;
  /** The whole queue is paused (pauseQueue): nothing of it is leased. */
  paused: boolean;
  /** Tenants paused one by one, sorted. */
  pausedTenants: string[];
  /** Tenants with as many jobs leased as their concurrency cap. */
  tenantsAtCap: number;
  /** Jobs a worker could take now: ready, plus scheduled past their due time. */
  backlog: number;
  /** Jobs enqueued per second over `rateWindowMs`. */
  addRate: number;
  /** Jobs leased per second over `rateWindowMs`. */
  dispatchRate: number;
  /** The span the rates cover (about a minute); 0 on a queue's first read, rates 0 then. */
  rateWindowMs: number;
}

/** One queue as listQueues shows it. */
export interface QueueSummary {
  queue: string;
  counts: StateCounts;
  /** The whole queue is paused (tenants paused one by one do not count). */
  paused: boolean;
  /** Age of the oldest ready job; 0 when none is ready. */
  oldestReadyAgeMs: number;
}

/** One page of queues. */
export interface QueuesPage {
  queues: QueueSummary[];
  /** Pass to the next listQueues call; undefined on the last page. */
  nextPageToken: string | undefined;
}

/** What one cancelJobs call did. */
export interface CancelJobsResult {
  cancelled: number;
  /** Jobs may remain: call again with this token; undefined when none is left. */
  nextPageToken: string | undefined;
}

/** One page of dead jobs. */
export interface DeadJobsPage {
  jobs: Job[];
  /** Pass to the next listDeadJobs call; undefined on the last page. */
  nextPageToken: string | undefined;
}

/** Per-call settings. */
export interface CallOptions {
  /** Overall time for the call, retries included (default: the client's `deadlineMs`). */
  deadlineMs?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}
