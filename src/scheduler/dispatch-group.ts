/**
 * The consumers of one (queue, visibility timeout) and the loop that feeds them: one lease call
 * for the sum of what they want, dealt round-robin; then again at once if the batch came back
 * full, or asleep until a kick (wake signal, credit grant) or a timer if it did not.
 */
import type {
  Consumer,
  DispatcherLog,
  DispatcherOptions,
  LeaseSource,
  Subscription,
} from './dispatcher';
import type { LeaseBatch, LeasedJob } from './job';

/** What a group needs of its dispatcher. */
export interface GroupOwner {
  isStopped(): boolean;
  readonly options: DispatcherOptions;
  readonly source: LeaseSource;
  readonly log: DispatcherLog;
  /** Keeps a running loop so stop() can wait for it. */
  track(run: Promise<void>): void;
  /** The group's last consumer left. */
  drop(group: Group): void;
  /** Jobs nobody wants any more. */
  giveBack(jobs: LeasedJob[]): void;
}

export class Waiter implements Subscription {
  wanted = 0;
  paused = false;
  closed = false;

  constructor(
    readonly consumer: Consumer,
    private readonly group: Group,
  ) {}

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
}

export class Group {
  readonly waiters = new Set<Waiter>();
  private running = false;
  /** Set when something happened during a lease call that may mean more jobs: look again. */
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private backingOff = false;
  private turn = 0;

  constructor(
    readonly queue: string,
    readonly visibilityMs: number,
    private readonly owner: GroupOwner,
  ) {}

  kick(): void {
    if (this.owner.isStopped()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.backingOff) return;
    this.clearTimer();
    this.running = true;
    this.owner.track(this.run().finally(() => this.settle()));
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

  remove(waiter: Waiter): void {
    this.waiters.delete(waiter);
    if (this.waiters.size === 0) {
      this.clearTimer();
      this.owner.drop(this);
    }
  }

  clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private settle(): void {
    this.running = false;
    if (this.again) this.kick();
  }

  private async run(): Promise<void> {
    for (;;) {
      this.again = false;
      const want = Math.min(this.owner.options.maxBatch, this.demand());
      if (want === 0 || this.owner.isStopped()) return;
      const batch = await this.lease(want);
      if (!batch) return;
      this.deal(batch.jobs);
      if (batch.jobs.length < want && !this.again) {
        this.sleep(batch.nextWakeInMs ?? this.owner.options.maxIdleMs);
        return;
      }
    }
  }

  private demand(): number {
    let total = 0;
    for (const w of this.waiters) if (!w.paused) total += w.wanted;
    return total;
  }

  private async lease(want: number): Promise<LeaseBatch | undefined> {
    try {
      const batch = await this.owner.source.lease(this.queue, want, this.visibilityMs);
      this.failures = 0;
      return batch;
    } catch (err) {
      this.failures += 1;
      if (this.failures === 1)
        this.owner.log.warn({ err, queue: this.queue }, 'lease failed; retrying');
      this.backOff();
      return undefined;
    }
  }

  private backOff(): void {
    const { retryBaseMs, retryCapMs } = this.owner.options;
    const delay = Math.min(retryCapMs, retryBaseMs * 2 ** Math.min(this.failures - 1, 20));
    this.backingOff = true;
    this.clearTimer();
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
    const { minIdleMs, maxIdleMs } = this.owner.options;
    this.clearTimer();
    const delay = Math.max(minIdleMs, Math.min(ms, maxIdleMs));
    this.timer = setTimeout(() => this.kick(), delay).unref();
  }

  /** Round-robin, starting one further each time so no consumer is always served first. */
  private deal(jobs: LeasedJob[]): void {
    const takers = [...this.waiters].filter((w) => !w.closed && w.wanted > 0);
    const start = this.turn++ % Math.max(1, takers.length);
    const order = [...takers.slice(start), ...takers.slice(0, start)];
    const parcels: Parcel[] = order.map((waiter) => ({ waiter, jobs: [] }));
    const left: LeasedJob[] = [];
    let at = 0;
    for (const job of jobs) {
      const k = nextWithRoom(parcels, at);
      if (k === undefined) {
        left.push(job);
      } else {
        parcels[k]!.jobs.push(job);
        at = k + 1;
      }
    }
    for (const { waiter, jobs: parcel } of parcels) this.hand(waiter, parcel);
    if (left.length > 0) this.owner.giveBack(left);
  }

  private hand(waiter: Waiter, jobs: LeasedJob[]): void {
    if (jobs.length === 0) return;
    waiter.wanted -= jobs.length;
    try {
      waiter.consumer.deliver(jobs);
    } catch (err) {
      // The consumer owns these leases now; they come back after the visibility timeout.
      this.owner.log.warn({ err, queue: this.queue }, 'consumer failed to take jobs');
    }
  }
}

interface Parcel {
  waiter: Waiter;
  jobs: LeasedJob[];
}

/** The index of the first parcel from `from` on (circularly) whose consumer wants more. */
function nextWithRoom(parcels: Parcel[], from: number): number | undefined {
  for (let k = 0; k < parcels.length; k++) {
    const i = (from + k) % parcels.length;
    const { waiter, jobs } = parcels[i]!;
    if (jobs.length < waiter.wanted) return i;
  }
  return undefined;
}
