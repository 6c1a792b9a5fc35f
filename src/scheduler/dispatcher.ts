/**
 * Serves many waiting consumers (Lease streams) with few lease calls. Consumers of one queue and
 * visibility timeout form a group; one `lease(queue, sum of wants)` call serves the whole group,
 * and its jobs are dealt round-robin. A group that got fewer jobs than it asked for sleeps until a
 * wake signal (an enqueue here or on another replica), a credit grant, or a timer at the store's
 * next due time: no polling loop. Redis errors back off and retry; nothing here throws.
 */
import { Group, Waiter, type GroupOwner } from './dispatch-group';
import type { LeaseBatch, LeasedJob } from './job';
import type { WakeSignal } from './store';

/** What the dispatcher needs of the domain: the Scheduler fits. */
export interface LeaseSource {
  lease(queue: string, count: number, visibilityMs: number): Promise<LeaseBatch>;
  release(leaseId: string): Promise<void>;
}

export interface DispatcherLog {
  warn(fields: object, message: string): void;
}

export interface DispatcherOptions {
  /** Most jobs one lease call asks for: bounds the size of a reply (payloads up to 1 MiB). */
  maxBatch: number;
  /** Longest idle sleep: a safety net for a lost pub/sub message. */
  maxIdleMs: number;
  /** Shortest sleep before a timed look, so a store answering "due now" cannot spin us. */
  minIdleMs: number;
  /** Backoff after a failed lease call: base * 2^n, capped. */
  retryBaseMs: number;
  retryCapMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  maxBatch: 100,
  maxIdleMs: 2000,
  minIdleMs: 10,
  retryBaseMs: 100,
  retryCapMs: 5000,
};

/** Receives jobs; called synchronously, never with more jobs than the consumer still wants. */
export interface Consumer {
  deliver(jobs: LeasedJob[]): void;
}

/** A consumer's registration: how it asks for more and says it is gone. */
export interface Subscription {
  /** Wants `n` more jobs (a worker's credits). */
  grant(n: number): void;
  /** Stop asking for jobs for now (the consumer's transport is backed up); resume() undoes. */
  pause(): void;
  resume(): void;
  close(): void;
  /** Jobs granted and not yet delivered. */
  readonly wanted: number;
}

export class Dispatcher {
  private stopped = true;
  private readonly options: DispatcherOptions;
  private readonly groups = new Map<string, Map<number, Group>>();
  private readonly inFlight = new Set<Promise<void>>();
  private unsubscribe: Array<() => void> = [];
  private readonly owner: GroupOwner;

  constructor(
    private readonly source: LeaseSource,
    private readonly wakes: readonly WakeSignal[],
    private readonly log: DispatcherLog,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
    this.owner = {
      isStopped: () => this.stopped,
      options: this.options,
      source,
      log,
      track: (run) => this.track(run),
      drop: (group) => this.drop(group),
      giveBack: (jobs) => this.giveBack(jobs),
    };
  }

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.wakes.map((wake) => wake.subscribe((queue) => this.notify(queue)));
  }

  /** Stops leasing; lease calls in flight finish and deliver to consumers still registered. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    for (const byVisibility of this.groups.values())
      for (const g of byVisibility.values()) g.clearTimer();
    await Promise.allSettled([...this.inFlight]);
  }

  /** A queue may have ready jobs: wake its consumers. */
  notify(queue: string): void {
    for (const group of this.groups.get(queue)?.values() ?? []) group.wake();
  }

  /** Wakes every group: after a pub/sub reconnect, when wake messages may have been missed. */
  notifyAll(): void {
    for (const queue of this.groups.keys()) this.notify(queue);
  }

  register(queue: string, visibilityMs: number, consumer: Consumer): Subscription {
    let byVisibility = this.groups.get(queue);
    if (!byVisibility) this.groups.set(queue, (byVisibility = new Map<number, Group>()));
    let group = byVisibility.get(visibilityMs);
    if (!group)
      byVisibility.set(visibilityMs, (group = new Group(queue, visibilityMs, this.owner)));
    const waiter = new Waiter(consumer, group);
    group.waiters.add(waiter);
    return waiter;
  }

  private drop(group: Group): void {
    const byVisibility = this.groups.get(group.queue);
    byVisibility?.delete(group.visibilityMs);
    if (byVisibility?.size === 0) this.groups.delete(group.queue);
  }

  private track(run: Promise<void>): void {
    const tracked = run.catch((err: unknown) => this.log.warn({ err }, 'dispatch loop failed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  /**
   * Jobs leased for consumers that left during the call go straight back, ready now and with
   * no attempt counted: they were never sent.
   */
  private giveBack(jobs: LeasedJob[]): void {
    for (const { leaseId, job } of jobs) {
      Promise.resolve()
        .then(() => this.source.release(leaseId))
        .catch((err: unknown) => this.log.warn({ err, jobId: job.id }, 'give-back failed'));
    }
  }
}
