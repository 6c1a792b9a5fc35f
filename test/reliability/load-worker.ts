/**
 * A worker for the load generator: holds a Lease stream on one queue, "works" on each job for a
 * random while, then acks (unary, or inline on the stream), nacks for a retry, or nacks to the
 * dead-letter set. Every delivery and every settle outcome goes to the history sink. When its
 * stream breaks it reconnects, to the next replica, with backoff; unary settles that fail with
 * an indeterminate status are retried on the next replica until the lease's deadline.
 *
 * It deliberately uses raw grpc-js rather than the SDK (src/clients), so that what the history
 * records is exactly what went over the wire.
 */
import { status, type StatusObject } from '@grpc/grpc-js';
import type { LeaseResponse__Output } from '../../src/generated/scheduler/v1/LeaseResponse';
import type { LeasedJob__Output } from '../../src/generated/scheduler/v1/LeasedJob';
import { LeaseStream } from '../helpers/lease-stream';
import { seconds } from '../helpers/server';
import { PENDING, isIndeterminate, type HistoryEvent, type SettleEvent } from './history';
import { call, outcomeOf, sleep, type Endpoints } from './rpc';

export interface WorkerOptions {
  name: string;
  queue: string;
  visibilityMs: number;
  /** Jobs held at once. */
  credits: number;
  /** Time spent on a job, uniformly in [min, max] ms. */
  workMs: [number, number];
  /** Fractions of jobs nacked for a retry, and nacked with no_retry (dead-lettered). */
  nackRate?: number;
  deadRate?: number;
  /** Fraction of acks sent inline on the stream instead of as a unary Ack. */
  inlineRate?: number;
  /** The replica to stream from first. */
  home?: number;
}

interface Stream {
  call: LeaseStream;
  open: boolean;
  /** Inline acks the server has not reported on: leaseId -> the event to record. */
  inline: Map<string, SettleEvent>;
}

interface Held {
  job: LeasedJob__Output;
  deadline: number;
  abandoned: boolean;
}

export class LoadWorker {
  private stream: Stream | undefined;
  private endpoint: number;
  private failures = 0;
  private stopping = false;
  private readonly held = new Map<string, Held>();
  private readonly streamDone = new Set<Promise<void>>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  delivered = 0;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly options: WorkerOptions,
    private readonly sink: (event: HistoryEvent) => void,
  ) {
    this.endpoint = options.home ?? 0;
  }

  get name(): string {
    return this.options.name;
  }

  get holding(): number {
    return this.held.size;
  }

  start(): void {
    this.open();
  }

  /**
   * Cuts the stream client-side (CANCELLED), as a network failure or a crash would. With
   * `abandon`, the jobs held are dropped unacked (a dead worker: they return after their lease
   * expires); without, they are still finished and acked by unary calls.
   */
  cut(abandon: boolean): void {
    if (abandon) for (const h of this.held.values()) h.abandoned = true;
    if (abandon) this.held.clear();
    this.stream?.call.cancel();
  }

  /** Finishes the jobs held (for at most `graceMs`), then half-closes the stream. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    const deadline = Date.now() + graceMs;
    while (this.held.size > 0 && Date.now() < deadline) await sleep(20);
    this.stream?.call.end();
    await Promise.race([Promise.all(this.streamDone), sleep(Math.max(0, deadline - Date.now()))]);
    this.stream?.call.cancel();
  }

  private open(): void {
    const first = {
      queue: this.options.queue,
      visibilityTimeout: seconds(this.options.visibilityMs),
      credits: Math.max(0, this.options.credits - this.held.size),
    };
    const call = new LeaseStream(this.endpoints.client(this.endpoint), first, {
      onMessage: (msg) => this.onMessage(stream, msg),
    });
    const stream: Stream = { call, open: true, inline: new Map() };
    this.stream = stream;
    this.streamDone.add(call.status.then((s: StatusObject) => this.onEnd(stream, s)));
  }

  private onMessage(stream: Stream, msg: LeaseResponse__Output): void {
    this.failures = 0;
    for (const e of msg.settleErrors) {
      const pending = stream.inline.get(e.leaseId);
      if (!pending) continue;
      stream.inline.delete(e.leaseId);
      this.sink({ ...pending, outcome: status[e.error?.code ?? status.UNKNOWN] ?? 'UNKNOWN' });
    }
    const now = Date.now();
    for (const leased of msg.jobs) {
      const job = leased.job!;
      const deadline =
        Number(leased.leaseExpireTime?.seconds ?? 0) * 1000 +
        (leased.leaseExpireTime?.nanos ?? 0) / 1e6;
      this.delivered += 1;
      this.sink({
        kind: 'deliver',
        jobId: job.id,
        leaseId: leased.leaseId,
        worker: this.name,
        at: now,
        deadline,
        attempt: job.attempt,
      });
      const held: Held = { job: leased, deadline, abandoned: false };
      this.held.set(leased.leaseId, held);
      const [min, max] = this.options.workMs;
      setTimeout(() => void this.finish(held), min + Math.random() * (max - min));
    }
  }

  /** The server reported every inline ack it failed when it ends a stream itself; else unknown. */
  private onEnd(stream: Stream, s: StatusObject): void {
    stream.open = false;
    const outcome = s.code === status.OK ? 'OK' : 'UNCONFIRMED';
    for (const pending of stream.inline.values()) this.sink({ ...pending, outcome });
    stream.inline.clear();
    if (this.stream !== stream || this.stopping) return;
    this.failures += 1;
    this.endpoint += 1;
    const delay = Math.min(1000, 50 * 2 ** Math.min(this.failures, 5));
    this.reconnectTimer = setTimeout(() => {
      if (!this.stopping) this.open();
    }, delay);
  }

  private async finish(held: Held): Promise<void> {
    if (held.abandoned) return;
    const { nackRate = 0, deadRate = 0, inlineRate = 0 } = this.options;
    const roll = Math.random();
    const leaseId = held.job.leaseId;
    if (roll < deadRate) await this.settle('nack', held, true);
    else if (roll < deadRate + nackRate) await this.settle('nack', held, false);
    else if (Math.random() < inlineRate && this.stream?.open) this.ackInline(held);
    else await this.settle('ack', held, false);
    if (held.abandoned) return;
    this.held.delete(leaseId);
    if (this.stream?.open && !this.stopping) this.stream.call.send({ credits: 1 });
  }

  private ackInline(held: Held): void {
    const stream = this.stream!;
    const event = this.event('ack', held, { inline: true });
    // On record before it is sent: if this process dies, the ack is still known (as maybe applied).
    this.sink({ ...event, outcome: PENDING });
    stream.inline.set(event.leaseId, event);
    stream.call.send({ acks: [event.leaseId] });
  }

  /** A unary settle, retried on the next replica while the outcome is unknown and the lease lives. */
  private async settle(kind: 'ack' | 'nack', held: Held, noRetry: boolean): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const event = this.event(kind, held, kind === 'nack' ? { noRetry } : {});
      this.sink({ ...event, outcome: PENDING });
      const client = this.endpoints.client(this.endpoint + attempt);
      let outcome: string;
      try {
        if (kind === 'ack') await call((cb) => client.ack({ leaseId: event.leaseId }, cb));
        else
          await call((cb) =>
            client.nack(
              {
                leaseId: event.leaseId,
                error: 'load test nack',
                noRetry,
                retryDelay: seconds(Math.floor(Math.random() * 100)),
              },
              cb,
            ),
          );
        outcome = 'OK';
      } catch (err) {
        outcome = outcomeOf(err);
      }
      this.sink({ ...event, outcome });
      // A worker that "died" sends nothing more; one whose lease is over has nothing to settle.
      if (!isIndeterminate(outcome) || held.abandoned || Date.now() > held.deadline) return;
      await sleep(Math.min(500, 50 * 2 ** attempt));
    }
  }

  private event(kind: 'ack' | 'nack', held: Held, extra: Partial<SettleEvent>): SettleEvent {
    const { leaseId, job } = held.job;
    return {
      kind,
      jobId: job!.id,
      leaseId,
      worker: this.name,
      at: Date.now(),
      outcome: PENDING,
      ...extra,
    };
  }
}
