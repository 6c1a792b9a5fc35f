/**
 * The seam between the domain and its storage. The Redis implementation lives in ./redis; every
 * method is one atomic operation on one queue.
 */
import type {
  AckBatch,
  CancelJobsResult,
  JobPage,
  EnqueueInput,
  EnqueueResult,
  Job,
  LeaseBatch,
  NackResult,
  QueueStats,
} from './job';
import type { SchedulerError } from './errors';
import type { JobRef, LeaseRef } from './ids';

/** An enqueue that passed validation and had its tier resolved. */
export interface NewJob extends EnqueueInput {
  tier: string;
  priority: number;
  maxAttempts: number;
  /** The tenant's own concurrency cap from the tier source (0: none); unset: the default. */
  ownCap?: number;
}

export interface JobStore {
  /** Enqueues jobs of one queue atomically, in order. */
  enqueue(queue: string, jobs: NewJob[]): Promise<EnqueueResult[]>;
  /**
   * Leases up to `count` ready jobs by the fairness policy. `visibilityMs`: one timeout for all,
   * or the i-th leased job's (one call serves consumers with different timeouts). `acks` of the
   * same queue are applied first, in the same atomic call (a worker's cycle: the slots they free
   * can be leased); their outcomes come back in `ackErrors`.
   */
  lease(
    queue: string,
    count: number,
    visibilityMs: number | readonly number[],
    acks?: AckBatch,
  ): Promise<LeaseBatch>;
  /** `result`: kept as the job's result for its retention. */
  ack(lease: LeaseRef, result?: Buffer): Promise<void>;
  /**
   * Acks leases of one queue in one atomic call (`results[i]`: lease i's result, if any); an
   * error per lease that was not acked.
   */
  ackMany(
    queue: string,
    leases: LeaseRef[],
    results?: ReadonlyArray<Buffer | undefined>,
  ): Promise<Array<SchedulerError | undefined>>;
  /** Replaces a leased job's progress; fenced like an ack. */
  progress(lease: LeaseRef, progress: Buffer): Promise<void>;
  nack(
    lease: LeaseRef,
    error: string,
    retryDelayMs: number | undefined,
    noRetry: boolean,
  ): Promise<NackResult>;
  /**
   * Gives a leased job back without counting an attempt: ready now, or after `delayMs` (a
   * snooze). Returns when it is ready again.
   */
  release(lease: LeaseRef, delayMs?: number): Promise<number>;
  /** Returns the new deadline. */
  extend(lease: LeaseRef, visibilityMs: number): Promise<number>;
  get(job: JobRef): Promise<Job>;
  cancel(job: JobRef): Promise<Job>;
  stats(queue: string): Promise<QueueStats>;
  /** Jobs in one state, by the order of its sorted set; pending without a tier: all tiers merged. */
  listJobs(query: ListQuery): Promise<JobPage>;
  /** Names of the queues that have had jobs, sorted. */
  queues(): Promise<string[]>;
  /** Brings dead jobs back to ready: the given ones, or the oldest up to `limit`. */
  redrive(queue: string, seqs: string[], limit: number): Promise<number>;
  /**
   * Pauses or resumes a queue (tenant '') or one tenant of it; true when that changed anything.
   * A resume wakes waiting consumers on every replica.
   */
  setPaused(queue: string, tenant: string, paused: boolean): Promise<boolean>;
  /** Changes a pending or scheduled job's priority. */
  updatePriority(job: JobRef, priority: number): Promise<void>;
  /** Makes a scheduled job ready now (a pending one is left as it is). */
  promote(job: JobRef): Promise<void>;
  /** Cancels up to `limit` pending and scheduled jobs of a queue (tenant '': every tenant). */
  cancelJobs(
    queue: string,
    tenant: string,
    limit: number,
    pageToken: string,
  ): Promise<CancelJobsResult>;
  /** Deletes up to `limit` of the oldest dead jobs; how many went. */
  purgeDead(queue: string, limit: number): Promise<number>;
  /** Adds a queue to the registry of queues (ListQueues) once per process. */
  register(queue: string): Promise<void>;
}

export type ListableState = 'pending' | 'scheduled' | 'leased' | 'dead';

export interface ListQuery {
  queue: string;
  state: ListableState;
  /** Pending only: one tier's jobs. */
  tier?: string;
  /**
   * A page holds jobs up to this many bytes (jobBytes; at least one job): the rest of the page
   * comes with the next token.
   */
  maxBytes: number;
  pageSize: number;
  /** An offset, as text; '' for the first page. */
  pageToken: string;
}

/**
 * Upkeep of queues nobody leases from: expired leases and due delayed jobs moved, dead jobs past
 * retention pruned, found through an index of queues by their next due time (see upkeep.ts).
 */
export interface UpkeepStore {
  /** Takes up to `limit` queues whose upkeep is due; other replicas skip them for `claimMs`. */
  claimDue(limit: number, claimMs: number): Promise<string[]>;
  /** Runs a claimed queue's upkeep and records when it next falls due. */
  upkeep(queue: string): Promise<void>;
  /** Marks every known queue due now: at start-up, for due work the index may not know of. */
  markAllDue(): Promise<void>;
}

/**
 * What the scripts announce about a queue's jobs (across replicas): jobs whose state or progress
 * changed (only while someone listens with `watch`), a leased job cancelled (always), or
 * `resync` when notices may have been lost (the subscription was re-established).
 */
export type JobEvent =
  { kind: 'changed'; seqs: string[] } | { kind: 'cancelled'; leaseId: string } | { kind: 'resync' };

export interface JobEventSource {
  /**
   * Calls `listener` with the events of `queue` until the returned function is called. Resolves
   * once subscribed, so a change made after that is heard. `watch`: ask the scripts to announce
   * changed jobs while this listener lasts (they do not otherwise, to keep their cost off the
   * hot path).
   */
  listen(queue: string, listener: (event: JobEvent) => void, watch: boolean): Promise<() => void>;
}

/** Tells waiting consumers that a queue may have ready jobs (across replicas). */
export interface WakeSignal {
  subscribe(listener: (queue: string) => void): () => void;
}
