/**
 * Worker: holds a Lease stream on a queue and runs a handler per job, at most `concurrency` at a
 * time, with up to `prefetch` more jobs leased and waiting so a freed slot starts the next job
 * without a round trip. Credits follow free slots; settles go inline on the stream, or by unary
 * call when the stream is gone; leases are extended while jobs run or wait; a lost stream or
 * replica is replaced with backoff, rotating over the client's targets.
 */
import { EventEmitter } from 'node:events';
import { status, type StatusObject } from '@grpc/grpc-js';
import type { LeasedJob__Output } from '../generated/scheduler/v1/LeasedJob';
import type { SettleResult__Output } from '../generated/scheduler/v1/SettleResult';
import { backoffDelay, type BackoffOptions } from './backoff';
import { internalsOf, type SchedulerClient } from './client';
import { toLeasedJob } from './convert';
import { SchedulerClientError, fromItemError, toClientError } from './errors';
import { LeaseConnection, type SentSettle } from './lease-connection';
import { RunningJob, type Outcome, type RunningJobDeps } from './running-job';
import { settleUnary, type Settle } from './settle';
import { processInSpan } from './tracing';
import type { Job } from './types';
import {
  WorkerStatsCounter,
  type WorkerEvents,
  type WorkerOptions,
  type WorkerStats,
} from './worker-types';

/** Statuses that a new stream would get again: the worker stops instead of retrying. */
const FATAL = new Set<number>([
  status.INVALID_ARGUMENT,
  status.UNAUTHENTICATED,
  status.PERMISSION_DENIED,
  status.UNIMPLEMENTED,
  status.NOT_FOUND,
]);
/**
 * Jobs held beyond `concurrency` unless told otherwise: twice the concurrency, and at least 10.
 * Chosen with the bench's SDK drains (docs/benchmarks.md, "Prefetch").
 */
export function defaultPrefetch(concurrency: number): number {
  return Math.max(10, 2 * concurrency);
}
/** How long close() waits for the server to end the stream after the half-close. */
const END_TIMEOUT_MS = 10_000;

/**
 * Runs jobs from one queue.
 *
 * @example
 * const worker = new Worker(client, {
 *   queue: 'emails',
 *   concurrency: 8,
 *   handler: async (job, { signal }) => send(job.payload, { signal }),
 * }).start();
 * process.once('SIGTERM', () => void worker.close());
 */
export class Worker extends EventEmitter<WorkerEvents> {
  private state: 'new' | 'running' | 'closing' | 'closed' = 'new';
  private conn: LeaseConnection | undefined;
  private connEnded: Promise<void> = Promise.resolve();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private closing: Promise<void> | undefined;
  private readonly running = new Map<string, RunningJob>();
  /** Prefetched jobs waiting for a slot, oldest first; their leases are extended meanwhile. */
  private readonly buffered: RunningJob[] = [];
  /** Handlers and unary settles in flight: close() waits for all of them. */
  private readonly tasks = new TaskCount();
  private readonly counters = new WorkerStatsCounter();
  private readonly concurrency: number;
  private readonly prefetch: number;
  private readonly visibilityMs: number;
  private readonly extendEveryMs: number;
  private readonly reconnectBackoff: BackoffOptions;
  /** What each job's RunningJob needs: made once, since the cost per job is what it allocates. */
  private readonly jobDeps: RunningJobDeps;

  constructor(
    private readonly client: SchedulerClient,
    private readonly options: WorkerOptions,
  ) {
    super();
    this.concurrency = options.concurrency ?? 1;
    this.prefetch = options.prefetch ?? defaultPrefetch(this.concurrency);
    this.visibilityMs = options.visibilityTimeoutMs ?? 30_000;
    this.extendEveryMs = options.extendIntervalMs ?? Math.floor(this.visibilityMs / 2);
    this.reconnectBackoff = { initialMs: 100, maxMs: 5000, ...options.reconnect };
    const mode = options.traceContext ?? 'link';
    this.jobDeps = {
      // The user's handler, in a `process` span (a no-op without an OpenTelemetry SDK).
      handler: (job, context) => processInSpan(job, mode, options.handler, context),
      visibilityMs: this.visibilityMs,
      extendEveryMs: this.extendEveryMs,
      extend: (leaseId, ms) => this.client.extendLease(leaseId, ms),
      progress: (leaseId, value) => this.client.reportProgress(leaseId, value),
    };
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1)
      throw new RangeError('concurrency: must be an integer of at least 1');
    if (!Number.isInteger(this.prefetch) || this.prefetch < 0)
      throw new RangeError('prefetch: must be an integer of at least 0');
  }

  /** Counters since start, and the jobs running and waiting now. */
  get stats(): WorkerStats {
    return this.counters.snapshot(this.running.size, this.buffered.length);
  }

  /** Opens the stream and starts taking jobs. Returns the worker, for chaining. */
  start(): this {
    if (this.state !== 'new') throw new Error('a Worker starts once');
    this.state = 'running';
    void this.connect();
    return this;
  }

  /**
   * Stops taking jobs and shuts down without losing any: hands prefetched jobs back at once (ready
   * for other workers, no attempt counted), half-closes the stream (the server sends no more),
   * lets running handlers finish, settles them, and resolves when all is done.
   * With `abortAfterMs`, handlers still running after that long see their signal abort.
   */
  close(options: { abortAfterMs?: number } = {}): Promise<void> {
    this.closing ??= this.shutdown(options.abortAfterMs);
    return this.closing;
  }

  private async shutdown(abortAfterMs: number | undefined): Promise<void> {
    this.state = 'closing';
    clearTimeout(this.reconnectTimer);
    const conn = this.conn;
    if (conn?.writable)
      conn.release(this.buffered.splice(0).map((job) => (job.drop(), job.leased.leaseId)));
    conn?.halfClose();
    const abortTimer =
      abortAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            for (const job of this.running.values()) job.abort(new Error('worker closing'));
          }, abortAfterMs);
    const cutoff = setTimeout(() => conn?.cancel(), END_TIMEOUT_MS);
    await this.connEnded;
    clearTimeout(cutoff);
    // Jobs that arrived before the stream ended run too; settles may start more tasks.
    await this.tasks.idle();
    clearTimeout(abortTimer);
    this.state = 'closed';
  }

  private async connect(): Promise<void> {
    if (this.state !== 'running') return;
    const { connection } = internalsOf(this.client);
    let metadata;
    try {
      // Not wait-for-ready: a stream has no deadline, so one that waits for a target it cannot
      // reach (down, or a TLS handshake that fails) would wait silently forever. It fails at once
      // instead, with the cause, and the reconnect loop below reports it and backs off.
      metadata = await connection.metadata(false);
    } catch (err) {
      this.retryLater(toClientError(err, 'Lease'));
      return;
    }
    if (this.state !== 'running') return; // closed while the token was being fetched
    let resolveEnded: () => void = () => undefined;
    this.connEnded = new Promise((resolve) => (resolveEnded = resolve));
    const conn: LeaseConnection = new LeaseConnection(connection.pick(), metadata, {
      onJobs: (jobs) => {
        for (const job of jobs) this.runJob(job);
      },
      onSettleError: (result, sent) => this.onSettleError(result, sent),
      onCancelled: (leaseIds) => leaseIds.forEach((id) => this.cancelJob(id)),
      onEnd: (st, unconfirmed) => {
        this.onEnd(conn, st, unconfirmed);
        resolveEnded();
      },
    });
    this.conn = conn;
    conn.open(this.options.queue, this.visibilityMs, this.freeCredits(conn));
  }

  /** Credits to grant so that jobs held (running and waiting) plus credits out fill the slots. */
  private freeCredits(conn: LeaseConnection): number {
    const held = this.running.size + this.buffered.length + conn.outstanding;
    return Math.max(0, this.concurrency + this.prefetch - held);
  }

  private runJob(raw: LeasedJob__Output): void {
    let leased;
    try {
      leased = toLeasedJob(raw);
    } catch (err) {
      this.report(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    this.counters.received++;
    const job = new RunningJob(leased, this.jobDeps);
    if (this.running.size < this.concurrency) this.begin(job);
    else {
      job.keepLease();
      this.buffered.push(job);
    }
  }

  /**
   * The server says a job of ours was cancelled: a running one's signal aborts (it is not
   * settled as it ends); a prefetched one that has not started leaves the buffer now.
   */
  private cancelJob(leaseId: string): void {
    const running = this.running.get(leaseId);
    if (running) return running.cancel();
    const at = this.buffered.findIndex((job) => job.leased.leaseId === leaseId);
    if (at < 0) return;
    const [job] = this.buffered.splice(at, 1);
    job!.drop();
    this.counters.count({ kind: 'cancelled' });
    this.emit('cancelled', job!.leased.job);
    const conn = this.conn;
    const credits = this.state === 'running' && conn ? this.freeCredits(conn) : 0;
    if (credits > 0) conn?.write(credits);
  }

  private begin(job: RunningJob): void {
    this.running.set(job.leased.leaseId, job);
    void this.runToEnd(job);
  }

  private async runToEnd(job: RunningJob): Promise<void> {
    this.tasks.start();
    try {
      this.finish(job, await job.run());
    } finally {
      this.tasks.end();
    }
  }

  private finish(job: RunningJob, outcome: Outcome): void {
    this.running.delete(job.leased.leaseId);
    const next = this.buffered.shift();
    if (next) this.begin(next);
    this.counters.count(outcome);
    const conn = this.conn;
    const credits = this.state === 'running' && conn ? this.freeCredits(conn) : 0;
    const settle = this.settleOf(job, outcome);
    if (!settle) {
      if (credits > 0) conn?.write(credits);
      return;
    }
    const expiresAt = job.leaseDeadline;
    if (conn?.writable) conn.write(credits, settle, expiresAt);
    else this.settleLater({ settle, expiresAt }, false, job.leased.job);
  }

  /** Emits the job's event and says how to settle it (nothing for a lost or cancelled job). */
  private settleOf(job: RunningJob, outcome: Outcome): Settle | undefined {
    const { leaseId, job: data } = job.leased;
    switch (outcome.kind) {
      case 'ack':
        this.emit('completed', data, outcome.result);
        return { leaseId, kind: 'ack', result: outcome.result };
      case 'nack': {
        const { error, noRetry, thrown } = outcome;
        this.emit('failed', data, thrown instanceof Error ? thrown : new Error(error));
        return { leaseId, kind: 'nack', error, noRetry };
      }
      case 'snooze':
        return {
          leaseId,
          kind: 'nack',
          error: '',
          noRetry: false,
          snooze: true,
          retryDelayMs: outcome.delayMs,
        };
      case 'cancelled':
        this.emit('cancelled', data);
        return undefined;
      case 'lost':
        this.report(outcome.error, data);
        return undefined;
    }
  }

  private settleLater(sent: SentSettle, resend: boolean, job?: Job): void {
    const settling = settleUnary(this.client, sent.settle, sent.expiresAt, resend).catch(
      (err: unknown) => {
        const error = toClientError(err, sent.settle.kind === 'ack' ? 'Ack' : 'Nack');
        if (isRefusedResult(sent, error)) this.failRefusedResult(sent, error, job);
        else this.report(error, job);
      },
    );
    this.track(settling);
  }

  /**
   * The server refused the result a handler resolved with (over its MAX_RESULT_BYTES), so the job
   * is not done. Left alone it would stay leased until its lease ran out and then run again to
   * the same result: it is dead-lettered at once instead, the refusal as its last error.
   */
  private failRefusedResult(sent: SentSettle, error: SchedulerClientError, job?: Job): void {
    this.counters.settleErrors++;
    this.report(error, job);
    const { leaseId } = sent.settle;
    const nack: Settle = { leaseId, kind: 'nack', error: error.details, noRetry: true };
    if (this.conn?.writable) this.conn.write(0, nack, sent.expiresAt);
    else this.settleLater({ settle: nack, expiresAt: sent.expiresAt }, false, job);
  }

  private onSettleError(result: SettleResult__Output, sent: SentSettle | undefined): void {
    const error = fromItemError(
      result.error ?? { code: status.UNKNOWN, message: 'settle failed', field: '' },
      'Lease',
    );
    // Redis trouble on the replica: worth retrying elsewhere while the lease holds.
    if (sent && (error.code === status.UNAVAILABLE || error.code === status.DEADLINE_EXCEEDED)) {
      this.settleLater(sent, false);
      return;
    }
    if (sent && isRefusedResult(sent, error)) {
      this.failRefusedResult(sent, error);
      return;
    }
    this.counters.settleErrors++;
    this.report(error);
  }

  private onEnd(conn: LeaseConnection, st: StatusObject, unconfirmed: SentSettle[]): void {
    if (this.conn === conn) this.conn = undefined;
    for (const sent of unconfirmed) this.settleLater(sent, true);
    if (this.state !== 'running') return;
    const error = new SchedulerClientError({
      code: st.code,
      details: st.code === status.OK ? 'the server ended the stream' : st.details,
      method: 'Lease',
      metadata: st.metadata,
    });
    if (FATAL.has(st.code)) {
      this.report(error);
      void this.close();
      return;
    }
    // A stream that worked for a while starts the backoff over.
    const healthy = conn.answered || Date.now() - conn.openedAt >= this.reconnectBackoff.maxMs;
    if (healthy) this.reconnectAttempt = 0;
    this.retryLater(error);
  }

  private retryLater(error: SchedulerClientError): void {
    if (this.state !== 'running') return;
    const delay = backoffDelay(this.reconnectAttempt++, this.reconnectBackoff);
    this.counters.reconnects++;
    this.emit('reconnecting', error, delay);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private track(task: Promise<void>): void {
    this.tasks.start();
    void task.finally(() => this.tasks.end());
  }

  private report(error: Error, job?: Job): void {
    if (this.listenerCount('error') > 0) this.emit('error', error, job);
    else process.emitWarning(error);
  }
}

/** An ack the server refused for its result: the result, not the lease, is at fault. */
function isRefusedResult(sent: SentSettle, error: SchedulerClientError): boolean {
  return (
    sent.settle.kind === 'ack' && error.code === status.INVALID_ARGUMENT && error.field === 'result'
  );
}

/** Counts tasks in flight (no per-task bookkeeping: one runs per job); idle() awaits none left. */
class TaskCount {
  private count = 0;
  private waiters: (() => void)[] = [];

  start(): void {
    this.count++;
  }

  end(): void {
    if (--this.count > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  idle(): Promise<void> {
    return this.count === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.waiters.push(resolve));
  }
}
