/**
 * Judges a run from its History (history.ts). What it proves, job by job:
 *
 * 1. Nothing is lost: every enqueued job ends acked exactly once (an ack the server accepted), or
 *    dead with a reason (last_error), or cancelled on request. A job with neither is `lost` when
 *    the server no longer knows it and `unfinished` when it is still queued (the run did not wait
 *    for it: a harness problem rather than a server one, but it fails the check all the same).
 * 2. Fencing: at most one ack is accepted per job, and an accepted ack carries the lease id of the
 *    job's LAST delivery. An ack accepted on an older lease means two workers both "owned" it.
 * 3. At-least-once without spurious repeats: a job delivered again after an accepted ack means the
 *    ack was lost; any other repeat delivery must be explained by the previous lease having
 *    expired (its deadline, on Redis's clock, passed before the repeat arrived), by a nack of it,
 *    or, failing those, by the death of the worker or stream that held it.
 *
 * Outcomes that may or may not have taken effect (UNAVAILABLE, a killed worker...) count as
 * neither accepted nor rejected: the job's final state, read back after the run, decides.
 */
import {
  isIndeterminate,
  type DeliverEvent,
  type FaultEvent,
  History,
  type HistoryEvent,
  type SettleEvent,
} from './history';

export type ViolationKind =
  | 'lost'
  | 'unfinished'
  | 'double-ack'
  | 'stale-ack'
  | 'ack-of-unknown-lease'
  | 'delivered-after-ack'
  | 'acked-but-not-succeeded'
  | 'unexplained-duplicate'
  | 'succeeded-without-ack'
  | 'dead-without-reason'
  | 'cancelled-without-request';

export interface Violation {
  kind: ViolationKind;
  jobId: string;
  detail: string;
}

export interface Figures {
  jobs: number;
  deliveries: number;
  /** Deliveries after a job's first, and what explained them. */
  duplicates: { total: number; expired: number; nacked: number; killed: number };
  acks: { accepted: number; rejected: number; indeterminate: number };
  nacks: { accepted: number; rejected: number; indeterminate: number };
  /** How each job ended. */
  settled: { acked: number; dead: number; cancelled: number };
  /** Jobs delivered that no enqueue in the history returned (e.g. an enqueue whose reply was lost). */
  unrecordedJobs: number;
  faults: number;
}

export interface Verdict {
  ok: boolean;
  violations: Violation[];
  figures: Figures;
}

export interface CheckOptions {
  /**
   * Slack, in ms, when comparing a delivery's (client) time with the previous lease's (Redis)
   * deadline. 0 on one machine: both read the same wall clock.
   */
  clockToleranceMs?: number;
}

interface JobRecord {
  enqueued: boolean;
  deliveries: DeliverEvent[];
  acks: SettleEvent[];
  nacks: SettleEvent[];
  cancels: Array<{ outcome: string }>;
  final?: { state: string; lastError: string };
}

function emptyRecord(): JobRecord {
  return { enqueued: false, deliveries: [], acks: [], nacks: [], cancels: [] };
}

function byJob(events: readonly HistoryEvent[]): Map<string, JobRecord> {
  const jobs = new Map<string, JobRecord>();
  const get = (id: string): JobRecord => {
    let rec = jobs.get(id);
    if (!rec) jobs.set(id, (rec = emptyRecord()));
    return rec;
  };
  for (const e of events) {
    if (e.kind === 'enqueue') get(e.jobId).enqueued = true;
    else if (e.kind === 'deliver') get(e.jobId).deliveries.push(e);
    else if (e.kind === 'ack') get(e.jobId).acks.push(e);
    else if (e.kind === 'nack') get(e.jobId).nacks.push(e);
    else if (e.kind === 'cancel') get(e.jobId).cancels.push(e);
    else if (e.kind === 'final') get(e.jobId).final = { state: e.state, lastError: e.lastError };
  }
  for (const rec of jobs.values())
    rec.deliveries.sort((a, b) => a.attempt - b.attempt || a.at - b.at);
  return jobs;
}

/** Checks a history; see the file comment for what is proved. */
export function check(
  history: History | readonly HistoryEvent[],
  options: CheckOptions = {},
): Verdict {
  const events: readonly HistoryEvent[] = history instanceof History ? history.events : history;
  const faults = events.filter((e): e is FaultEvent => e.kind === 'fault');
  const judge = new Judge(faults, options.clockToleranceMs ?? 0);
  for (const [jobId, rec] of byJob(events)) judge.job(jobId, rec);
  return {
    ok: judge.violations.length === 0,
    violations: judge.violations,
    figures: judge.figures,
  };
}

class Judge {
  readonly violations: Violation[] = [];
  readonly figures: Figures = {
    jobs: 0,
    deliveries: 0,
    duplicates: { total: 0, expired: 0, nacked: 0, killed: 0 },
    acks: { accepted: 0, rejected: 0, indeterminate: 0 },
    nacks: { accepted: 0, rejected: 0, indeterminate: 0 },
    settled: { acked: 0, dead: 0, cancelled: 0 },
    unrecordedJobs: 0,
    faults: 0,
  };

  constructor(
    private readonly faults: readonly FaultEvent[],
    private readonly toleranceMs: number,
  ) {
    this.figures.faults = faults.length;
  }

  job(jobId: string, rec: JobRecord): void {
    if (rec.enqueued) this.figures.jobs += 1;
    else if (rec.deliveries.length > 0) this.figures.unrecordedJobs += 1;
    this.figures.deliveries += rec.deliveries.length;
    tally(this.figures.acks, rec.acks);
    tally(this.figures.nacks, rec.nacks);
    const accepted = rec.acks.filter((a) => a.outcome === 'OK');
    this.fencing(jobId, rec, accepted);
    this.duplicates(jobId, rec, accepted);
    if (rec.enqueued) this.settlement(jobId, rec, accepted);
  }

  private flag(kind: ViolationKind, jobId: string, detail: string): void {
    this.violations.push({ kind, jobId, detail });
  }

  private fencing(jobId: string, rec: JobRecord, accepted: SettleEvent[]): void {
    if (accepted.length > 1) {
      const leases = accepted.map((a) => a.leaseId).join(', ');
      this.flag('double-ack', jobId, `${accepted.length} acks accepted (leases ${leases})`);
    }
    const last = rec.deliveries.at(-1);
    for (const ack of accepted) {
      const delivery = rec.deliveries.find((d) => d.leaseId === ack.leaseId);
      if (!delivery) {
        this.flag(
          'ack-of-unknown-lease',
          jobId,
          `accepted ack of lease ${ack.leaseId}, never delivered`,
        );
      } else if (delivery !== last && !this.redeliveredAfter(rec, delivery, ack)) {
        this.flag(
          'stale-ack',
          jobId,
          `ack of lease ${ack.leaseId} (attempt ${delivery.attempt}) accepted although attempt ` +
            `${last?.attempt} (lease ${last?.leaseId}) had been delivered`,
        );
      }
    }
  }

  /** Whether a later delivery than `delivery` arrived after `ack` was sent (an ack that got lost). */
  private redeliveredAfter(rec: JobRecord, delivery: DeliverEvent, ack: SettleEvent): boolean {
    return rec.deliveries.some((d) => d.attempt > delivery.attempt && d.at > ack.at);
  }

  private duplicates(jobId: string, rec: JobRecord, accepted: SettleEvent[]): void {
    for (let i = 1; i < rec.deliveries.length; i++) {
      const prev = rec.deliveries[i - 1]!;
      const next = rec.deliveries[i]!;
      this.figures.duplicates.total += 1;
      if (accepted.some((a) => a.leaseId === prev.leaseId && a.at < next.at)) {
        this.flag(
          'delivered-after-ack',
          jobId,
          `lease ${prev.leaseId} was acked (accepted), yet the job came again as attempt ${next.attempt}`,
        );
      } else if (next.at + this.toleranceMs >= prev.deadline) {
        this.figures.duplicates.expired += 1;
      } else if (
        rec.nacks.some((n) => n.leaseId === prev.leaseId && mayHaveTakenEffect(n.outcome))
      ) {
        this.figures.duplicates.nacked += 1;
      } else if (this.killedBetween(prev, next)) {
        this.figures.duplicates.killed += 1;
      } else {
        this.flag(
          'unexplained-duplicate',
          jobId,
          `attempt ${next.attempt} delivered to ${next.worker} at ${next.at}, ` +
            `${prev.deadline - next.at} ms before lease ${prev.leaseId} of ${prev.worker} expired`,
        );
      }
    }
  }

  /** The holder of `prev` was killed (or its stream cut) after taking it, before `next` came. */
  private killedBetween(prev: DeliverEvent, next: DeliverEvent): boolean {
    return this.faults.some((f) => f.worker === prev.worker && f.at >= prev.at && f.at <= next.at);
  }

  private settlement(jobId: string, rec: JobRecord, accepted: SettleEvent[]): void {
    const final = rec.final;
    if (accepted.length > 0) {
      this.figures.settled.acked += 1;
      if (final && final.state !== 'SUCCEEDED') {
        this.flag('acked-but-not-succeeded', jobId, `acked, but its final state is ${final.state}`);
      }
      return;
    }
    switch (final?.state) {
      case 'SUCCEEDED':
        if (rec.acks.some((a) => isIndeterminate(a.outcome))) this.figures.settled.acked += 1;
        else
          this.flag(
            'succeeded-without-ack',
            jobId,
            'succeeded, but no ack of it can have been accepted',
          );
        return;
      case 'DEAD':
        if (final.lastError !== '') this.figures.settled.dead += 1;
        else this.flag('dead-without-reason', jobId, 'dead with an empty last_error');
        return;
      case 'CANCELLED':
        if (rec.cancels.some((c) => mayHaveTakenEffect(c.outcome)))
          this.figures.settled.cancelled += 1;
        else this.flag('cancelled-without-request', jobId, 'cancelled, but nobody asked');
        return;
      case undefined:
      case 'NOT_FOUND':
        this.flag(
          'lost',
          jobId,
          `never acked, and ${final ? 'the server does not know it' : 'no final state'}`,
        );
        return;
      default:
        this.flag('unfinished', jobId, `never acked; still ${final?.state ?? ''}`);
    }
  }
}

function mayHaveTakenEffect(outcome: string): boolean {
  return outcome === 'OK' || isIndeterminate(outcome);
}

function tally(
  into: { accepted: number; rejected: number; indeterminate: number },
  calls: SettleEvent[],
): void {
  for (const c of calls) {
    if (c.outcome === 'OK') into.accepted += 1;
    else if (isIndeterminate(c.outcome)) into.indeterminate += 1;
    else into.rejected += 1;
  }
}

/** One line per violation kind with a few examples: for assertion messages and the soak report. */
export function summarize(verdict: Verdict, examples = 3): string {
  const byKind = new Map<ViolationKind, Violation[]>();
  for (const v of verdict.violations) byKind.set(v.kind, [...(byKind.get(v.kind) ?? []), v]);
  const lines = [...byKind].map(
    ([kind, list]) =>
      `${kind}: ${list.length} (e.g. ${list
        .slice(0, examples)
        .map((v) => `${v.jobId}: ${v.detail}`)
        .join('; ')})`,
  );
  return lines.length ? lines.join('\n') : 'no violations';
}
