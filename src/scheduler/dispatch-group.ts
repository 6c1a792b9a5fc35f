/**
 * The consumers of one queue and the loop that feeds them. One lease call asks for what they
 * want together, each job with its consumer's visibility timeout, planned round-robin before the
 * call; then again at once if the batch came back full, or asleep until a kick (wake signal,
 * credit grant) or a timer if it did not. However many timeouts the consumers use, one wake costs
 * one lease call per full batch.
 *
 * Acks the consumers' workers send with their credits ride on that same call, applied before the
 * lease, so a worker's cycle (ack some, take more) is one store call. Acks that find no call to
 * ride on (nobody wants jobs) go alone, and so do more than RIDE_MAX at once: a call's reply waits
 * for all its work, and a big batch of acks is better applied while the leased jobs travel (the
 * fixed cost a separate call adds is then small beside the acks' own).
 *
 * This module imports nothing from dispatcher.ts: the Dispatcher owns groups, not the reverse.
 */
import type { SchedulerError } from './errors';
import type { AckBatch, LeaseBatch, LeasedJob } from './job';

/** What the dispatcher needs of the domain: the Scheduler fits. */
export interface LeaseSource {
  /** `visibilityMs[i]` is the i-th leased job's timeout; `acks` are applied first. */
  lease(
    queue: string,
    count: number,
    visibilityMs: readonly number[],
    acks?: AckBatch,
  ): Promise<LeaseBatch>;
  /** Acks alone, when no lease call is due. */
  ackLeases(queue: string, acks: AckBatch): Promise<AckOutcomes>;
  release(leaseId: string): Promise<void>;
}

/** Most acks that ride on a lease call; more go alone, after it (see above). */
export const RIDE_MAX = 32;

/** One outcome per ack: undefined when acked. */
export type AckOutcomes = Array<SchedulerError | undefined>;

/** Acks waiting for the group's next call, and who waits for their outcomes. */
interface PendingAcks {
  acks: AckBatch;
  resolve: (outcomes: AckOutcomes) => void;
  reject: (err: unknown) => void;
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

/** What every group of a dispatcher shares. */
export interface GroupContext {
  readonly source: LeaseSource;
  readonly options: DispatcherOptions;
  readonly log: DispatcherLog;
}

/** Receives jobs; called synchronously, never with more jobs than its consumer still wants. */
export type Deliver = (jobs: LeasedJob[]) => void;

/** One waiting receiver of jobs (a Lease stream): what it wants, and how it asks. */
export class Consumer {
  /** Jobs granted and not yet delivered. */
  wanted = 0;
  /** Asks for nothing while its transport is backed up; resume() undoes. */
  paused = false;
  closed = false;

  constructor(
    readonly visibilityMs: number,
    readonly deliver: Deliver,
    private readonly group: QueueGroup,
  ) {}

  get queue(): string {
    return this.group.queue;
  }

  /** Acks of this queue: applied with the group's next lease call, or alone if none is due. */
  ack(acks: AckBatch): Promise<AckOutcomes> {
    return this.group.ack(acks);
  }

  /** Wants `n` more jobs (a worker's credits). */
  grant(n: number): void {
    if (this.closed || n <= 0) return;
    this.wanted += n;
    this.group.kick();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.group.kick();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.group.remove(this);
  }

  /** May take jobs now: open, not backed up, and wanting more. */
  get taking(): boolean {
    return !this.closed && !this.paused && this.wanted > 0;
  }
}

export class QueueGroup {
  readonly consumers = new Set<Consumer>();
  private stopped = false;
  /** The loop's promise while it runs. */
  private running: Promise<void> | undefined;
  /** Set when something happened during a lease call that may mean more jobs: look again. */
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private backingOff = false;
  private turn = 0;
  private pendingAcks: PendingAcks[] = [];

  constructor(
    readonly queue: string,
    private readonly ctx: GroupContext,
    /** Called when the last consumer left. */
    private readonly onEmpty: (group: QueueGroup) => void,
  ) {}

  add(visibilityMs: number, deliver: Deliver): Consumer {
    const consumer = new Consumer(visibilityMs, deliver, this);
    this.consumers.add(consumer);
    return consumer;
  }

  /**
   * Acks for the next call. A grant made in the same turn (a worker's message carries both)
   * starts that call; else a kick at the end of the turn does, unless the loop is held up
   * (backing off, stopped): then they go alone at once.
   */
  ack(acks: AckBatch): Promise<AckOutcomes> {
    return new Promise((resolve, reject) => {
      this.pendingAcks.push({ acks, resolve, reject });
      if (this.stopped || this.backingOff) return this.ackAlone();
      queueMicrotask(() => {
        if (this.pendingAcks.length === 0) return;
        if (this.running && !this.acksRide()) this.ackAlone();
        else this.kick();
      });
    });
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.backingOff) return;
    this.clearTimer();
    this.running = this.run()
      .catch((err: unknown) => this.ctx.log.warn({ err, queue: this.queue }, 'dispatch failed'))
      .finally(() => this.loopEnded());
  }

  /**
   * The queue may have ready jobs, and Redis is answering: wakes come from an enqueue that worked
   * or a pub/sub message. So a backoff from failed lease calls ends now, rather than up to
   * retryCapMs after Redis returned (see test/reliability/redis.test.ts).
   */
  wake(): void {
    if (this.backingOff) {
      this.backingOff = false;
      this.clearTimer();
    }
    this.kick();
  }

  remove(consumer: Consumer): void {
    this.consumers.delete(consumer);
    if (this.consumers.size === 0) {
      this.clearTimer();
      this.onEmpty(this);
    }
  }

  /** Leases no more; resolves when the lease call in flight (if any) was dealt. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.running;
    this.ackAlone();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private loopEnded(): void {
    this.running = undefined;
    if (this.again) this.kick();
  }

  private async run(): Promise<void> {
    for (;;) {
      this.again = false;
      const plan = this.stopped ? [] : this.plan();
      if (plan.length === 0) {
        this.ackAlone();
        return;
      }
      const visibilities = plan.map((c) => c.visibilityMs);
      const riding = this.acksRide() ? this.takeAcks() : undefined;
      const call = this.lease(plan.length, visibilities, riding);
      this.ackAlone(); // too many to ride: they follow the lease call
      const batch = await call;
      if (!batch) return;
      this.deal(plan, batch.jobs);
      if (batch.jobs.length < plan.length && !this.again) {
        this.sleep(batch.nextWakeInMs ?? this.ctx.options.maxIdleMs);
        return;
      }
    }
  }

  /** Whether the pending acks are few enough to ride on a lease call (RIDE_MAX). */
  private acksRide(): boolean {
    let n = 0;
    for (const w of this.pendingAcks) n += w.acks.leases.length;
    return n <= RIDE_MAX;
  }

  /** The pending acks as one batch, and their waiters; none when there are none. */
  private takeAcks(): { batch: AckBatch; waiters: PendingAcks[] } | undefined {
    const waiters = this.pendingAcks;
    if (waiters.length === 0) return undefined;
    this.pendingAcks = [];
    if (waiters.length === 1) return { batch: waiters[0]!.acks, waiters };
    const batch: AckBatch = {
      leases: waiters.flatMap((w) => w.acks.leases),
      results: waiters.flatMap((w) => w.acks.leases.map((_, i) => w.acks.results[i])),
    };
    return { batch, waiters };
  }

  /** Sends the pending acks in a call of their own. */
  private ackAlone(): void {
    const taken = this.takeAcks();
    if (!taken) return;
    this.ctx.source.ackLeases(this.queue, taken.batch).then(
      (outcomes) => settleWaiters(taken.waiters, outcomes),
      (err: unknown) => taken.waiters.forEach((w) => w.reject(err)),
    );
  }

  /**
   * Who gets the i-th job of the next call: the consumers taking jobs, round-robin, each as often
   * as it wants, up to maxBatch; starting one further each time so no one is always served first.
   */
  private plan(): Consumer[] {
    const takers = [...this.consumers].filter((c) => c.taking);
    if (takers.length === 0) return [];
    const start = this.turn++ % takers.length;
    const order = [...takers.slice(start), ...takers.slice(0, start)];
    const left = order.map((c) => c.wanted);
    const plan: Consumer[] = [];
    for (let round = true; round && plan.length < this.ctx.options.maxBatch;) {
      round = false;
      for (let k = 0; k < order.length && plan.length < this.ctx.options.maxBatch; k++) {
        if (left[k]! === 0) continue;
        left[k]! -= 1;
        plan.push(order[k]!);
        round = true;
      }
    }
    return plan;
  }

  private async lease(
    count: number,
    visibilities: number[],
    acks: { batch: AckBatch; waiters: PendingAcks[] } | undefined,
  ): Promise<LeaseBatch | undefined> {
    try {
      const batch = await this.ctx.source.lease(this.queue, count, visibilities, acks?.batch);
      this.failures = 0;
      if (acks) settleWaiters(acks.waiters, batch.ackErrors ?? []);
      return batch;
    } catch (err) {
      acks?.waiters.forEach((w) => w.reject(err));
      this.failures += 1;
      if (this.failures === 1)
        this.ctx.log.warn({ err, queue: this.queue }, 'lease failed; retrying');
      this.backOff();
      return undefined;
    }
  }

  private backOff(): void {
    const { retryBaseMs, retryCapMs } = this.ctx.options;
    const delay = Math.min(retryCapMs, retryBaseMs * 2 ** Math.min(this.failures - 1, 20));
    this.backingOff = true;
    this.clearTimer();
    this.ackAlone(); // acks that came during the failed call do not wait out the backoff
    this.timer = setTimeout(
      () => {
        this.backingOff = false;
        this.timer = undefined;
        this.kick();
      },
      delay * (0.5 + Math.random() / 2),
    ).unref();
  }

  private sleep(ms: number): void {
    const { minIdleMs, maxIdleMs } = this.ctx.options;
    this.clearTimer();
    const delay = Math.max(minIdleMs, Math.min(ms, maxIdleMs));
    this.timer = setTimeout(() => this.kick(), delay).unref();
  }

  /**
   * The i-th job goes to the consumer planned for it. One that left, paused or wants no more
   * during the call is replaced by another taking consumer with the same visibility timeout (the
   * job's deadline was set for it); with none, the job goes back, ready at once and with no
   * attempt counted: it was never sent.
   */
  private deal(plan: Consumer[], jobs: LeasedJob[]): void {
    const parcels = new Map<Consumer, LeasedJob[]>();
    const room = (c: Consumer): boolean => c.taking && c.wanted > (parcels.get(c)?.length ?? 0);
    const left: LeasedJob[] = [];
    jobs.forEach((job, i) => {
      const planned = plan[i]!;
      const taker = room(planned)
        ? planned
        : [...this.consumers].find((c) => c.visibilityMs === planned.visibilityMs && room(c));
      if (!taker) return void left.push(job);
      const parcel = parcels.get(taker);
      if (parcel) parcel.push(job);
      else parcels.set(taker, [job]);
    });
    for (const [consumer, parcel] of parcels) this.hand(consumer, parcel);
    if (left.length > 0) this.giveBack(left);
  }

  private hand(consumer: Consumer, jobs: LeasedJob[]): void {
    consumer.wanted -= jobs.length;
    try {
      consumer.deliver(jobs);
    } catch (err) {
      // The consumer owns these leases now; they come back after the visibility timeout.
      this.ctx.log.warn({ err, queue: this.queue }, 'consumer failed to take jobs');
    }
  }

  private giveBack(jobs: LeasedJob[]): void {
    for (const { leaseId, job } of jobs) {
      Promise.resolve()
        .then(() => this.ctx.source.release(leaseId))
        .catch((err: unknown) => this.ctx.log.warn({ err, jobId: job.id }, 'give-back failed'));
    }
  }
}

/** Hands each waiter its slice of the outcomes (they were sent in waiter order). */
function settleWaiters(waiters: PendingAcks[], outcomes: AckOutcomes): void {
  let at = 0;
  for (const w of waiters) {
    const n = w.acks.leases.length;
    w.resolve(outcomes.slice(at, at + n));
    at += n;
  }
}
