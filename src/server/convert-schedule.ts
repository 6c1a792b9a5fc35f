/** Schedule messages to domain values and back. Pure functions, no I/O. */
import type { Timestamp__Output } from '../generated/google/protobuf/Timestamp';
import type { MissedRunPolicy__Output } from '../generated/scheduler/v1/MissedRunPolicy';
import type {
  Schedule as ProtoSchedule,
  Schedule__Output,
} from '../generated/scheduler/v1/Schedule';
import type { MissedRunPolicy, Schedule, ScheduleInput } from '../scheduler/schedules/schedule';
import { durationMs, toDuration, toEnqueueInput, toTimestamp } from './convert';

/** Milliseconds of a Timestamp; undefined when the field is unset. */
export function timestampMs(ts: Timestamp__Output | null | undefined): number | undefined {
  if (!ts) return undefined;
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6);
}

/**
 * UNSPECIFIED is SKIP. A value the proto does not define arrives as a number: it becomes its
 * digits, which the domain rejects naming `missed_runs`.
 */
function fromProtoPolicy(policy: MissedRunPolicy__Output | number): MissedRunPolicy {
  if (policy === 'MISSED_RUN_POLICY_UNSPECIFIED') return 'skip';
  return String(policy)
    .replace(/^MISSED_RUN_POLICY_/, '')
    .toLowerCase() as MissedRunPolicy;
}

export function toScheduleInput(s: Schedule__Output | null): ScheduleInput {
  // No template: an empty one, which the domain rejects naming template.tenant_id.
  const template = s?.template
    ? toEnqueueInput(s.template)
    : { queue: '', tenantId: '', payload: Buffer.alloc(0) };
  return {
    queue: s?.queue ?? '',
    scheduleId: s?.scheduleId ?? '',
    cron: s?.cron || undefined,
    everyMs: durationMs(s?.every),
    timeZone: s?.timeZone || 'UTC',
    startTime: timestampMs(s?.startTime),
    endTime: timestampMs(s?.endTime),
    missedRuns: fromProtoPolicy(s?.missedRuns ?? 'MISSED_RUN_POLICY_UNSPECIFIED'),
    paused: s?.paused ?? false,
    template,
  };
}

export function toProtoSchedule(s: Schedule): ProtoSchedule {
  const t = s.template;
  return {
    queue: s.queue,
    scheduleId: s.scheduleId,
    cron: s.cron ?? '',
    every: s.everyMs === undefined ? null : toDuration(s.everyMs),
    timeZone: s.timeZone,
    template: {
      queue: s.queue,
      tenantId: t.tenantId,
      payload: t.payload,
      priority: t.priority ?? 0,
      delay: t.delayMs === undefined ? null : toDuration(t.delayMs),
      maxAttempts: t.maxAttempts ?? 0,
      headers: t.headers ?? {},
    },
    startTime: toTimestamp(s.startTime),
    endTime: toTimestamp(s.endTime),
    missedRuns:
      s.missedRuns === 'run_once' ? 'MISSED_RUN_POLICY_RUN_ONCE' : 'MISSED_RUN_POLICY_SKIP',
    paused: s.paused,
    nextRunTime: toTimestamp(s.nextRunTime),
    lastRunTime: toTimestamp(s.lastRunTime),
    lastJobId: s.lastJobId ?? '',
  };
}
