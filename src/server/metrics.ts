/**
 * Prometheus metrics of one server instance (its own registry, so several instances can share a
 * process in tests). Queue names come from clients: label values are capped so a client inventing
 * queue names cannot blow up the series count (the overflow is counted under `_other`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { queueOfId } from '../scheduler/ids';
import type { LeasedJob } from '../scheduler/job';
import type { RunObserver } from '../scheduler/schedules/runner';
import type { BreakerState, TierObserver } from '../scheduler/tiers/events';
import { watchQueues, type QueueStatsSource } from './queue-metrics';

const BREAKER_STATES: BreakerState[] = ['closed', 'half_open', 'open'];

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
  readonly scheduleRunsFired = this.counter(
    'scheduler_schedule_runs_fired_total',
    'Schedule runs that enqueued a job (by this replica)',
    false,
  );
  readonly scheduleRunsSkipped = this.counter(
    'scheduler_schedule_runs_skipped_total',
    'Schedule runs missed and not enqueued (policy SKIP, or folded into one RUN_ONCE job)',
    false,
  );
  readonly leaseStreams = new Gauge({
    name: 'scheduler_lease_streams',
    help: 'Open Lease streams',
    registers: [this.registry],
  });
  readonly watchStreams = new Gauge({
    name: 'scheduler_watch_streams',
    help: 'Open WatchJob streams (at most MAX_WATCHERS per replica)',
    registers: [this.registry],
  });
  readonly queueStreams = new Gauge({
    name: 'scheduler_queue_lease_streams',
    help: 'Open Lease streams on this replica by queue (a queue with backlog and none has no worker)',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  readonly tierWeight = new Gauge({
    name: 'scheduler_tier_weight',
    help: 'Configured fair-share weight of each tier (TIER_WEIGHTS)',
    labelNames: ['tier'] as const,
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
  readonly upkeepRuns = new Counter({
    name: 'scheduler_upkeep_queues_total',
    help: 'Queue upkeeps run by the upkeep timer (due work of queues with no worker), by outcome',
    labelNames: ['outcome'] as const,
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

  /** Counts schedule runs; `onFired` also hears each fired run (to wake this replica's streams). */
  runObserver(onFired: (queue: string) => void): RunObserver {
    return {
      fired: (queue) => {
        this.scheduleRunsFired.inc({ queue: this.queue(queue) });
        onFired(queue);
      },
      skipped: (queue, runs) => this.scheduleRunsSkipped.inc({ queue: this.queue(queue) }, runs),
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

  /** The queue metrics read from Redis at scrape time (queue-metrics.ts). */
  watchQueues(source: QueueStatsSource): void {
    watchQueues(this.registry, source, MAX_QUEUE_LABELS);
  }

  /** The configured tier weights, for the dashboard's share-against-weight panel. */
  setTierWeights(weights: ReadonlyMap<string, number>): void {
    for (const [tier, weight] of weights) this.tierWeight.set({ tier }, weight);
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
