/** The Worker's options, events and counters. */
import type { BackoffOptions } from './backoff';
import type { SchedulerClientError } from './errors';
import type { JobHandler, Outcome } from './running-job';
import type { TraceContextMode } from './tracing';
import type { Job } from './types';

/** What a Worker leases and how it runs jobs. */
export interface WorkerOptions {
  /** The queue to lease from. */
  queue: string;
  /** Runs each job; see JobHandler for how its result settles the job. */
  handler: JobHandler;
  /** Jobs run at once (default 1). */
  concurrency?: number;
  /**
   * Jobs leased beyond `concurrency` and held until a slot frees, so the next job starts without
   * waiting a round trip (default: twice `concurrency`, at least 10; 0 turns it off). Their
   * leases are extended while they wait, and close() hands them back unstarted. The cost is
   * fairness: a premium job enqueued now can wait behind up to `prefetch` jobs this worker already
   * holds (with the default, about two handler durations).
   */
  prefetch?: number;
  /** How long a leased job stays invisible to others unless extended (default 30 s). */
  visibilityTimeoutMs?: number;
  /** How often a running job's lease is extended (default: half the visibility timeout). */
  extendIntervalMs?: number;
  /** Backoff between reconnects (default 100 ms doubling to 5 s, with jitter). */
  reconnect?: Partial<BackoffOptions>;
  /**
   * With an OpenTelemetry SDK in the process, each handler runs in a `process` span that is
   * linked to the context that enqueued the job (`link`, the default) or a child of it
   * (`parent`). Without an SDK there are no spans and this does nothing.
   */
  traceContext?: TraceContextMode;
}

/** Events a Worker emits. */
export interface WorkerEvents {
  /**
   * Something went wrong that the worker survives: a lost lease, a settle that failed, a fatal
   * stream status (after which the worker closes). Without a listener these become process
   * warnings, so they are never silent.
   */
  error: [error: Error, job?: Job];
  /** The stream ended and a new one opens after `delayMs`. */
  reconnecting: [error: SchedulerClientError, delayMs: number];
  /**
   * A handler resolved: the job is acked with `result` (its encoding, undefined for none). A
   * result the server refuses (over MAX_RESULT_BYTES) dead-letters the job instead: `error` follows.
   */
  completed: [job: Job, result: Buffer | undefined];
  /** A handler threw: the job is nacked (retried later, or dead-lettered when permanent). */
  failed: [job: Job, error: Error];
  /** The job was cancelled while its handler ran (CancelJob): its signal aborted, no settle. */
  cancelled: [job: Job];
}

/** What a Worker has done since it started. */
export interface WorkerStats {
  /** Jobs received from the server. */
  received: number;
  /** Jobs whose handler resolved (acked). */
  succeeded: number;
  /** Jobs whose handler threw (nacked: retried later, or dead-lettered when permanent). */
  failed: number;
  /** Jobs whose handler threw `snooze(delayMs)` (given back for later, no attempt counted). */
  snoozed: number;
  /** Jobs whose lease was lost while they ran (not settled: the server delivers them again). */
  lost: number;
  /** Jobs cancelled while they ran (not settled: they are over). */
  cancelled: number;
  /** Acks and nacks the server refused, e.g. because the lease had expired. */
  settleErrors: number;
  /** Streams re-opened after one ended. */
  reconnects: number;
  /** Handlers running now. */
  running: number;
  /** Prefetched jobs waiting for a slot now. */
  buffered: number;
}

export class WorkerStatsCounter {
  received = 0;
  succeeded = 0;
  failed = 0;
  snoozed = 0;
  lost = 0;
  cancelled = 0;
  settleErrors = 0;
  reconnects = 0;

  count(outcome: Outcome): void {
    if (outcome.kind === 'ack') this.succeeded++;
    else if (outcome.kind === 'nack') this.failed++;
    else if (outcome.kind === 'snooze') this.snoozed++;
    else if (outcome.kind === 'cancelled') this.cancelled++;
    else this.lost++;
  }

  snapshot(running: number, buffered: number): WorkerStats {
    const { received, succeeded, failed, snoozed, lost, cancelled, settleErrors, reconnects } =
      this;
    return {
      received,
      succeeded,
      failed,
      snoozed,
      lost,
      cancelled,
      settleErrors,
      reconnects,
      running,
      buffered,
    };
  }
}
