/**
 * One load run against a set of replicas: producers and in-process workers feeding one History,
 * then drain (wait until no job is pending, scheduled or leased), read back every job's final
 * state, and hand the history to the checker. Fault tests inject their fault between start() and
 * drain(); the checker then says whether anything was lost, double-acked or redelivered without
 * cause.
 */
import type { GetJobResponse__Output } from '../../src/generated/scheduler/v1/GetJobResponse';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import { check, type CheckOptions, type Verdict } from './checker';
import { History } from './history';
import { LoadWorker, type WorkerOptions } from './load-worker';
import { Producer, type ProducerOptions } from './producer';
import { Endpoints, call, outcomeOf, percentile, sleep } from './rpc';

export interface RunOptions {
  addresses: readonly string[];
  queues: readonly string[];
  tenants?: readonly string[];
  producers?: number;
  /** Jobs per second over all producers. */
  rate: number;
  batchSize?: number;
  /** Jobs over all producers; unset: produce until stopProducing(). */
  total?: number;
  delayedRate?: number;
  cancelRate?: number;
  workersPerQueue?: number;
  /** Options of every in-process worker. */
  worker: Omit<WorkerOptions, 'name' | 'queue' | 'home'>;
  /** Deadline of unary calls (default 3 s). */
  deadlineMs?: number;
}

export interface RunReport {
  verdict: Verdict;
  /** Latencies in ms, p50 / p99 / max. */
  enqueueMs: Percentiles;
  /** From the enqueue call to the accepted ack. */
  endToEndMs: Percentiles;
  producerRetries: number;
  abandonedBatches: number;
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export class LoadRun {
  readonly history = new History();
  readonly endpoints: Endpoints;
  readonly producers: Producer[] = [];
  readonly workers: LoadWorker[] = [];
  private nextWorker = 0;

  constructor(private readonly options: RunOptions) {
    this.endpoints = new Endpoints(options.addresses, options.deadlineMs);
    const n = options.producers ?? 1;
    for (let i = 0; i < n; i++) {
      const producer: ProducerOptions = {
        name: `p${i}`,
        queues: options.queues,
        tenants: options.tenants ?? ['acme', 'globex', 'initech', 'umbrella'],
        rate: options.rate / n,
        batchSize: options.batchSize ?? 20,
        delayedRate: options.delayedRate,
        cancelRate: options.cancelRate,
        ...(options.total === undefined ? {} : { total: Math.ceil(options.total / n) }),
      };
      this.producers.push(new Producer(this.endpoints, producer, this.history.sink));
    }
    for (const queue of options.queues)
      for (let k = 0; k < (options.workersPerQueue ?? 1); k++) this.addWorker(queue);
  }

  /** Another in-process worker (started by start(), or at once if the run is going). */
  addWorker(queue: string, overrides: Partial<WorkerOptions> = {}, startNow = false): LoadWorker {
    const i = this.nextWorker++;
    const worker = new LoadWorker(
      this.endpoints,
      { ...this.options.worker, name: `w${i}`, queue, home: i, ...overrides },
      this.history.sink,
    );
    this.workers.push(worker);
    if (startNow) worker.start();
    return worker;
  }

  start(): void {
    for (const w of this.workers) w.start();
    for (const p of this.producers) p.start();
  }

  /** Waits for producers with a `total` to finish, or stops endless ones. */
  async stopProducing(): Promise<void> {
    if (this.options.total === undefined) await Promise.all(this.producers.map((p) => p.stop()));
    else await Promise.all(this.producers.map((p) => p.done()));
  }

  /** Waits until no job of the run's queues is pending, scheduled or leased. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; Date.now() < deadline; i++) {
      if ((await this.busyJobs(i)) === 0) return true;
      await sleep(200);
    }
    return false;
  }

  /** Stops the workers (they finish what they hold) and reads back every job's final state. */
  async finish(checkOptions: CheckOptions = {}): Promise<RunReport> {
    await Promise.all(this.workers.map((w) => w.stop()));
    this.history.abandon(); // calls never answered (none, unless a worker hung)
    await this.readFinalStates();
    this.endpoints.close();
    return this.report(checkOptions);
  }

  private async busyJobs(attempt: number): Promise<number> {
    let busy = 0;
    for (const queue of this.options.queues) {
      try {
        const s = await call<GetQueueStatsResponse__Output>((cb) =>
          this.endpoints.client(attempt).getQueueStats({ queue }, cb),
        );
        const c = s.counts!;
        busy += Number(c.pending) + Number(c.scheduled) + Number(c.leased);
      } catch {
        return -1; // unknown: look again
      }
    }
    return busy;
  }

  private async readFinalStates(): Promise<void> {
    const ids = this.history.enqueuedJobIds();
    const worker = async (slice: string[]): Promise<void> => {
      for (const jobId of slice) this.history.add(await this.finalState(jobId));
    };
    const lanes = 32;
    await Promise.all(
      Array.from({ length: lanes }, (_, k) => worker(ids.filter((_, i) => i % lanes === k))),
    );
  }

  private async finalState(jobId: string): Promise<{
    kind: 'final';
    jobId: string;
    state: string;
    lastError: string;
  }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { job } = await call<GetJobResponse__Output>((cb) =>
          this.endpoints.client(attempt).getJob({ jobId }, cb),
        );
        const state = String(job!.state).replace('JOB_STATE_', '');
        return { kind: 'final', jobId, state, lastError: job!.lastError };
      } catch (err) {
        const outcome = outcomeOf(err);
        if (outcome === 'NOT_FOUND' || attempt >= 10)
          return { kind: 'final', jobId, state: outcome, lastError: '' };
        await sleep(200);
      }
    }
  }

  private report(checkOptions: CheckOptions): RunReport {
    const enqueueAt = new Map<string, number>();
    const ackAt = new Map<string, number>();
    for (const e of this.history.events) {
      if (e.kind === 'enqueue' && !enqueueAt.has(e.jobId)) enqueueAt.set(e.jobId, e.at);
      if (e.kind === 'ack' && e.outcome === 'OK') ackAt.set(e.jobId, e.at);
    }
    const endToEnd = [...ackAt].map(([id, at]) => at - (enqueueAt.get(id) ?? at));
    return {
      verdict: check(this.history, checkOptions),
      enqueueMs: percentiles(this.producers.flatMap((p) => p.latenciesMs)),
      endToEndMs: percentiles(endToEnd),
      producerRetries: this.producers.reduce((n, p) => n + p.failedAttempts, 0),
      abandonedBatches: this.producers.reduce((n, p) => n + p.abandonedBatches, 0),
    };
  }
}

export function percentiles(values: readonly number[]): Percentiles {
  return {
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : 0,
  };
}

/** A one-line summary of a report, for test output and docs. */
export function describeReport(name: string, r: RunReport): string {
  const f = r.verdict.figures;
  return (
    `${name}: ${r.verdict.ok ? 'OK' : 'VIOLATIONS'}; jobs ${f.jobs}, deliveries ${f.deliveries}, ` +
    `duplicates ${f.duplicates.total} (expired ${f.duplicates.expired}, nacked ${f.duplicates.nacked}, ` +
    `killed ${f.duplicates.killed}), acked ${f.settled.acked}, dead ${f.settled.dead}, ` +
    `cancelled ${f.settled.cancelled}, acks accepted/rejected/unknown ` +
    `${f.acks.accepted}/${f.acks.rejected}/${f.acks.indeterminate}, violations ${r.verdict.violations.length}; ` +
    `enqueue p99 ${r.enqueueMs.p99} ms, end-to-end p50/p99 ${r.endToEndMs.p50}/${r.endToEndMs.p99} ms, ` +
    `producer retries ${r.producerRetries}` +
    (f.unrecordedJobs ? `, jobs delivered but never seen enqueued ${f.unrecordedJobs}` : '')
  );
}
