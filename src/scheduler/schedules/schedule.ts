/** The schedule model: a recurring job template and when it fires. */
import { headersBytes, type EnqueueInput } from '../job';

/** What to do with runs whose time passed while no replica could fire them. */
export const MISSED_RUN_POLICIES = ['skip', 'run_once'] as const;
export type MissedRunPolicy = (typeof MISSED_RUN_POLICIES)[number];

/**
 * The job each run enqueues. Its queue is the schedule's (`queue` may repeat it) and its
 * idempotency key is derived from the schedule id and the fire time (`idempotencyKey` must be unset).
 */
export type JobTemplate = Omit<EnqueueInput, 'queue'> & { queue?: string };

/** When a schedule fires: exactly one of `cron` and `everyMs`. Times are epoch ms. */
export interface Cadence {
  /** 5 fields, or 6 with seconds first. */
  cron?: string;
  /** A fixed interval, fired at multiples of itself from the epoch. */
  everyMs?: number;
  /** IANA name the cron fields are read in. */
  timeZone: string;
  startTime?: number;
  endTime?: number;
}

/** What a caller sets. */
export interface ScheduleInput extends Cadence {
  queue: string;
  scheduleId: string;
  template: JobTemplate;
  missedRuns: MissedRunPolicy;
  paused: boolean;
}

/** A stored schedule with what the scheduler keeps about its runs. */
export interface Schedule extends ScheduleInput {
  /** Unset when paused or past its end time. */
  nextRunTime?: number;
  /** Fire time of the last run that enqueued a job. */
  lastRunTime?: number;
  lastJobId?: string;
}

/**
 * An upper bound of a schedule's encoded size (its template's payload, the text fields, a margin
 * for the fixed fields and framing): what packs listing pages under a client's message limit.
 */
export function scheduleBytes(schedule: Schedule): number {
  const t = schedule.template;
  let text = schedule.queue.length + schedule.scheduleId.length + schedule.timeZone.length;
  text += (schedule.cron?.length ?? 0) + (schedule.lastJobId?.length ?? 0);
  text += Buffer.byteLength(t.tenantId) + (t.queue?.length ?? 0);
  return t.payload.length + text + headersBytes(t.headers) + 256;
}

export interface SchedulePage {
  schedules: Schedule[];
  nextPageToken: string;
}
