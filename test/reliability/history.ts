/**
 * The record a reliability run keeps of everything its clients saw: enqueues, deliveries, the
 * outcome of every ack, nack and cancel, the faults it injected, and each job's final state read
 * back at the end. The checker (checker.ts) judges a run from this record alone, so a run in
 * several processes (child-process workers) only has to ship its events here as JSON lines.
 *
 * Times are the recording process's wall clock in ms. Deadlines are the server's
 * `lease_expire_time`, i.e. Redis's clock: both are CLOCK_REALTIME of the same machine, so
 * "the delivery came after the previous lease's deadline" can be compared directly.
 */

/**
 * The outcome of a settle call as the client saw it: a gRPC status name (`OK`,
 * `FAILED_PRECONDITION`, `UNAVAILABLE`, ...), or:
 * - `UNCONFIRMED`: an inline ack on a stream that broke before the server could report on it;
 * - `KILLED`: the worker died before the answer came.
 */
export type Outcome = string;

/** Outcomes after which the call may or may not have taken effect. */
const INDETERMINATE = new Set([
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'CANCELLED',
  'INTERNAL',
  'UNKNOWN',
  'UNCONFIRMED',
  'KILLED',
]);

export function isIndeterminate(outcome: Outcome): boolean {
  return INDETERMINATE.has(outcome);
}

export interface EnqueueEvent {
  kind: 'enqueue';
  jobId: string;
  at: number;
}

export interface DeliverEvent {
  kind: 'deliver';
  jobId: string;
  leaseId: string;
  worker: string;
  at: number;
  /** lease_expire_time, on Redis's clock. */
  deadline: number;
  /** Job.attempt: orders the deliveries of one job even when they are recorded out of order. */
  attempt: number;
}

export interface SettleEvent {
  kind: 'ack' | 'nack';
  jobId: string;
  leaseId: string;
  worker: string;
  /** When the call was sent. */
  at: number;
  outcome: Outcome;
  /** Nacks only: dead-letter now. */
  noRetry?: boolean;
  /** Sent inline on the Lease stream rather than as a unary call. */
  inline?: boolean;
}

export interface CancelEvent {
  kind: 'cancel';
  jobId: string;
  at: number;
  outcome: Outcome;
}

/** A fault the run injected: a worker process killed, a stream cut, a replica killed... */
export interface FaultEvent {
  kind: 'fault';
  fault: 'worker-killed' | 'stream-cut' | 'replica-killed' | 'redis-restarted' | 'other';
  /** The worker whose leases the fault orphaned, if it concerns one. */
  worker?: string;
  at: number;
  note?: string;
}

/** The job's state read back after the run: a JobState name without prefix, or NOT_FOUND. */
export interface FinalEvent {
  kind: 'final';
  jobId: string;
  state: string;
  lastError: string;
}

export type HistoryEvent =
  EnqueueEvent | DeliverEvent | SettleEvent | CancelEvent | FaultEvent | FinalEvent;

/** `<queue>/<n>/<token>` -> `<queue>/<n>` (see src/scheduler/ids.ts). */
export function jobIdOfLease(leaseId: string): string {
  return leaseId.slice(0, leaseId.lastIndexOf('/'));
}

/**
 * A settle call about to be sent: recorders announce it first, so that if the worker dies before
 * the answer comes the call is still on record (as KILLED, i.e. maybe applied).
 */
export const PENDING = 'PENDING';

function pendingKey(e: SettleEvent): string {
  return `${e.kind} ${e.leaseId} ${e.at}`;
}

/** An append-only event log. Cheap enough to record every event of a 100k-job run. */
export class History {
  readonly events: HistoryEvent[] = [];
  private readonly pending = new Map<string, SettleEvent>();

  /** Records an event; a PENDING settle waits for its outcome (same kind, lease and time). */
  add(event: HistoryEvent): void {
    if (event.kind === 'ack' || event.kind === 'nack') {
      const key = pendingKey(event);
      if (event.outcome === PENDING) {
        this.pending.set(key, event);
        return;
      }
      this.pending.delete(key);
    }
    this.events.push(event);
  }

  /** A worker died: the calls it had sent and not heard back from are KILLED (maybe applied). */
  abandon(worker?: string): void {
    for (const [key, e] of this.pending) {
      if (worker !== undefined && e.worker !== worker) continue;
      this.pending.delete(key);
      this.events.push({ ...e, outcome: 'KILLED' });
    }
  }

  /** A sink for recorders elsewhere (workers, producers). */
  readonly sink = (event: HistoryEvent): void => this.add(event);

  fault(fault: FaultEvent['fault'], worker?: string, note?: string): void {
    this.add({
      kind: 'fault',
      fault,
      at: Date.now(),
      ...(worker ? { worker } : {}),
      ...(note ? { note } : {}),
    });
  }

  /** The ids of every job the run knows it enqueued, in order, without repeats. */
  enqueuedJobIds(): string[] {
    const ids = new Set<string>();
    for (const e of this.events) if (e.kind === 'enqueue') ids.add(e.jobId);
    return [...ids];
  }

  count(kind: HistoryEvent['kind']): number {
    return this.events.reduce((n, e) => n + (e.kind === kind ? 1 : 0), 0);
  }
}
