/**
 * A producer for the load generator: EnqueueBatch at a steady rate over several queues and
 * tenants, every job with its own idempotency key. A batch whose outcome is unknown (UNAVAILABLE,
 * deadline) is sent again, to the next replica, with the same keys: the dedup window makes the
 * retry return the first jobs' ids instead of enqueueing twice, so the history learns every job
 * id even across a Redis restart or a failover.
 */
import { randomBytes } from 'node:crypto';
import type { EnqueueBatchResponse__Output } from '../../src/generated/scheduler/v1/EnqueueBatchResponse';
import type { EnqueueRequest } from '../../src/generated/scheduler/v1/EnqueueRequest';
import { seconds } from '../helpers/server';
import type { HistoryEvent } from './history';
import { call, outcomeOf, sleep, type Endpoints } from './rpc';

export interface ProducerOptions {
  name: string;
  queues: readonly string[];
  tenants: readonly string[];
  /** Jobs per second, in batches of `batchSize`. */
  rate: number;
  batchSize: number;
  /** Fraction of jobs enqueued with a short delay (0-200 ms): exercises the delayed set. */
  delayedRate?: number;
  /** Fraction of jobs cancelled right after enqueue (a race with the workers, on purpose). */
  cancelRate?: number;
  /** Stop after this many jobs (else run until stop()). */
  total?: number;
  /** How long one batch is retried before it is given up (counted as `abandoned`). */
  retryForMs?: number;
}

export class Producer {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private readonly runId = randomBytes(4).toString('hex');
  private readonly cancels = new Set<Promise<void>>();
  sent = 0;
  abandonedBatches = 0;
  failedAttempts = 0;
  readonly latenciesMs: number[] = [];

  constructor(
    private readonly endpoints: Endpoints,
    private readonly options: ProducerOptions,
    private readonly sink: (event: HistoryEvent) => void,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Stops after the batch in flight (which is still retried to a known outcome). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  /** Resolves when `total` jobs are sent (or the producer is stopped). */
  done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    const started = Date.now();
    const { rate, batchSize, total = Infinity } = this.options;
    let endpoint = 0;
    while (!this.stopping && this.sent < total) {
      const batch = this.batch(Math.min(batchSize, total - this.sent));
      endpoint = await this.send(batch, endpoint);
      this.sent += batch.length;
      const due = started + (this.sent / rate) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    await Promise.all(this.cancels);
  }

  private batch(n: number): EnqueueRequest[] {
    const { queues, tenants, delayedRate = 0 } = this.options;
    return Array.from({ length: n }, (_, i) => {
      const k = this.sent + i;
      const delayed = Math.random() < delayedRate;
      return {
        queue: queues[k % queues.length]!,
        tenantId: tenants[Math.floor(Math.random() * tenants.length)]!,
        payload: Buffer.from(`${this.options.name} #${k}`),
        priority: Math.floor(Math.random() * 10),
        idempotencyKey: `${this.options.name}-${this.runId}-${k}`,
        ...(delayed ? { delay: seconds(Math.floor(Math.random() * 200)) } : {}),
      };
    });
  }

  /** Sends one batch until its outcome is known; returns the replica that answered. */
  private async send(requests: EnqueueRequest[], endpoint: number): Promise<number> {
    const giveUpAt = Date.now() + (this.options.retryForMs ?? 30_000);
    for (let attempt = 0; ; attempt++, endpoint++) {
      const client = this.endpoints.client(endpoint);
      const sentAt = Date.now();
      try {
        const res = await call<EnqueueBatchResponse__Output>((cb) =>
          client.enqueueBatch({ requests }, cb),
        );
        this.latenciesMs.push(Date.now() - sentAt);
        this.record(res, sentAt, endpoint);
        return endpoint;
      } catch (err) {
        this.failedAttempts += 1;
        if (outcomeOf(err) === 'INVALID_ARGUMENT') throw err; // a bug in this generator
        if (Date.now() > giveUpAt) {
          this.abandonedBatches += 1;
          return endpoint;
        }
        await sleep(Math.min(1000, 50 * 2 ** attempt));
      }
    }
  }

  private record(res: EnqueueBatchResponse__Output, at: number, endpoint: number): void {
    for (const r of res.results) {
      if (!r.job) throw new Error(`enqueue item failed: ${JSON.stringify(r.error)}`);
      this.sink({ kind: 'enqueue', jobId: r.job.jobId, at });
      if (Math.random() < (this.options.cancelRate ?? 0)) {
        const pending = this.cancel(r.job.jobId, endpoint);
        this.cancels.add(pending);
        void pending.finally(() => this.cancels.delete(pending));
      }
    }
  }

  private async cancel(jobId: string, endpoint: number): Promise<void> {
    const at = Date.now();
    let outcome = 'OK';
    try {
      await call((cb) => this.endpoints.client(endpoint).cancelJob({ jobId }, cb));
    } catch (err) {
      outcome = outcomeOf(err);
    }
    this.sink({ kind: 'cancel', jobId, at, outcome });
  }
}
