/**
 * One job a Worker is running: the handler, the AbortSignal it is given, and the lease kept alive
 * meanwhile. The lease is extended by unary ExtendLease (any replica accepts it, so this keeps
 * working while the stream reconnects) every `extendEveryMs`; when the lease is lost, because an
 * extension was fenced off (FAILED_PRECONDITION) or none succeeded before the deadline, the
 * signal aborts: another worker may already have the job.
 */
import { status } from '@grpc/grpc-js';
import { isPermanentError, isSchedulerClientError } from './errors';
import type { Job, LeasedJob } from './types';

/** What a handler gets beside the job. */
export interface JobContext {
  /**
   * Aborted when the worker lost the lease (the job may be running elsewhere: stop, and do not
   * commit side effects) or when `close({ abortAfterMs })` ran out of patience.
   */
  signal: AbortSignal;
  /** The lease id, for calls of your own such as `client.extendLease`. */
  leaseId: string;
}

/**
 * Runs one job. Resolve to ack it; throw to nack it (retried with backoff until `max_attempts`);
 * throw a PermanentError (see `permanent()`) to dead-letter it now.
 */
export type JobHandler = (job: Job, context: JobContext) => Promise<void> | void;

/** How a run ended, i.e. how the job must be settled. */
export type Outcome =
  | { kind: 'ack' }
  | { kind: 'nack'; error: string; noRetry: boolean }
  | { kind: 'lost'; error: Error };

export interface RunningJobDeps {
  handler: JobHandler;
  visibilityMs: number;
  extendEveryMs: number;
  extend(leaseId: string, visibilityMs: number): Promise<unknown>;
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
  private finished = false;

  constructor(
    readonly leased: LeasedJob,
    private readonly deps: RunningJobDeps,
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
    const signal = (): AbortSignal => this.signal();
    const context: JobContext = {
      get signal() {
        return signal();
      },
      leaseId: this.leased.leaseId,
    };
    try {
      await this.deps.handler(this.leased.job, context);
      return this.lost ? { kind: 'lost', error: this.lost } : { kind: 'ack' };
    } catch (err) {
      if (this.lost) return { kind: 'lost', error: this.lost };
      const error = err instanceof Error ? err.message : String(err);
      return { kind: 'nack', error, noRetry: isPermanentError(err) };
    } finally {
      this.finished = true;
      clearTimeout(this.timer);
    }
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
  private signal(): AbortSignal {
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
      if (this.finished) return;
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
