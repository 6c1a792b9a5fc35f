/**
 * Prometheus metrics of one server instance (its own registry, so several instances can share a
 * process in tests). Queue names come from clients: label values are capped so a client inventing
 * queue names cannot blow up the series count (the overflow is counted under `_other`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Distinct queue label values kept before new queues are folded into OTHER. */
export const MAX_QUEUE_LABELS = 200;
export const OTHER = '_other';

export class Metrics {
  readonly registry = new Registry();
  readonly rpcDuration = new Histogram({
    name: 'scheduler_rpc_duration_seconds',
    help: 'Duration of unary RPCs (and of Lease streams) by method and status code',
    labelNames: ['method', 'code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly jobsEnqueued = this.counter(
    'scheduler_jobs_enqueued_total',
    'Jobs enqueued (not duplicates)',
    true,
  );
  readonly jobsLeased = this.counter(
    'scheduler_jobs_leased_total',
    'Jobs sent on Lease streams',
    true,
  );
  readonly jobsAcked = this.counter(
    'scheduler_jobs_acked_total',
    'Leases acked (unary and inline)',
    false,
  );
  readonly jobsNacked = this.counter(
    'scheduler_jobs_nacked_total',
    'Leases nacked (unary and inline)',
    false,
  );
  readonly leaseStreams = new Gauge({
    name: 'scheduler_lease_streams',
    help: 'Open Lease streams',
    registers: [this.registry],
  });
  readonly redisUp = new Gauge({
    name: 'scheduler_redis_up',
    help: '1 while Redis answers, else 0',
    registers: [this.registry],
  });
  private readonly queues = new Set<string>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The label value for a queue: itself while there are few queues, else OTHER. */
  queue(queue: string): string {
    if (this.queues.has(queue)) return queue;
    if (this.queues.size >= MAX_QUEUE_LABELS) return OTHER;
    this.queues.add(queue);
    return queue;
  }

  /** Starts timing a call; the returned function records it with its final status name. */
  timeRpc(method: string): (code: string) => void {
    const end = this.rpcDuration.startTimer({ method });
    return (code) => void end({ code });
  }

  private counter(name: string, help: string, withTier: true): Counter<'queue' | 'tier'>;
  private counter(name: string, help: string, withTier: false): Counter<'queue'>;
  private counter(name: string, help: string, withTier: boolean): Counter<string> {
    const labelNames = withTier ? ['queue', 'tier'] : ['queue'];
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
