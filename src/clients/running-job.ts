/**
 * One job a Worker is running: the handler, the AbortSignal it is given, and the lease kept alive
 * meanwhile. The lease is extended by unary ExtendLease (any replica accepts it, so this keeps
 * working while the stream reconnects) every `extendEveryMs`; when the lease is lost, because an
 * extension was fenced off (FAILED_PRECONDITION) or none succeeded before the deadline, the
 * signal aborts: another worker may already have the job. It aborts too when the job is
 * cancelled (CancelJob): the server tells the stream, and the job is not settled.
 */
import { status } from '@grpc/grpc-js';
import { encodeValue } from './convert';
import { SnoozeError, isPermanentError, isSchedulerClientError } from './errors';
import type { Job, LeasedJob } from './types';

/** What a handler gets beside the job. */
export interface JobContext {
  /**
   * Aborted when the job was cancelled (its reason a JobCancelledError: stop, the job is over),
   * when the worker lost the lease (the job may be running elsewhere: stop, and do not commit
   * side effects) or when `close({ abortAfterMs })` ran out of patience.
   */
  signal: AbortSignal;
  /** The lease id, for calls of your own such as `client.extendLease`. */
  leaseId: string;
  /**
   * Records the job's progress (bytes as they are, anything else as JSON, e.g.
   * `{ percent: 40 }`): `Job.progress` for readers, and a change for watchers.
   */
  progress: (value: unknown) => Promise<void>;
}

/**
 * Runs one job. Resolve to ack it, the resolved value becoming the job's result (bytes as they
 * are, anything else as JSON; `undefined`: none); throw to nack it (retried with backoff until
 * `max_attempts`); throw a PermanentError (see `permanent()`) to dead-letter it now; throw
 * `snooze(delayMs)` to run it again later with no attempt counted.
 */
export type JobHandler = (job: Job, context: JobContext) => unknown;

/** How a run ended, i.e. how the job must be settled. */
export type Outcome =
  | { kind: 'ack'; result: Buffer | undefined }
  | { kind: 'nack'; error: string; noRetry: boolean; thrown: unknown }
  | { kind: 'snooze'; delayMs: number }
  | { kind: 'lost'; error: Error }
  | { kind: 'cancelled' };

/** The reason of a handler's signal when its job was cancelled (CancelJob). */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
}

export interface RunningJobDeps {
  handler: JobHandler;
  visibilityMs: number;
  extendEveryMs: number;
  extend(leaseId: string, visibilityMs: number): Promise<unknown>;
  progress(leaseId: string, value: unknown): Promise<void>;
}

/** A transient extension failure is retried this often, while the lease still holds. */
const EXTEND_RETRY_MS = 1000;

export class RunningJob {
  /** Made when the handler first reads its signal: most never do, and a signal is not free. */
  private controller: AbortController | undefined;
  private abortReason: Error | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Local estimate of the lease's end: only ever earlier than the server's. */
  private deadline: number;
  private lost: Error | undefined;
  private cancelled = false;
  private finished = false;

  constructor(
    readonly leased: LeasedJob,
    readonly deps: RunningJobDeps,
  ) {
    this.deadline = Date.now() + deps.visibilityMs;
  }

  /** When the lease ends unless extended (local clock). */
  get leaseDeadline(): number {
    return this.deadline;
  }

  /**
   * Starts extending the lease, from the moment the job arrived: a prefetched job waiting for a
   * free slot holds its lease like a running one. Idempotent; run() calls it too.
   */
  keepLease(): void {
    if (this.timer === undefined && !this.finished) this.schedule(this.deps.extendEveryMs);
  }

  async run(): Promise<Outcome> {
    this.keepLease();
    // Lost while it waited in the prefetch buffer: another worker may have it; do not start.
    if (this.lost) {
      this.finished = true;
      clearTimeout(this.timer);
      return { kind: 'lost', error: this.lost };
    }
    try {
      const result = encodeValue(await this.deps.handler(this.leased.job, new RunContext(this)));
      return this.over() ?? { kind: 'ack', result };
    } catch (err) {
      const over = this.over();
      if (over) return over;
      if (err instanceof SnoozeError) return { kind: 'snooze', delayMs: err.delayMs };
      const error = err instanceof Error ? err.message : String(err);
      return { kind: 'nack', error, noRetry: isPermanentError(err), thrown: err };
    } finally {
      this.finished = true;
      clearTimeout(this.timer);
    }
  }

  /**
   * The job was cancelled: the handler's signal aborts, and the run ends without a settle (the
   * lease is fenced off already).
   */
  cancel(): void {
    this.cancelled = true;
    this.abort(new JobCancelledError(`job ${this.leased.job.id} was cancelled`));
  }

  /** The outcome that overrides the handler's: cancelled, or the lease lost. */
  private over(): Outcome | undefined {
    if (this.cancelled) return { kind: 'cancelled' };
    return this.lost ? { kind: 'lost', error: this.lost } : undefined;
  }

  /** Stops extending the lease of a job that will not run here (handed back unstarted). */
  drop(): void {
    this.finished = true;
    clearTimeout(this.timer);
  }

  /** Asks the handler to stop (through its signal); it is settled as it ends. */
  abort(reason: Error): void {
    this.abortReason ??= reason;
    this.controller?.abort(this.abortReason);
  }

  /** The handler's signal; already aborted if the job was aborted before the handler looked. */
  signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => void this.extend(), ms);
  }

  private async extend(): Promise<void> {
    const startedAt = Date.now();
    try {
      await this.deps.extend(this.leased.leaseId, this.deps.visibilityMs);
      this.deadline = startedAt + this.deps.visibilityMs;
      if (!this.finished) this.schedule(this.deps.extendEveryMs);
    } catch (err) {
      if (this.finished || this.cancelled) return;
      const fenced = isSchedulerClientError(err) && err.code === status.FAILED_PRECONDITION;
      if (fenced || Date.now() >= this.deadline) this.lose(err);
      else this.schedule(Math.min(EXTEND_RETRY_MS, this.deadline - Date.now()));
    }
  }

  private lose(cause: unknown): void {
    const id = this.leased.job.id;
    this.lost = new Error(`lost the lease of job ${id}: another worker may run it`, { cause });
    this.abort(this.lost);
  }
}

/**
 * A handler's JobContext. One object per job, its signal and progress made only when the handler
 * reads them (most never do): the Worker's cost per job is mostly what it allocates.
 */
class RunContext implements JobContext {
  readonly #job: RunningJob;
  #progress: ((value: unknown) => Promise<void>) | undefined;

  constructor(job: RunningJob) {
    this.#job = job;
  }

  get leaseId(): string {
    return this.#job.leased.leaseId;
  }

  get signal(): AbortSignal {
    return this.#job.signal();
  }

  /** A function of its own, so `const { progress } = context` works. */
  get progress(): (value: unknown) => Promise<void> {
    const { leased, deps } = this.#job;
    return (this.#progress ??= (value) => deps.progress(leased.leaseId, value));
  }
}
