/**
 * A raw Lease stream on the contract's grpc-js client, with no SDK in between: it sends the first
 * request, counts the jobs that come back, and lets its owner wait for them. The tests' TestWorker
 * (server.ts), the load tests' LoadWorker and the bench's bare Lease worker (bench/ imports this
 * file) are built on it, each with its own needs as options:
 *
 * - `autoAck`: a worker whose handler does nothing, acking everything that arrived in one turn of
 *   the event loop in one inline message that also grants those credits again (the bench);
 * - `onJob`: each job as it arrives;
 * - `onMessage`: each message as it arrives (settle errors, cancel notices).
 *
 * The bench times its drains through this: per job there is one call of `onJob`, one push of the
 * lease id and no other work or allocation.
 */
import { performance } from 'node:perf_hooks';
import type * as grpc from '@grpc/grpc-js';
import type { LeaseRequest } from '../../src/generated/scheduler/v1/LeaseRequest';
import type { LeaseResponse__Output } from '../../src/generated/scheduler/v1/LeaseResponse';
import type { LeasedJob__Output } from '../../src/generated/scheduler/v1/LeasedJob';
import type { SchedulerServiceClient } from '../../src/generated/scheduler/v1/SchedulerService';
import { ChangeSignal } from './change-signal';

export interface LeaseStreamOptions {
  /** Ack every job inline, once per event-loop turn, granting its credit again. */
  autoAck?: boolean;
  /** Called with each job as it arrives, in order; `at` is performance.now() at its message. */
  onJob?: (job: LeasedJob__Output, at: number) => void;
  /** Called with each message as it arrives, before its jobs. */
  onMessage?: (msg: LeaseResponse__Output) => void;
}

export class LeaseStream {
  /** Jobs received in all. */
  received = 0;
  /** How the stream ended, as the server said (or CANCELLED after cancel()). */
  readonly status: Promise<grpc.StatusObject>;
  /** Notified after every message. */
  protected readonly changed = new ChangeSignal();
  private readonly stream: grpc.ClientDuplexStream<LeaseRequest, LeaseResponse__Output>;
  /** Lease ids to ack at the end of this turn (autoAck). */
  private acks: string[] = [];
  private flushing = false;
  private ended = false;
  private readonly flushTurn = (): void => this.flush(true);

  constructor(
    client: SchedulerServiceClient,
    first: LeaseRequest,
    private readonly options: LeaseStreamOptions = {},
  ) {
    this.stream = client.lease();
    this.status = new Promise((resolve) => this.stream.on('status', resolve));
    this.stream.on('error', () => undefined); // the status promise carries it
    this.stream.on('data', (msg: LeaseResponse__Output) => this.onMessage(msg));
    this.stream.write(first);
  }

  send(req: LeaseRequest): void {
    this.stream.write(req);
  }

  /** Resolves once `n` jobs have arrived in all; fails after `timeoutMs`. */
  waitFor(n: number, timeoutMs = 5000): Promise<void> {
    return this.changed.until(
      () => this.received >= n,
      timeoutMs,
      () => `${n} jobs (got ${this.received})`,
    );
  }

  /** Sends the last acks (granting nothing), then half-closes: the server applies them and ends. */
  end(): void {
    this.flush(false);
    this.ended = true;
    this.stream.end();
  }

  /** Drops the stream: jobs still leased come back after their visibility timeout. */
  cancel(): void {
    this.ended = true;
    this.stream.cancel();
  }

  protected onMessage(msg: LeaseResponse__Output): void {
    const { onJob, onMessage, autoAck } = this.options;
    onMessage?.(msg);
    const jobs = msg.jobs;
    if (jobs.length > 0) {
      const at = onJob ? performance.now() : 0;
      for (const job of jobs) {
        onJob?.(job, at);
        if (autoAck) this.acks.push(job.leaseId);
      }
      this.received += jobs.length;
      if (autoAck && !this.flushing) {
        this.flushing = true;
        setImmediate(this.flushTurn);
      }
    }
    this.changed.notify();
  }

  /** Acks what arrived and, unless closing, grants those slots again. */
  private flush(grant: boolean): void {
    this.flushing = false;
    if (this.acks.length === 0 || this.ended) return;
    const acks = this.acks;
    this.acks = [];
    this.stream.write({ acks, credits: grant ? acks.length : 0 });
  }
}
