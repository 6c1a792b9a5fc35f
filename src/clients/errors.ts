/**
 * Errors the SDK throws and the one a job handler throws to stop retries. Every failed call
 * becomes a SchedulerClientError carrying the gRPC status code and, for bad input, the request
 * field at fault, so callers can branch on `err.code` without parsing messages.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { ItemError__Output } from '../generated/scheduler/v1/ItemError';
import type { Job } from './types';

/** gRPC status codes, re-exported so callers can compare `err.code` without importing grpc-js. */
export { status as Status } from '@grpc/grpc-js';

/** The trailer in which the server names the request field at fault (e.g. `tenant_id`). */
const FIELD_TRAILER = 'scheduler-field';

/** A call to the scheduler failed. */
export class SchedulerClientError extends Error {
  override readonly name = 'SchedulerClientError';
  /** The gRPC status code, e.g. `Status.INVALID_ARGUMENT` (3) or `Status.FAILED_PRECONDITION` (9). */
  readonly code: status;
  /** The status code's name, e.g. `INVALID_ARGUMENT`. */
  readonly codeName: string;
  /** The server's message. */
  readonly details: string;
  /** The request field at fault when the server named one (`payload`, `requests[3].tenant_id`). */
  readonly field: string | undefined;
  /** The RPC that failed, e.g. `Enqueue`. */
  readonly method: string;
  /** Trailing metadata of the failed call, when there was a call. */
  readonly metadata: Metadata | undefined;

  constructor(init: {
    code: status;
    details: string;
    method: string;
    field?: string;
    metadata?: Metadata;
    cause?: unknown;
  }) {
    const codeName = status[init.code] ?? `CODE_${init.code}`;
    const where = init.field ? ` (field ${init.field})` : '';
    super(`${init.method}: ${codeName}: ${init.details}${where}`, { cause: init.cause });
    this.code = init.code;
    this.codeName = codeName;
    this.details = init.details;
    this.field = init.field || undefined;
    this.method = init.method;
    this.metadata = init.metadata;
  }
}

/** Type guard for errors thrown by SchedulerClient and reported by Worker. */
export function isSchedulerClientError(err: unknown): err is SchedulerClientError {
  return err instanceof SchedulerClientError;
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number';
}

/** Wraps whatever a grpc-js call failed with. */
export function toClientError(err: unknown, method: string): SchedulerClientError {
  if (isSchedulerClientError(err)) return err;
  if (!isServiceError(err)) {
    const details = err instanceof Error ? err.message : String(err);
    return new SchedulerClientError({ code: status.INTERNAL, details, method, cause: err });
  }
  const field = err.metadata?.get(FIELD_TRAILER)[0];
  return new SchedulerClientError({
    code: err.code,
    details: err.details,
    method,
    field: typeof field === 'string' ? field : undefined,
    metadata: err.metadata,
    cause: err,
  });
}

/** One failed item of an EnqueueBatch or one failed inline settle, as an error. */
export function fromItemError(item: ItemError__Output, method: string): SchedulerClientError {
  return new SchedulerClientError({
    code: item.code,
    details: item.message,
    method,
    field: item.field,
  });
}

/**
 * Thrown (or returned through `permanent()`) by a job handler to say that retrying cannot help:
 * the Worker nacks the job with `no_retry`, so it goes straight to the dead-letter set.
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

/** Marks `err` as permanent: `throw permanent(err)` dead-letters the job instead of retrying it. */
export function permanent(err: unknown): PermanentError {
  if (err instanceof PermanentError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PermanentError(message, { cause: err });
}

/** Type guard for PermanentError. */
export function isPermanentError(err: unknown): err is PermanentError {
  return err instanceof PermanentError;
}

/**
 * Thrown by a job handler through `snooze(delayMs)`: not a failure but "not yet" (River's
 * JobSnooze). The Worker gives the job back to run again after `delayMs`, with no attempt counted
 * and no error kept (a Nack with `snooze`).
 */
export class SnoozeError extends Error {
  override readonly name = 'SnoozeError';

  constructor(readonly delayMs: number) {
    super(`snoozed for ${delayMs} ms`);
  }
}

/** `throw snooze(60_000)` in a handler runs the job again in a minute, no attempt counted. */
export function snooze(delayMs = 0): SnoozeError {
  if (!Number.isFinite(delayMs) || delayMs < 0)
    throw new RangeError(`snooze: delayMs must be a finite number >= 0, got ${delayMs}`);
  return new SnoozeError(delayMs);
}

/**
 * The job a caller waited for (`waitForJob`, `enqueueAndWait`) ended without succeeding: it is
 * DEAD (its attempts ran out, or a handler threw a PermanentError) or CANCELLED.
 */
export class JobFailedError extends Error {
  override readonly name = 'JobFailedError';
  /** The job as it ended; `lastError` says why a dead job failed. */
  readonly job: Job;
  readonly state: 'dead' | 'cancelled';

  constructor(job: Job & { state: 'dead' | 'cancelled' }) {
    const why = job.state === 'dead' && job.lastError ? `: ${job.lastError}` : '';
    super(`job ${job.id} ended ${job.state.toUpperCase()}${why}`);
    this.job = job;
    this.state = job.state;
  }
}

/** Type guard for JobFailedError. */
export function isJobFailedError(err: unknown): err is JobFailedError {
  return err instanceof JobFailedError;
}
