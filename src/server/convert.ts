/** Proto messages to domain values and back. Pure functions, no I/O. */
import type { Duration, Duration__Output } from '../generated/google/protobuf/Duration';
import type { Timestamp } from '../generated/google/protobuf/Timestamp';
import type { EnqueueRequest__Output } from '../generated/scheduler/v1/EnqueueRequest';
import type { GetQueueStatsResponse } from '../generated/scheduler/v1/GetQueueStatsResponse';
import type { Job as ProtoJob } from '../generated/scheduler/v1/Job';
import type { JobState__Output } from '../generated/scheduler/v1/JobState';
import type { LeasedJob as ProtoLeasedJob } from '../generated/scheduler/v1/LeasedJob';
import type { NackResponse } from '../generated/scheduler/v1/NackResponse';
import type { StateCounts as ProtoStateCounts } from '../generated/scheduler/v1/StateCounts';
import {
  jobBytes,
  type EnqueueInput,
  type Job,
  type JobState,
  type LeasedJob,
  type NackResult,
  type QueueStats,
  type StateCounts,
} from '../scheduler/job';

/** Milliseconds of a Duration; undefined when the field is unset. Validation happens in the domain. */
export function durationMs(d: Duration__Output | null | undefined): number | undefined {
  if (!d) return undefined;
  return Number(d.seconds) * 1000 + d.nanos / 1e6;
}

export function toDuration(ms: number): Duration {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function toTimestamp(epochMs: number | undefined): Timestamp | null {
  if (epochMs === undefined) return null;
  const seconds = Math.floor(epochMs / 1000);
  // A number, not a string: protobufjs turns a string into a Long by parsing it digit by digit,
  // a measurable share of the server's CPU in a drain (docs/benchmarks.md).
  return { seconds, nanos: Math.round((epochMs - seconds * 1000) * 1e6) };
}

export function toProtoState(state: JobState): JobState__Output {
  return `JOB_STATE_${state.toUpperCase()}` as JobState__Output;
}

/**
 * JOB_STATE_PENDING -> pending; UNSPECIFIED becomes '' (which the domain rejects, naming the field).
 * A value the proto does not define arrives as a number despite `enums: String`: it becomes its
 * digits, rejected the same way (found by test/reliability/fuzz.test.ts).
 */
export function fromProtoState(state: JobState__Output | number): JobState {
  return String(state)
    .replace(/^JOB_STATE_/, '')
    .toLowerCase()
    .replace('unspecified', '') as JobState;
}

export function toEnqueueInput(req: EnqueueRequest__Output): EnqueueInput {
  return {
    queue: req.queue,
    tenantId: req.tenantId,
    payload: req.payload,
    priority: req.priority,
    idempotencyKey: req.idempotencyKey || undefined,
    delayMs: durationMs(req.delay),
    maxAttempts: req.maxAttempts,
    headers: req.headers,
  };
}

export function toProtoJob(job: Job): ProtoJob {
  return {
    id: job.id,
    queue: job.queue,
    tenantId: job.tenantId,
    tier: job.tier,
    priority: job.priority,
    payload: job.payload,
    headers: job.headers,
    attempt: job.attempt,
    maxAttempts: job.maxAttempts,
    state: toProtoState(job.state),
    enqueueTime: toTimestamp(job.enqueueTime),
    lastError: job.lastError,
    scheduledTime: toTimestamp(job.scheduledTime),
    leaseExpireTime: toTimestamp(job.leaseExpireTime),
    finishTime: toTimestamp(job.finishTime),
    idempotencyKey: job.idempotencyKey ?? '',
    result: job.result ?? EMPTY,
    progress: job.progress ?? EMPTY,
  };
}

const EMPTY = Buffer.alloc(0);

export function toProtoLeasedJob(leased: LeasedJob): ProtoLeasedJob {
  return {
    job: toProtoJob(leased.job),
    leaseId: leased.leaseId,
    leaseExpireTime: toTimestamp(leased.leaseExpireTime),
  };
}

export function toNackResponse(result: NackResult): NackResponse {
  return { state: toProtoState(result.state), retryTime: toTimestamp(result.retryTime) };
}

export function toProtoCounts(counts: StateCounts): ProtoStateCounts {
  return {
    pending: counts.pending,
    scheduled: counts.scheduled,
    leased: counts.leased,
    dead: counts.dead,
  };
}

export function toStatsResponse(stats: QueueStats): GetQueueStatsResponse {
  return {
    queue: stats.queue,
    counts: toProtoCounts(stats.counts),
    oldestReadyAge: toDuration(stats.oldestReadyAgeMs),
    paused: stats.paused,
    pausedTenants: stats.pausedTenants,
    tenantsAtCap: stats.tenantsAtCap,
    tiers: stats.tiers.map((t) => ({
      tier: t.tier,
      weight: t.weight,
      counts: toProtoCounts(t.counts),
      oldestReadyAge: toDuration(t.oldestReadyAgeMs),
      enqueuedTotal: t.enqueuedTotal,
      ackedTotal: t.ackedTotal,
      nackedTotal: t.nackedTotal,
      deadTotal: t.deadTotal,
      expiredTotal: t.expiredTotal,
      dispatchedTotal: t.dispatchedTotal,
    })),
    backlog: stats.backlog,
    addRate: stats.addRate,
    dispatchRate: stats.dispatchRate,
    rateWindow: toDuration(stats.windowMs),
  };
}

/** An upper bound of a leased job's encoded size, to keep stream messages under clients' limits. */
export function leasedJobBytes(leased: LeasedJob): number {
  return jobBytes(leased.job) + leased.leaseId.length + 32;
}
