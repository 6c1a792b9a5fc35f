/** The seam between schedules and their storage (Redis: ../redis/schedule-store.ts). */
import type { NewJob } from '../store';
import type { Schedule, ScheduleInput, SchedulePage } from './schedule';

/** A due schedule as read, with the version a run must still match to fire. */
export interface DueSchedule {
  schedule: Schedule & { nextRunTime: number };
  version: string;
}

/** One run, decided by the caller: enqueue `job` (or skip when absent) and move on to `nextRunTime`. */
export interface Run {
  queue: string;
  scheduleId: string;
  version: string;
  /** The next run time the caller read: the script fires only if it is still the stored one. */
  fireTime: number;
  nextRunTime: number | undefined;
  job?: NewJob;
}

export type RunOutcome =
  | { outcome: 'fired'; jobId: string; duplicate: boolean }
  | { outcome: 'skipped' }
  /** Not the schedule's next run anymore: fired elsewhere, changed, paused or deleted. */
  | { outcome: 'stale' }
  /** Not due yet on the store's clock. */
  | { outcome: 'not_due' };

export interface UpsertResult {
  schedule: Schedule;
  created: boolean;
}

export interface ScheduleStore {
  /** The store's clock (epoch ms): every replica reads the same one. */
  time(): Promise<number>;
  /** `nextRunTime` applies unless the stored schedule has the same spec and paused flag. */
  upsert(input: ScheduleInput, nextRunTime: number | undefined): Promise<UpsertResult>;
  get(queue: string, scheduleId: string): Promise<Schedule | undefined>;
  /** Up to `pageSize` schedules by id, stopping at `maxBytes` of them (scheduleBytes; at least one). */
  list(queue: string, pageSize: number, pageToken: string, maxBytes: number): Promise<SchedulePage>;
  /** False when there was no such schedule. */
  delete(queue: string, scheduleId: string): Promise<boolean>;
  /** Queues that may have a schedule due at `now`, earliest first, and the earliest later one. */
  dueQueues(now: number, limit: number): Promise<{ queues: string[]; nextDue?: number }>;
  /** A queue's schedules due at `now`, earliest first. */
  dueSchedules(queue: string, now: number, limit: number): Promise<DueSchedule[]>;
  fire(run: Run): Promise<RunOutcome>;
  /** Brings the queue's entry in the due-queue index up to date after runs moved its schedules. */
  refreshQueue(queue: string): Promise<void>;
}
