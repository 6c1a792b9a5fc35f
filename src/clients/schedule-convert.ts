/** Schedule messages to the SDK's types and back. Pure functions. */
import type { Timestamp } from '../generated/google/protobuf/Timestamp';
import type {
  Schedule as WireSchedule,
  Schedule__Output,
} from '../generated/scheduler/v1/Schedule';
import { fromDuration, toDate, toDuration, toEnqueueRequest } from './convert';
import type { Schedule, ScheduleOptions } from './schedule-types';

function toTimestamp(date: Date | undefined): Timestamp | null {
  if (!date) return null;
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

export function toWireSchedule(s: ScheduleOptions): WireSchedule {
  return {
    queue: s.queue,
    scheduleId: s.scheduleId,
    cron: s.cron ?? '',
    every: s.everyMs === undefined ? null : toDuration(s.everyMs),
    timeZone: s.timeZone ?? '',
    // Not the upsert's trace context: every run would join that one trace, for good.
    template: toEnqueueRequest({ ...s.template, queue: '' }, { traceContext: false }),
    startTime: toTimestamp(s.startTime),
    endTime: toTimestamp(s.endTime),
    missedRuns:
      s.missedRuns === 'run_once' ? 'MISSED_RUN_POLICY_RUN_ONCE' : 'MISSED_RUN_POLICY_SKIP',
    paused: s.paused ?? false,
  };
}

export function toSchedule(s: Schedule__Output): Schedule {
  const t = s.template;
  return {
    queue: s.queue,
    scheduleId: s.scheduleId,
    cron: s.cron || undefined,
    everyMs: s.every ? fromDuration(s.every) : undefined,
    timeZone: s.timeZone,
    template: {
      tenantId: t?.tenantId ?? '',
      payload: t?.payload ?? Buffer.alloc(0),
      priority: t?.priority ?? 0,
      delayMs: t?.delay ? fromDuration(t.delay) : undefined,
      maxAttempts: t?.maxAttempts ?? 0,
      headers: { ...t?.headers },
    },
    startTime: toDate(s.startTime),
    endTime: toDate(s.endTime),
    missedRuns: s.missedRuns === 'MISSED_RUN_POLICY_RUN_ONCE' ? 'run_once' : 'skip',
    paused: s.paused,
    nextRunTime: toDate(s.nextRunTime),
    lastRunTime: toDate(s.lastRunTime),
    lastJobId: s.lastJobId || undefined,
  };
}
