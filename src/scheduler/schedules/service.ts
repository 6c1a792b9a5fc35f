/**
 * Schedules as callers manage them: validation, the next run computed on the store's clock, and
 * the store call. Firing is the ScheduleRunner's (runner.ts).
 */
import { SchedulerError, invalidArgument } from '../errors';
import { NAME_PATTERN, checkCount, checkName, type Limits } from '../validation';
import { nextRun } from './cadence';
import type { Schedule, ScheduleInput, SchedulePage } from './schedule';
import type { ScheduleStore, UpsertResult } from './store';
import { checkSchedule } from './validation';

export interface ScheduleLimits extends Limits {
  /** Most bytes of schedules on one ListSchedules page: clients commonly refuse over 4 MiB. */
  maxPageBytes: number;
}

export class Schedules {
  constructor(
    private readonly store: ScheduleStore,
    private readonly limits: ScheduleLimits,
  ) {}

  /**
   * Creates or replaces the schedule (queue, schedule id). A new or changed schedule's next run is
   * the first one after now: a change never fires a run by itself. An unchanged one keeps its
   * stored next run.
   */
  async upsert(input: ScheduleInput): Promise<UpsertResult> {
    checkSchedule(input, this.limits);
    const now = await this.store.time();
    const next = nextRun(input, now);
    if (next === undefined) {
      if (nextRun({ ...input, startTime: undefined, endTime: undefined }, now) === undefined)
        throw invalidArgument('cron', 'matches no date after now');
      throw invalidArgument('end_time', 'no run is left before end_time');
    }
    return this.store.upsert(input, input.paused ? undefined : next);
  }

  async get(queue: string, scheduleId: string): Promise<Schedule> {
    checkName('queue', queue);
    checkName('schedule_id', scheduleId);
    const schedule = await this.store.get(queue, scheduleId);
    if (!schedule) throw notFound(queue, scheduleId, 'get_schedule');
    return schedule;
  }

  async delete(queue: string, scheduleId: string): Promise<void> {
    checkName('queue', queue);
    checkName('schedule_id', scheduleId);
    if (!(await this.store.delete(queue, scheduleId)))
      throw notFound(queue, scheduleId, 'delete_schedule');
  }

  /**
   * A queue's schedules by id; the page token is the last id of the previous page. A page also
   * stops at `maxPageBytes` of schedules (at least one), so big templates never make a reply a
   * client refuses.
   */
  async list(queue: string, pageSize = 100, pageToken = ''): Promise<SchedulePage> {
    checkName('queue', queue);
    checkCount('page_size', pageSize, 1, 1000);
    if (pageToken !== '' && !NAME_PATTERN.test(pageToken))
      throw invalidArgument('page_token', 'not a token this server issued');
    return this.store.list(queue, pageSize, pageToken, this.limits.maxPageBytes);
  }
}

function notFound(queue: string, scheduleId: string, op: string): SchedulerError {
  return new SchedulerError('not_found', `schedule ${scheduleId} not found in queue ${queue}`, {
    op,
    field: 'schedule_id',
  });
}
