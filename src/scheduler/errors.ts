/**
 * Typed domain errors. The transport maps `code` to a wire status in one table; anything that is
 * not a SchedulerError is unexpected and surfaces as INTERNAL.
 */

export type ErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'failed_precondition'
  | 'resource_exhausted'
  | 'unavailable'
  | 'unauthenticated'
  | 'permission_denied';

export interface SchedulerErrorOptions {
  /** The operation that failed, e.g. `ack`. */
  op?: string;
  /** The input field at fault, e.g. `tenant_id`. */
  field?: string;
  cause?: unknown;
  /** When retrying makes sense again, in ms from now (rate limits). */
  retryAfterMs?: number;
}

export class SchedulerError extends Error {
  override readonly name = 'SchedulerError';
  readonly code: ErrorCode;
  readonly op: string | undefined;
  readonly field: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: SchedulerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.op = options.op;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isSchedulerError(err: unknown): err is SchedulerError {
  return err instanceof SchedulerError;
}

export function invalidArgument(field: string, message: string, op?: string): SchedulerError {
  return new SchedulerError('invalid_argument', `${field}: ${message}`, { field, op });
}

/** Codes the Lua scripts return for expected failures (see the scripts' headers). */
export const ScriptCode = {
  NO_SUCH_JOB: -1,
  LEASE_MISMATCH: -2,
  LEASE_EXPIRED: -3,
  WRONG_STATE: -4,
  /** schedule_upsert.lua: the queue holds its most schedules already. */
  SCHEDULES_FULL: -5,
  /** schedule_fire.lua: the run is not the schedule's next one anymore (not an error). */
  RUN_STALE: -6,
  /** schedule_fire.lua: the run is not due yet (not an error). */
  RUN_NOT_DUE: -7,
} as const;

/**
 * The job is in a state (by name) the operation does not apply to; the message names it, e.g.
 * "job emails/7 is leased: update_job needs a pending or scheduled job".
 */
export function wrongState(op: string, id: string, state: string, needs: string): SchedulerError {
  return new SchedulerError('failed_precondition', `job ${id} is ${state}: ${op} needs ${needs}`, {
    op,
    field: 'job_id',
  });
}

/** Operations that take a lease id rather than a job id. */
const LEASE_OPS: ReadonlySet<string> = new Set([
  'ack',
  'nack',
  'release',
  'extend',
  'report_progress',
]);

/**
 * The typed error of a script's failure code. `id` is the lease id for lease operations and the
 * job id otherwise; `state`, when the caller read it, names the job's state in WRONG_STATE.
 */
export function scriptError(code: number, op: string, id: string, state?: string): SchedulerError {
  switch (code) {
    case ScriptCode.NO_SUCH_JOB:
      return LEASE_OPS.has(op)
        ? new SchedulerError('not_found', `lease ${id} not found: its job no longer exists`, {
            op,
            field: 'lease_id',
          })
        : new SchedulerError('not_found', `job ${id} not found`, { op });
    case ScriptCode.LEASE_MISMATCH:
      return new SchedulerError(
        'failed_precondition',
        `lease ${id} is stale: the job was leased again, settled or cancelled`,
        { op, field: 'lease_id' },
      );
    case ScriptCode.LEASE_EXPIRED:
      return new SchedulerError('failed_precondition', `lease ${id} has expired`, {
        op,
        field: 'lease_id',
      });
    case ScriptCode.WRONG_STATE: {
      const why = state ? `is ${state}, so ${op} does not apply` : `is not in a state for ${op}`;
      return new SchedulerError('failed_precondition', `job ${id} ${why}`, { op });
    }
    default:
      return new SchedulerError('unavailable', `unexpected script result ${code} for ${op}`, {
        op,
      });
  }
}
