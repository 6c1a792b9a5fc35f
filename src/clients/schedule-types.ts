/** The SDK's schedule types: milliseconds for intervals, Dates for times, lower-case policies. */
import type { EnqueueOptions } from './types';

/**
 * What to do with runs whose time passed while no scheduler replica could fire them:
 * `skip` fires nothing for them; `run_once` fires one job for them all.
 */
export type MissedRunPolicy = 'skip' | 'run_once';

/**
 * The job each run enqueues: an enqueue without queue (the schedule's) and idempotency key (each
 * run's is `schedule:<scheduleId>:<fire time in ms>`).
 */
export type ScheduleTemplate = Omit<EnqueueOptions, 'queue' | 'idempotencyKey'>;

/** A recurring job: set exactly one of `cron` and `everyMs`. */
export interface ScheduleOptions {
  queue: string;
  /** `[A-Za-z0-9._:-]{1,128}`, unique within the queue. */
  scheduleId: string;
  /** 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first. */
  cron?: string;
  /** A fixed interval of at least 1000 ms, fired at multiples of itself from the Unix epoch. */
  everyMs?: number;
  /** IANA zone the cron fields are read in (default `UTC`). */
  timeZone?: string;
  template: ScheduleTemplate;
  /** No run before this time. */
  startTime?: Date;
  /** No run after this time. */
  endTime?: Date;
  /** Default `skip`. */
  missedRuns?: MissedRunPolicy;
  /** A paused schedule fires nothing; resuming moves its next run to the first one after now. */
  paused?: boolean;
}

/** A schedule as the scheduler stores it. */
export interface Schedule extends Required<Pick<ScheduleOptions, 'timeZone' | 'missedRuns'>> {
  queue: string;
  scheduleId: string;
  cron: string | undefined;
  everyMs: number | undefined;
  template: ScheduleTemplate & { payload: Buffer };
  startTime: Date | undefined;
  endTime: Date | undefined;
  paused: boolean;
  /** When the next run fires; undefined when paused or past the end time. */
  nextRunTime: Date | undefined;
  /** Fire time of the last run that enqueued a job. */
  lastRunTime: Date | undefined;
  /** The job that run enqueued. */
  lastJobId: string | undefined;
}

/** One page of a queue's schedules, by schedule id. */
export interface SchedulesPage {
  schedules: Schedule[];
  /** Pass it back for the next page; undefined on the last one. */
  nextPageToken: string | undefined;
}
