/** Wire messages to the SDK's types and back. Pure functions. */
import type { Duration, Duration__Output } from '../generated/google/protobuf/Duration';
import type { Timestamp__Output } from '../generated/google/protobuf/Timestamp';
import type { EnqueueRequest } from '../generated/scheduler/v1/EnqueueRequest';
import type { GetQueueStatsResponse__Output } from '../generated/scheduler/v1/GetQueueStatsResponse';
import type { Job__Output } from '../generated/scheduler/v1/Job';
import type { LeasedJob__Output } from '../generated/scheduler/v1/LeasedJob';
import type { StateCounts__Output } from '../generated/scheduler/v1/StateCounts';
import type {
  EnqueueOptions,
  Job,
  JobState,
  LeasedJob,
  Payload,
  QueueStats,
  StateCounts,
} from './types';
import { withTraceContext } from './tracing';

export function toDuration(ms: number): Duration {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function fromDuration(d: Duration__Output | null | undefined): number {
  return d ? Number(d.seconds) * 1000 + Math.round(d.nanos / 1e6) : 0;
}

export function toDate(ts: Timestamp__Output | null | undefined): Date | undefined {
  return ts ? new Date(Number(ts.seconds) * 1000 + Math.round(ts.nanos / 1e6)) : undefined;
}

export function toBytes(payload: Payload | undefined): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  return Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

const JOB_STATES = new Map<string, JobState>(
  (['pending', 'scheduled', 'leased', 'succeeded', 'dead', 'cancelled'] as const).map((state) => [
    `JOB_STATE_${state.toUpperCase()}`,
    state,
  ]),
);

/** A wire enum name (JOB_STATE_LEASED) as the SDK's state (leased). */
export function toJobState(state: string): JobState {
  return JOB_STATES.get(state) ?? 'unspecified';
}

export function toJob(job: Job__Output): Job {
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
    state: toJobState(job.state),
    lastError: job.lastError,
    enqueueTime: toDate(job.enqueueTime),
    scheduledTime: toDate(job.scheduledTime),
    leaseExpireTime: toDate(job.leaseExpireTime),
    finishTime: toDate(job.finishTime),
    idempotencyKey: job.idempotencyKey || undefined,
    result: job.result.length > 0 ? job.result : undefined,
    progress: job.progress.length > 0 ? job.progress : undefined,
  };
}

/**
 * A handler's result or a progress report as bytes: bytes as they are, anything else (strings
 * included) as its JSON, so `decodeJson` reads back what was given; undefined stays undefined.
 */
export function encodeValue(value: unknown): Buffer | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return toBytes(value);
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Parses a JSON result or progress (undefined when there is none). */
export function decodeJson<T = unknown>(bytes: Buffer | undefined): T | undefined {
  return bytes === undefined ? undefined : (JSON.parse(bytes.toString('utf8')) as T);
}

export function toLeasedJob(leased: LeasedJob__Output): LeasedJob {
  if (!leased.job) throw new Error(`lease ${leased.leaseId} came without its job`);
  return {
    job: toJob(leased.job),
    leaseId: leased.leaseId,
    leaseExpireTime: toDate(leased.leaseExpireTime),
  };
}

/**
 * An enqueue's request, with the active trace context added to its headers; `traceContext:
 * false` for a schedule's template, whose jobs are made by later runs, not by this call.
 */
export function toEnqueueRequest(
  options: EnqueueOptions,
  { traceContext = true }: { traceContext?: boolean } = {},
): EnqueueRequest {
  return {
    queue: options.queue,
    tenantId: options.tenantId,
    payload: toBytes(options.payload),
    priority: options.priority ?? 0,
    idempotencyKey: options.idempotencyKey ?? '',
    delay: options.delayMs === undefined ? null : toDuration(options.delayMs),
    maxAttempts: options.maxAttempts ?? 0,
    headers: (traceContext ? withTraceContext(options.headers) : options.headers) ?? {},
  };
}

export function toCounts(counts: StateCounts__Output | null): StateCounts {
  return {
    pending: Number(counts?.pending ?? 0),
    scheduled: Number(counts?.scheduled ?? 0),
    leased: Number(counts?.leased ?? 0),
    dead: Number(counts?.dead ?? 0),
  };
}

export function toQueueStats(res: GetQueueStatsResponse__Output): QueueStats {
  return {
    queue: res.queue,
    counts: toCounts(res.counts),
    oldestReadyAgeMs: fromDuration(res.oldestReadyAge),
    paused: res.paused,
    pausedTenants: res.pausedTenants,
    tenantsAtCap: res.tenantsAtCap,
    tiers: res.tiers.map((t) => ({
      tier: t.tier,
      weight: t.weight,
      counts: toCounts(t.counts),
      oldestReadyAgeMs: fromDuration(t.oldestReadyAge),
      enqueuedTotal: Number(t.enqueuedTotal),
      ackedTotal: Number(t.ackedTotal),
      nackedTotal: Number(t.nackedTotal),
      deadTotal: Number(t.deadTotal),
      expiredTotal: Number(t.expiredTotal),
      dispatchedTotal: Number(t.dispatchedTotal),
    })),
    backlog: Number(res.backlog),
    addRate: res.addRate,
    dispatchRate: res.dispatchRate,
    rateWindowMs: fromDuration(res.rateWindow),
  };
}
