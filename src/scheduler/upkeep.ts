/**
 * The upkeep timer: keeps states and stats true for queues no worker leases from. A lease call
 * moves due delayed jobs and expired leases back itself, so a queue with workers needs nothing
 * more; without them an expired lease would stay LEASED, a due job SCHEDULED, and a dead job
 * past retention counted. Every `intervalMs` this takes the queues whose next due work has come
 * (an index kept by the store, see redis/upkeep-index.ts) and runs each one's upkeep: one claim
 * call per round however many queues exist, and nothing for a queue with nothing due.
 *
 * Every replica runs one. A claim hides a queue from the others for `claimMs`, and two running the
 * same queue anyway (a claim that ran out) is harmless: each upkeep is one atomic script.
 */
import type { UpkeepStore } from './store';

export interface UpkeepLog {
  warn(fields: object, message: string): void;
}

/** Told of every queue upkeep run (metrics). */
export type UpkeepObserver = (outcome: 'ok' | 'failed') => void;

export interface UpkeepOptions {
  /** Time between rounds: due work is handled within about this long. */
  intervalMs: number;
  /** Queues taken per claim; a full claim is followed by another, up to maxClaimsPerRound. */
  batch: number;
  maxClaimsPerRound: number;
  /** How long a claimed queue is hidden from other replicas (a replica dying mid-round). */
  claimMs: number;
}

export const DEFAULT_UPKEEP_OPTIONS: UpkeepOptions = {
  intervalMs: 1000,
  batch: 100,
  maxClaimsPerRound: 10,
  claimMs: 30_000,
};

export class Upkeep {
  private readonly options: UpkeepOptions;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = true;
  private failing = false;
  constructor(
    private readonly store: UpkeepStore,
    private readonly log: UpkeepLog,
    options: Partial<UpkeepOptions> = {},
    private readonly observe: UpkeepObserver = () => undefined,
  ) {
    this.options = { ...DEFAULT_UPKEEP_OPTIONS, ...options };
  }

  /**
   * Starts the rounds. Every known queue is marked due first, for work due before the index
   * existed or lost with it; with Redis down that is retried by the first round that works.
   */
  start(): void {
    this.stopped = false;
    this.round = this.seed().then(() => this.schedule());
  }

  /** Stops the rounds; resolves once a round in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round now: claims due queues and runs their upkeep. Resolves when done. */
  async runOnce(): Promise<void> {
    for (let claims = 0; claims < this.options.maxClaimsPerRound; claims++) {
      const queues = await this.store.claimDue(this.options.batch, this.options.claimMs);
      await Promise.all(queues.map((queue) => this.visit(queue)));
      // A stop ends the round; the queues left stay due for the next round (here or elsewhere).
      if (queues.length < this.options.batch || this.stopped) return;
    }
  }

  private async seed(): Promise<void> {
    try {
      await this.store.markAllDue();
      this.seeded = true;
    } catch (err) {
      this.report(err);
    }
  }

  private seeded = false;

  private schedule(): void {
    if (this.stopped) return;
    // Jitter, so replicas started together do not claim in step.
    const delay = this.options.intervalMs * (0.75 + Math.random() / 2);
    this.timer = setTimeout(() => {
      this.round = this.tick().then(() => this.schedule());
    }, delay).unref();
  }

  private async tick(): Promise<void> {
    try {
      if (!this.seeded) await this.seed();
      await this.runOnce();
      if (this.failing) this.log.warn({}, 'upkeep works again');
      this.failing = false;
    } catch (err) {
      this.report(err);
    }
  }

  private async visit(queue: string): Promise<void> {
    try {
      await this.store.upkeep(queue);
      this.observe('ok');
    } catch (err) {
      this.observe('failed');
      // The claim runs out and a later round (here or on another replica) tries again.
      this.log.warn({ err, queue }, 'queue upkeep failed');
    }
  }

  /** One warning per failure streak (Redis down would log every round otherwise). */
  private report(err: unknown): void {
    if (!this.failing) this.log.warn({ err }, 'upkeep failed; retrying every round');
    this.failing = true;
  }
}
