/**
 * A Lease-stream worker as an SDK would write one: `concurrency` credits up front, each job
 * handed to a no-op handler, and the acks of everything handled in one turn of the event loop
 * sent back inline in one message that also grants the freed credits again.
 */
import type * as grpc from '@grpc/grpc-js';
import type { LeaseRequest } from '../../src/generated/scheduler/v1/LeaseRequest';
import type { LeaseResponse__Output } from '../../src/generated/scheduler/v1/LeaseResponse';
import type { LeasedJob__Output } from '../../src/generated/scheduler/v1/LeasedJob';
import type { Client } from './grpc';
import { now, within } from './timing';

export interface LeaseWorkerOptions {
  queue: string;
  concurrency: number;
  /** Called with each job as it arrives (the "handler"); `at` is performance.now(). */
  onJob?: (job: LeasedJob__Output, at: number) => void;
}

export class LeaseWorker {
  received = 0;
  settleErrors = 0;
  private readonly stream: grpc.ClientDuplexStream<LeaseRequest, LeaseResponse__Output>;
  private readonly status: Promise<grpc.StatusObject>;
  private acks: string[] = [];
  private flushing = false;
  private ended = false;
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  constructor(
    client: Client,
    private readonly options: LeaseWorkerOptions,
  ) {
    this.stream = client.lease();
    this.status = new Promise((resolve) => this.stream.on('status', resolve));
    this.stream.on('error', () => undefined); // the status promise carries it
    this.stream.on('data', (msg: LeaseResponse__Output) => this.onMessage(msg));
    this.stream.write({
      queue: options.queue,
      visibilityTimeout: { seconds: 120 },
      credits: options.concurrency,
    });
  }

  /** Resolves once `n` jobs have arrived in all, or rejects after `ms`. */
  waitFor(n: number, ms: number): Promise<void> {
    if (this.received >= n) return Promise.resolve();
    const reached = new Promise<void>((resolve) => this.waiters.push({ n, resolve }));
    return within(ms, reached, `waiting for ${n} jobs (got ${this.received})`);
  }

  /** Half-closes after the last acks; the server ends the stream once they are applied. */
  async finish(ms = 10_000): Promise<grpc.StatusObject> {
    this.flush(false);
    this.ended = true;
    this.stream.end();
    return within(ms, this.status, 'lease stream end');
  }

  /** Drops the stream (jobs still leased come back after their visibility timeout). */
  cancel(): void {
    this.ended = true;
    this.stream.cancel();
  }

  private onMessage(msg: LeaseResponse__Output): void {
    this.settleErrors += msg.settleErrors.length;
    const at = now();
    for (const job of msg.jobs) {
      this.received += 1;
      this.options.onJob?.(job, at);
      this.acks.push(job.leaseId);
    }
    if (this.acks.length > 0 && !this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
    this.waiters = this.waiters.filter((w) => (this.received >= w.n ? (w.resolve(), false) : true));
  }

  /** Acks what was handled and, unless closing, grants those slots again. */
  private flush(grant = true): void {
    this.flushing = false;
    if (this.acks.length === 0 || this.ended) return;
    const acks = this.acks;
    this.acks = [];
    this.stream.write({ acks, credits: grant ? acks.length : 0 });
  }
}

/** Opens a worker, times until `jobs` have arrived and their acks were applied. */
export async function drain(
  client: Client,
  queue: string,
  concurrency: number,
  jobs: number,
  capMs: number,
): Promise<{ jobs: number; seconds: number; complete: boolean }> {
  const start = now();
  const worker = new LeaseWorker(client, { queue, concurrency });
  let complete = true;
  try {
    await worker.waitFor(jobs, capMs);
  } catch {
    complete = false;
  }
  if (complete) await worker.finish();
  else worker.cancel();
  return { jobs: worker.received, seconds: (now() - start) / 1000, complete };
}
