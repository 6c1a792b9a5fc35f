/**
 * Fires due schedule runs: a background component (start/stop) on every replica. Each look reads
 * the index of queues by earliest next run once (however many queues there are), visits the due
 * queues, and for each due schedule asks the store to fire its run: the store's script fires a
 * run only while it is still the schedule's next one, so replicas racing, or a replica restarting
 * mid-run, give one job per run. Between looks it sleeps until the next known run, at most
 * `pollMs` (a schedule upserted on another replica is seen within that). Nothing here throws:
 * store errors are logged and retried with backoff.
 *
 * A run fired within `missedRunGraceMs` of its time is on time, and runs that fell due meanwhile
 * follow one by one. A later run was missed (no replica was up, or all were stalled): with SKIP it
 * and every run up to now are skipped; with RUN_ONCE one job fires for them all, at the first
 * missed fire time. Either way the next run is the first one after now.
 */
import type { NewJob } from '../store';
import type { TierResolver } from '../tiers/resolver';
import { nextRun, runsBetween } from './cadence';
import type { Schedule } from './schedule';
import type { DueSchedule, ScheduleStore } from './store';

export interface ScheduleRunnerOptions {
  /** Longest sleep between looks at the index. */
  pollMs: number;
  /** How late a run may fire and still count as on time. */
  missedRunGraceMs: number;
  /** Most queues per look, and most schedules per queue per look. */
  batch: number;
  /** Most runs of one schedule fired in one look when it is catching up. */
  maxCatchUp: number;
  /** max_attempts of a run's job when its template leaves it 0. */
  defaultMaxAttempts: number;
  /** Backoff after a failed look: base * 2^n, capped. */
  retryBaseMs: number;
  retryCapMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: ScheduleRunnerOptions = {
  pollMs: 500,
  missedRunGraceMs: 10_000,
  batch: 100,
  maxCatchUp: 100,
  defaultMaxAttempts: 5,
  retryBaseMs: 100,
  retryCapMs: 5000,
};

/** What runs did, for metrics and for waking this replica's consumers at once. */
export interface RunObserver {
  fired(queue: string, jobId: string): void;
  skipped(queue: string, runs: number): void;
}

export interface RunnerLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/** Most skipped runs counted after a long downtime (counting walks the cron). */
const MAX_COUNTED_SKIPS = 10_000;

/** The idempotency key of a run's job: one per (schedule, fire time). */
export function runKey(scheduleId: string, fireTime: number): string {
  return `schedule:${scheduleId}:${fireTime}`;
}

export class ScheduleRunner {
  private readonly options: ScheduleRunnerOptions;
  private started = false;
  /** Set by stop(): a look in progress ends after the schedule it is on. */
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private failures = 0;

  constructor(
    private readonly store: ScheduleStore,
    private readonly tiers: TierResolver,
    private readonly observer: RunObserver,
    private readonly log: RunnerLog,
    options: Partial<ScheduleRunnerOptions> = {},
  ) {
    this.options = { ...DEFAULT_RUNNER_OPTIONS, ...options };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    this.sleep(0);
  }

  /** No new look starts; the one running finishes. */
  async stop(): Promise<void> {
    this.started = false;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /**
   * One look: fires every run due now. Returns ms until the next look should start. Public for
   * tests that pin the clock and step it.
   */
  async look(): Promise<number> {
    try {
      const now = await this.store.time();
      const { batch, pollMs } = this.options;
      const { queues, nextDue } = await this.store.dueQueues(now, batch);
      const more = await Promise.all(queues.map((queue) => this.visit(queue, now)));
      this.failures = 0;
      if (queues.length === batch || more.some(Boolean)) return 0;
      return nextDue === undefined ? pollMs : Math.min(Math.max(nextDue - now, 1), pollMs);
    } catch (err) {
      this.failures++;
      this.log.warn({ err, failures: this.failures }, 'schedule look failed');
      const { retryBaseMs, retryCapMs } = this.options;
      return Math.min(retryCapMs, retryBaseMs * 2 ** Math.min(this.failures - 1, 20));
    }
  }

  private sleep(ms: number): void {
    if (!this.started) return;
    this.timer = setTimeout(() => {
      this.current = this.look().then((next) => this.sleep(next));
    }, ms);
    this.timer.unref();
  }

  /** Fires a queue's due runs; true when it may have more than one look takes. */
  private async visit(queue: string, now: number): Promise<boolean> {
    const due = await this.store.dueSchedules(queue, now, this.options.batch);
    for (const item of due) {
      if (this.stopped) break;
      await this.catchUp(item, now);
    }
    await this.store.refreshQueue(queue);
    return due.length === this.options.batch;
  }

  /** Fires the schedule's due runs in order, until one is not due or not ours to fire. */
  private async catchUp({ schedule, version }: DueSchedule, now: number): Promise<void> {
    let fireTime: number | undefined = schedule.nextRunTime;
    for (let n = 0; fireTime !== undefined && fireTime <= now && n < this.options.maxCatchUp; n++) {
      fireTime = await this.runOnce(schedule, version, fireTime, now);
    }
  }

  /** One run; returns the next run time when this replica moved the schedule on, else undefined. */
  private async runOnce(
    schedule: Schedule,
    version: string,
    fireTime: number,
    now: number,
  ): Promise<number | undefined> {
    const missed = now - fireTime > this.options.missedRunGraceMs;
    const enqueue = !missed || schedule.missedRuns === 'run_once';
    const nextRunTime = nextRun(schedule, missed ? now : fireTime);
    const skipped = missed ? runsBetween(schedule, fireTime, now, MAX_COUNTED_SKIPS) : 0;
    const job = enqueue ? await this.job(schedule, fireTime) : undefined;
    const { queue, scheduleId } = schedule;
    const result = await this.store.fire({
      queue,
      scheduleId,
      version,
      fireTime,
      nextRunTime,
      job,
    });
    if (result.outcome === 'stale' || result.outcome === 'not_due') return undefined;
    const runs = skipped + (enqueue ? 0 : 1);
    if (runs > 0) {
      this.observer.skipped(queue, runs);
      this.log.info({ queue, scheduleId, runs, policy: schedule.missedRuns }, 'missed runs');
    }
    if (result.outcome === 'fired' && !result.duplicate) this.observer.fired(queue, result.jobId);
    return nextRunTime;
  }

  private async job(schedule: Schedule, fireTime: number): Promise<NewJob> {
    const t = schedule.template;
    return {
      queue: schedule.queue,
      tenantId: t.tenantId,
      payload: t.payload,
      priority: t.priority ?? 0,
      idempotencyKey: runKey(schedule.scheduleId, fireTime),
      delayMs: t.delayMs,
      maxAttempts: t.maxAttempts || this.options.defaultMaxAttempts,
      headers: t.headers,
      tier: await this.tiers.resolve(t.tenantId),
    };
  }
}
