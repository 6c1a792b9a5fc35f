/** Input rules of a schedule. Each failure names the field at fault, as the Schedule message spells it. */
import { invalidArgument } from '../errors';
import { MAX_DURATION_MS, checkEnqueue, checkName, type Limits } from '../validation';
import { parseCron } from './cadence';
import { MISSED_RUN_POLICIES, type ScheduleInput } from './schedule';

/** Shorter intervals would be a busy loop more than a schedule. */
export const MIN_EVERY_MS = 1000;
const MAX_CRON_LENGTH = 256;

export function checkSchedule(input: ScheduleInput, limits: Limits): void {
  checkName('queue', input.queue);
  checkName('schedule_id', input.scheduleId);
  checkTimeZone(input.timeZone);
  checkCadence(input);
  if (!MISSED_RUN_POLICIES.includes(input.missedRuns))
    throw invalidArgument('missed_runs', `must be one of ${MISSED_RUN_POLICIES.join(', ')}`);
  checkTime('start_time', input.startTime);
  checkTime('end_time', input.endTime);
  if (input.startTime !== undefined && input.endTime !== undefined) {
    if (input.endTime <= input.startTime)
      throw invalidArgument('end_time', 'must be after start_time');
  }
  const { template } = input;
  if (template.queue && template.queue !== input.queue) {
    throw invalidArgument('template.queue', `must be empty or the schedule's queue ${input.queue}`);
  }
  if (template.idempotencyKey) {
    throw invalidArgument(
      'template.idempotency_key',
      'must be empty: each run gets one derived from the schedule id and its fire time',
    );
  }
  checkEnqueue({ ...template, queue: input.queue }, limits, 'template.');
}

function checkCadence({ cron, everyMs, timeZone }: ScheduleInput): void {
  if (cron && everyMs !== undefined)
    throw invalidArgument('cron', 'set either cron or every, not both');
  if (everyMs !== undefined) {
    if (!Number.isInteger(everyMs) || everyMs < MIN_EVERY_MS || everyMs > MAX_DURATION_MS) {
      throw invalidArgument('every', 'must be a whole number of ms between 1 s and 365 days');
    }
    return;
  }
  if (!cron) throw invalidArgument('cron', 'set cron or every');
  if (cron.length > MAX_CRON_LENGTH)
    throw invalidArgument('cron', `at most ${MAX_CRON_LENGTH} characters`);
  try {
    parseCron(cron, timeZone);
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^CronPattern: /, '') : String(err);
    throw invalidArgument('cron', `not a cron pattern (5 fields, or 6 with seconds): ${why}`);
  }
}

/** Dates past year 9999 (or before 1970) are mistakes, and beyond what Date can hold. */
const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function checkTime(field: string, ms: number | undefined): void {
  if (ms === undefined) return;
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_TIME_MS)
    throw invalidArgument(field, 'must be between 1970 and the end of 9999');
}

/** The runtime's IANA database decides: an unknown name makes Intl throw a RangeError. */
function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw invalidArgument('time_zone', `${JSON.stringify(timeZone)} is not an IANA time zone`);
  }
}
