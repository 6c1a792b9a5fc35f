/**
 * Serves many waiting consumers (Lease streams) with few lease calls. The consumers of one queue
 * form a group (dispatch-group.ts), whatever their visibility timeouts: one lease call serves the
 * whole group. A group that got fewer jobs than it asked for sleeps until a wake signal (an
 * enqueue here or on another replica), a credit grant, or a timer at the store's next due time:
 * no polling loop. Redis errors back off and retry; nothing here throws.
 */
import {
  QueueGroup,
  type AckOutcomes,
  type Consumer,
  type Deliver,
  type DispatcherLog,
  type DispatcherOptions,
  type GroupContext,
  type LeaseSource,
} from './dispatch-group';
import type { WakeSignal } from './store';

export { RIDE_MAX } from './dispatch-group';

export type { AckOutcomes, Consumer, Deliver, DispatcherLog, DispatcherOptions, LeaseSource };

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  maxBatch: 100,
  maxIdleMs: 2000,
  minIdleMs: 10,
  retryBaseMs: 100,
  retryCapMs: 5000,
};

export class Dispatcher {
  private stopped = true;
  private readonly ctx: GroupContext;
  private readonly groups = new Map<string, QueueGroup>();
  /** Groups stopped while their last lease call was in flight: stop() waits for them too. */
  private readonly stopping = new Set<Promise<void>>();
  private unsubscribe: Array<() => void> = [];

  constructor(
    source: LeaseSource,
    private readonly wakes: readonly WakeSignal[],
    log: DispatcherLog,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.ctx = { source, log, options: { ...DEFAULT_DISPATCHER_OPTIONS, ...options } };
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
    await Promise.all([...[...this.groups.values()].map((g) => g.stop()), ...this.stopping]);
  }

  /** A queue may have ready jobs: wake its consumers. */
  notify(queue: string): void {
    this.groups.get(queue)?.wake();
  }

  /** Wakes every group: after a pub/sub reconnect, when wake messages may have been missed. */
  notifyAll(): void {
    for (const group of this.groups.values()) group.wake();
  }

  /** A new consumer of `queue`, whose jobs are leased with `visibilityMs`. */
  register(queue: string, visibilityMs: number, deliver: Deliver): Consumer {
    let group = this.groups.get(queue);
    if (!group) {
      group = new QueueGroup(queue, this.ctx, (empty) => this.drop(empty));
      this.groups.set(queue, group);
      if (this.stopped) void group.stop();
    }
    return group.add(visibilityMs, deliver);
  }

  /** The group's last consumer left: forget it, letting a lease call in flight finish. */
  private drop(group: QueueGroup): void {
    if (this.groups.get(group.queue) === group) this.groups.delete(group.queue);
    const done = group.stop();
    this.stopping.add(done);
    void done.finally(() => this.stopping.delete(done));
  }
}
