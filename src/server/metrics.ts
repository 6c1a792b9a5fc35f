/**
 * Prometheus metrics of one server instance (its own registry, so several instances can share a
 * process in tests). Queue names come from clients: label values are capped so a client inventing
 * queue names cannot blow up the series count (the overflow is counted under `_other`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { queueOfId } from '../scheduler/ids';
import type { LeasedJob, QueueStats } from '../scheduler/job';
import type { BreakerState, TierObserver } from '../scheduler/tiers/events';

const BREAKER_STATES: BreakerState[] = ['closed', 'half_open', 'open'];

/** Where queue depths come from at scrape time: the Scheduler fits. */
export interface QueueStatsSource {
  queues(): Promise<string[]>;
  stats(queue: string): Promise<QueueStats>;
}

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
  readonly leaseWait = new Histogram({
    name: 'scheduler_lease_wait_seconds',
    help: 'Time from enqueue (or due time) to first lease, by tier',
    labelNames: ['tier'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300, 1800, 3600],
    registers: [this.registry],
  });
  readonly redisErrors = new Counter({
    name: 'scheduler_redis_errors_total',
    help: 'Errors reported by the Redis connection',
    registers: [this.registry],
  });
  readonly tierLookups = new Counter({
    name: 'scheduler_tier_lookups_total',
    help: 'Tier queries to MongoDB by outcome (rejected: the breaker was open)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly tierCache = new Counter({
    name: 'scheduler_tier_cache_requests_total',
    help: 'Tier cache lookups by result (hit or miss); the hit ratio is hit / (hit + miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly tierFallbacks = new Counter({
    name: 'scheduler_tier_fallbacks_total',
    help: 'Tenants given a stale or default tier because MongoDB did not answer, by reason',
    labelNames: ['reason', 'source'] as const,
    registers: [this.registry],
  });
  readonly tierBreaker = new Gauge({
    name: 'scheduler_tier_breaker_state',
    help: 'State of the MongoDB circuit breaker: 1 for the current state, 0 for the others',
    labelNames: ['state'] as const,
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

  /** Feeds the tier resolver's events into the tier metrics. */
  tierObserver(): TierObserver {
    this.setBreaker('closed');
    return (event) => {
      if (event.type === 'cache_hit') this.tierCache.inc({ result: 'hit' }, event.count);
      else if (event.type === 'cache_miss') this.tierCache.inc({ result: 'miss' }, event.count);
      else if (event.type === 'lookup') this.tierLookups.inc({ outcome: event.outcome });
      else if (event.type === 'fallback')
        this.tierFallbacks.inc({ reason: event.reason, source: event.source }, event.count);
      else if (event.type === 'breaker_state') this.setBreaker(event.state);
    };
  }

  private setBreaker(current: BreakerState): void {
    for (const state of BREAKER_STATES) this.tierBreaker.set({ state }, state === current ? 1 : 0);
  }

  /**
   * Counts jobs of one queue sent on a stream. The wait is measured on Redis's clock: the lease
   * started at its deadline minus the visibility timeout. Only first deliveries count: a retry's
   * wait includes its backoff, which is not queueing.
   */
  observeLeased(queue: string, jobs: LeasedJob[], visibilityMs: number): void {
    // One increment per tier, not per job: a labelled inc hashes its labels each time.
    const label = this.queue(queue);
    for (const [tier, n] of tally(jobs, ({ job }) => job.tier))
      this.jobsLeased.inc({ queue: label, tier }, n);
    for (const { job, leaseExpireTime } of jobs) {
      const ready = job.scheduledTime ?? job.enqueueTime;
      if (job.attempt === 1)
        this.leaseWait.observe(
          { tier: job.tier },
          Math.max(0, leaseExpireTime - visibilityMs - ready) / 1000,
        );
    }
  }

  /**
   * Queue depth by state and tier and the age of the oldest ready job, read from Redis when
   * Prometheus scrapes (one stats script per known queue, capped like the queue label).
   */
  watchQueues(source: QueueStatsSource): void {
    // prom-client collects all metrics concurrently: both gauges share one read per scrape.
    let reading: Promise<void> | undefined;
    const read = async (): Promise<void> => {
      const queues = (await source.queues()).slice(0, MAX_QUEUE_LABELS);
      const all: QueueStats[] = await Promise.all(queues.map((q) => source.stats(q)));
      depth.reset();
      oldest.reset();
      for (const g of control) g.reset();
      for (const stats of all) {
        const queue = { queue: stats.queue };
        paused.set(queue, stats.paused ? 1 : 0);
        pausedTenants.set(queue, stats.pausedTenants.length);
        atCap.set(queue, stats.tenantsAtCap);
        for (const tier of stats.tiers) {
          const labels = { queue: stats.queue, tier: tier.tier };
          for (const [state, n] of Object.entries(tier.counts) as Array<[string, number]>) {
            depth.set({ ...labels, state }, n);
          }
          oldest.set(labels, tier.oldestReadyAgeMs / 1000);
        }
      }
    };
    const collect = (): Promise<void> => (reading ??= read().finally(() => (reading = undefined)));
    const depth = new Gauge({
      name: 'scheduler_queue_jobs',
      help: 'Jobs in each state, by queue and tier, read at scrape time',
      labelNames: ['queue', 'tier', 'state'] as const,
      registers: [this.registry],
      collect,
    });
    const oldest = new Gauge({
      name: 'scheduler_queue_oldest_ready_age_seconds',
      help: 'Age of the oldest ready job, by queue and tier, read at scrape time',
      labelNames: ['queue', 'tier'] as const,
      registers: [this.registry],
      collect,
    });
    const queueGauge = (name: string, help: string): Gauge<'queue'> =>
      new Gauge({ name, help, labelNames: ['queue'], registers: [this.registry], collect });
    const paused = queueGauge(
      'scheduler_queue_paused',
      '1 while the whole queue is paused (PauseQueue), else 0',
    );
    const pausedTenants = queueGauge(
      'scheduler_queue_paused_tenants',
      'Tenants of the queue paused one by one',
    );
    const atCap = queueGauge(
      'scheduler_queue_tenants_at_cap',
      'Tenants at their concurrency cap, skipped by leases until a slot frees',
    );
    const control = [paused, pausedTenants, atCap];
  }

  /** Counts settled leases (acks or nacks), one increment per queue. */
  countSettled(counter: Counter<'queue'>, leaseIds: string[]): void {
    for (const [queue, n] of tally(leaseIds, queueOfId))
      counter.inc({ queue: this.queue(queue) }, n);
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

/** How many items share each key. */
function tally<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
