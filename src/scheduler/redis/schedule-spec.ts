/**
 * A schedule's spec as stored: its cadence, template and policy as JSON in a fixed key order
 * (headers sorted), so equal specs are equal strings and schedule_upsert.lua can tell an
 * unchanged upsert by comparing text. The payload travels as base64.
 */
import type { MissedRunPolicy, ScheduleInput } from '../schedules/schedule';

interface StoredSpec {
  cron?: string;
  everyMs?: number;
  timeZone: string;
  startTime?: number;
  endTime?: number;
  missedRuns: MissedRunPolicy;
  template: {
    tenantId: string;
    payload: string;
    priority?: number;
    delayMs?: number;
    maxAttempts?: number;
    headers?: Array<[string, string]>;
  };
}

export function encodeSpec(input: ScheduleInput): string {
  const t = input.template;
  const headers = Object.entries(t.headers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const spec: StoredSpec = {
    cron: input.cron || undefined,
    everyMs: input.everyMs,
    timeZone: input.timeZone,
    startTime: input.startTime,
    endTime: input.endTime,
    missedRuns: input.missedRuns,
    template: {
      tenantId: t.tenantId,
      payload: t.payload.toString('base64'),
      priority: t.priority || undefined,
      delayMs: t.delayMs || undefined,
      maxAttempts: t.maxAttempts || undefined,
      headers: headers.length ? headers : undefined,
    },
  };
  return JSON.stringify(spec);
}

export function decodeSpec(
  queue: string,
  scheduleId: string,
  text: string,
): Omit<ScheduleInput, 'paused'> {
  const spec = JSON.parse(text) as StoredSpec;
  const t = spec.template;
  return {
    queue,
    scheduleId,
    cron: spec.cron,
    everyMs: spec.everyMs,
    timeZone: spec.timeZone,
    startTime: spec.startTime,
    endTime: spec.endTime,
    missedRuns: spec.missedRuns,
    template: {
      tenantId: t.tenantId,
      payload: Buffer.from(t.payload, 'base64'),
      priority: t.priority ?? 0,
      delayMs: t.delayMs,
      maxAttempts: t.maxAttempts ?? 0,
      headers: Object.fromEntries(t.headers ?? []),
    },
  };
}
