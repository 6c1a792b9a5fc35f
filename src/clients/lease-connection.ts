/**
 * One Lease stream of a Worker: opens it, counts credits, writes settles inline, and remembers the
 * inline settles the server has not confirmed. Settles and credits of one event-loop turn go out
 * as one message: jobs that finish together cost the server one ack call and one lease call.
 * A replica that is going away drops messages it has not read, so when the stream ends other
 * than cleanly the unconfirmed settles are handed back to be resent by unary call (fencing makes
 * the resend harmless if the first one went through). The server confirms by message number
 * (`settled_through`: the messages whose settles are all applied); an older server confirms
 * nothing, and then a settle is kept until its lease would have ended anyway.
 */
import {
  status as Status,
  type ClientDuplexStream,
  type Metadata,
  type StatusObject,
} from '@grpc/grpc-js';
import type { LeaseRequest } from '../generated/scheduler/v1/LeaseRequest';
import type { LeaseResponse__Output } from '../generated/scheduler/v1/LeaseResponse';
import type { LeasedJob__Output } from '../generated/scheduler/v1/LeasedJob';
import type { SettleResult__Output } from '../generated/scheduler/v1/SettleResult';
import { toDuration } from './convert';
import type { RawClient } from './proto';
import type { Settle } from './settle';

/** An inline settle and when its lease ends anyway (after which resending is pointless). */
export interface SentSettle {
  settle: Settle;
  expiresAt: number;
}

/** An inline settle as the connection remembers it: with the number of the message carrying it. */
interface Remembered extends SentSettle {
  message: number;
}

export interface LeaseConnectionEvents {
  onJobs(jobs: LeasedJob__Output[]): void;
  onSettleError(result: SettleResult__Output, sent: SentSettle | undefined): void;
  /** Jobs of this stream were cancelled: their leases are over. */
  onCancelled(leaseIds: string[]): void;
  /** The stream is over; `unconfirmed` holds the inline settles that may not have been applied. */
  onEnd(status: StatusObject, unconfirmed: SentSettle[]): void;
}

export class LeaseConnection {
  /** Credits granted on this stream and not used by a job yet. */
  outstanding = 0;
  /** Whether the server has answered at all (a job, headers or a settle error). */
  answered = false;
  readonly openedAt = Date.now();
  private halfClosed = false;
  private ended = false;
  private readonly call: ClientDuplexStream<LeaseRequest, LeaseResponse__Output>;
  /** Inline settles not confirmed yet, by lease id, in the order written (so by message). */
  private readonly sent = new Map<string, Remembered>();
  /** Messages written on this stream, `open` included: the next one is number written + 1. */
  private written = 0;
  /** What this turn wrote, sent as one message by flush() (scheduled with setImmediate). */
  private pending:
    | Required<Pick<LeaseRequest, 'credits' | 'acks' | 'nacks' | 'releases' | 'resultAcks'>>
    | undefined;

  constructor(client: RawClient, metadata: Metadata, events: LeaseConnectionEvents) {
    this.call = client.lease(metadata);
    this.call.on('metadata', () => (this.answered = true));
    this.call.on('data', (msg: LeaseResponse__Output) => {
      this.answered = true;
      for (const result of msg.settleErrors) {
        const sent = this.sent.get(result.leaseId);
        this.sent.delete(result.leaseId);
        events.onSettleError(result, sent);
      }
      // Decoded as a number (proto.ts), whatever the generated type says.
      const settledThrough = Number(msg.settledThrough);
      if (settledThrough > 0) this.confirm(settledThrough);
      if (msg.cancelled.length > 0) events.onCancelled(msg.cancelled);
      if (msg.jobs.length > 0) {
        this.outstanding = Math.max(0, this.outstanding - msg.jobs.length);
        events.onJobs(msg.jobs);
      }
    });
    this.call.on('error', () => undefined); // 'status' reports every ending
    this.call.on('status', (status: StatusObject) => {
      this.ended = true;
      // After a clean end following our half-close the server has applied every settle.
      const clean = status.code === Status.OK && this.halfClosed;
      const now = Date.now();
      const unconfirmed = clean ? [] : [...this.sent.values()].filter((s) => s.expiresAt > now);
      this.sent.clear();
      events.onEnd(status, unconfirmed);
    });
  }

  /** How many inline settles are remembered, not confirmed yet (for tests). */
  get unconfirmed(): number {
    return this.sent.size;
  }

  /** Whether settles and credits can still be written. */
  get writable(): boolean {
    return !this.halfClosed && !this.ended;
  }

  /** The first message: the queue, the visibility timeout and the first credits. */
  open(queue: string, visibilityMs: number, credits: number): void {
    this.outstanding += credits;
    this.written++;
    this.call.write({ queue, visibilityTimeout: toDuration(visibilityMs), credits });
  }

  /**
   * Grants `credits` more jobs, with an inline settle when one is given (its lease ends at
   * `expiresAt`, after which resending it is pointless); goes out with the rest of this turn's
   * writes. A settle is remembered at once, so one the stream never carried is handed back at its
   * end like any other unconfirmed settle.
   */
  write(credits: number, settle?: Settle, expiresAt = 0): void {
    if (!this.writable) return;
    this.pending ??= this.startTurn();
    this.pending.credits += credits;
    this.outstanding += credits;
    if (!settle) return;
    this.prune();
    // This turn's message: the next one written (flush).
    this.sent.set(settle.leaseId, { settle, expiresAt, message: this.written + 1 });
    if (settle.kind === 'ack' && settle.result)
      this.pending.resultAcks.push({ leaseId: settle.leaseId, result: settle.result });
    else if (settle.kind === 'ack') this.pending.acks.push(settle.leaseId);
    else
      this.pending.nacks.push({
        leaseId: settle.leaseId,
        error: settle.error,
        noRetry: settle.noRetry,
        snooze: settle.snooze ?? false,
        retryDelay: settle.retryDelayMs === undefined ? null : toDuration(settle.retryDelayMs),
      });
  }

  /**
   * Hands jobs back unstarted (ready again at once, no attempt counted), with this turn's writes.
   * Not resent if the stream dies first: those jobs come back when their lease ends.
   */
  release(leaseIds: string[]): void {
    if (!this.writable || leaseIds.length === 0) return;
    this.pending ??= this.startTurn();
    this.pending.releases.push(...leaseIds);
  }

  private startTurn(): NonNullable<LeaseConnection['pending']> {
    setImmediate(() => this.flush());
    return { credits: 0, acks: [], nacks: [], releases: [], resultAcks: [] };
  }

  /** Stops taking jobs: the server closes its side once it has applied our settles. */
  halfClose(): void {
    if (!this.writable) return;
    this.flush();
    this.halfClosed = true;
    this.call.end();
  }

  private flush(): void {
    const req = this.pending;
    this.pending = undefined;
    if (!req || !this.writable) return;
    this.written++;
    this.call.write(req);
  }

  cancel(): void {
    this.call.cancel();
  }

  /** Drops the remembered settles of messages 1..`through`: the server has applied them. */
  private confirm(through: number): void {
    for (const [leaseId, sent] of this.sent) {
      if (sent.message > through) return;
      this.sent.delete(leaseId);
    }
  }

  /**
   * Drops remembered settles whose lease is over, oldest first: bounds memory on a stream to a
   * server that confirms nothing (older than settled_through).
   */
  private prune(): void {
    const now = Date.now();
    for (const [leaseId, sent] of this.sent) {
      if (sent.expiresAt > now) return;
      this.sent.delete(leaseId);
    }
  }
}
