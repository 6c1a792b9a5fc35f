/**
 * The metrics of each queue read from Redis when Prometheus scrapes (one stats script per known
 * queue, capped like the queue label): depth by state and tier, the oldest ready age, the
 * autoscaling signals and the queue's own event totals. They are the queue's, not one replica's,
 * so every replica reports the same values: aggregate them with max, not sum.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { QueueStats } from '../scheduler/job';

/** Where queue depths come from at scrape time: the Scheduler fits. */
export interface QueueStatsSource {
  queues(): Promise<string[]>;
  stats(queue: string): Promise<QueueStats>;
}

/** Registers the queue metrics on `registry`, read from `source` for its first `maxQueues` queues. */
export function watchQueues(registry: Registry, source: QueueStatsSource, maxQueues: number): void {
  // prom-client collects all metrics concurrently: they share one read per scrape.
  let reading: Promise<void> | undefined;
  const collect = (): Promise<void> => (reading ??= read().finally(() => (reading = undefined)));
  const gauge = <L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> =>
    new Gauge({ name, help, labelNames, registers: [registry], collect });
  const total = (name: string, help: string): Counter<'queue' | 'tier'> =>
    new Counter({ name, help, labelNames: ['queue', 'tier'], registers: [registry], collect });

  const depth = gauge(
    'scheduler_queue_jobs',
    'Jobs in each state, by queue and tier, read at scrape time',
    ['queue', 'tier', 'state'],
  );
  const oldest = gauge(
    'scheduler_queue_oldest_ready_age_seconds',
    'Age of the oldest ready job, by queue and tier, read at scrape time',
    ['queue', 'tier'],
  );
  const backlog = gauge(
    'scheduler_queue_backlog',
    'Jobs a worker could take now (ready, plus scheduled past due), by queue, read at scrape time',
    ['queue'],
  );
  const addRate = gauge(
    'scheduler_queue_add_rate',
    'Jobs enqueued per second over about the last minute, by queue, read at scrape time',
    ['queue'],
  );
  const dispatchRate = gauge(
    'scheduler_queue_dispatch_rate',
    'Jobs leased per second over about the last minute, by queue, read at scrape time',
    ['queue'],
  );
  const expired = total(
    'scheduler_queue_leases_expired_total',
    'Leases that expired unsettled since the queue was created, by queue and tier (Redis totals)',
  );
  const deadLettered = total(
    'scheduler_queue_dead_lettered_total',
    'Jobs dead-lettered since the queue was created, by queue and tier (Redis totals)',
  );

  const paused = gauge(
    'scheduler_queue_paused',
    '1 while the whole queue is paused (PauseQueue), else 0',
    ['queue'],
  );
  const pausedTenants = gauge(
    'scheduler_queue_paused_tenants',
    'Tenants of the queue paused one by one',
    ['queue'],
  );
  const atCap = gauge(
    'scheduler_queue_tenants_at_cap',
    'Tenants at their concurrency cap, skipped by leases until a slot frees',
    ['queue'],
  );
  const readErrors = new Counter({
    name: 'scheduler_queue_stats_errors_total',
    help: 'Scrapes whose queue metrics could not be read from Redis (they are left out)',
    registers: [registry],
    collect, // after this scrape's read, so it counts that read
  });
  const metrics = [depth, oldest, backlog, addRate, dispatchRate, expired, deadLettered];
  metrics.push(paused, pausedTenants, atCap);

  /**
   * A failed read (Redis unreachable) leaves the queue series out of this scrape instead of
   * failing it: the rest, scheduler_redis_up = 0 first, must still reach Prometheus, or the
   * alert on it could never fire. Stale queue values are not kept: they would read as live.
   */
  async function read(): Promise<void> {
    let all: QueueStats[] = [];
    try {
      const queues = (await source.queues()).slice(0, maxQueues);
      all = await Promise.all(queues.map((q) => source.stats(q)));
    } catch {
      // scheduler_redis_up and scheduler_redis_errors_total say why; no log line per scrape.
      readErrors.inc();
    }
    for (const metric of metrics) metric.reset();
    for (const stats of all) {
      const queue = { queue: stats.queue };
      backlog.set(queue, stats.backlog);
      addRate.set(queue, stats.addRate);
      dispatchRate.set(queue, stats.dispatchRate);
      paused.set(queue, stats.paused ? 1 : 0);
      pausedTenants.set(queue, stats.pausedTenants.length);
      atCap.set(queue, stats.tenantsAtCap);
      for (const tier of stats.tiers) {
        const labels = { queue: stats.queue, tier: tier.tier };
        for (const [state, n] of Object.entries(tier.counts) as Array<[string, number]>)
          depth.set({ ...labels, state }, n);
        oldest.set(labels, tier.oldestReadyAgeMs / 1000);
        // Counters set from Redis's totals: reset above, then raised to the total.
        expired.inc(labels, tier.expiredTotal);
        deadLettered.inc(labels, tier.deadTotal);
      }
    }
  }
}
