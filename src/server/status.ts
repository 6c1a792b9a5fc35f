/**
 * The one place where failures become gRPC statuses. Domain errors map by code (Redis trouble
 * became one in src/scheduler/redis/redis-errors.ts); anything else is a bug and becomes INTERNAL
 * with a request id, its details going to the log only. Never UNKNOWN.
 */
import { randomUUID } from 'node:crypto';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { isSchedulerError, type ErrorCode, type SchedulerError } from '../scheduler/errors';
import { badRequestDetails, retryInfoDetails } from './error-details';

export const STATUS_OF: Readonly<Record<ErrorCode, status>> = {
  invalid_argument: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
  failed_precondition: status.FAILED_PRECONDITION,
  resource_exhausted: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
  unauthenticated: status.UNAUTHENTICATED,
  permission_denied: status.PERMISSION_DENIED,
};

/** Trailer naming the request field at fault, for clients that do not decode rich details. */
export const FIELD_TRAILER = 'scheduler-field';
/** Trailer saying when a rate-limited call may succeed, for clients that do not decode details. */
export const RETRY_AFTER_TRAILER = 'retry-after-ms';

/** What a failure looks like on the wire: a grpc-js ServiceError without the stack. */
export type WireError = Partial<ServiceError> & { code: status; details: string };

function fromDomain(err: SchedulerError): WireError {
  const metadata = new Metadata();
  if (err.field) {
    metadata.set(FIELD_TRAILER, err.field);
    if (err.code === 'invalid_argument') {
      metadata.set(
        'grpc-status-details-bin',
        badRequestDetails(STATUS_OF[err.code], err.message, err.field),
      );
    }
  }
  if (err.retryAfterMs !== undefined) {
    metadata.set(RETRY_AFTER_TRAILER, String(err.retryAfterMs));
    metadata.set(
      'grpc-status-details-bin',
      retryInfoDetails(STATUS_OF[err.code], err.message, err.retryAfterMs),
    );
  }
  return { code: STATUS_OF[err.code], details: err.message, metadata };
}

export interface ErrorContext {
  method: string;
  log: Logger;
}

/** Maps any failure to the status the caller sees, logging what the caller must not see. */
export function toWireError(err: unknown, ctx: ErrorContext): WireError {
  if (isSchedulerError(err)) {
    if (err.code === 'unavailable')
      ctx.log.warn({ method: ctx.method, err: err.cause ?? err }, 'redis unavailable');
    return fromDomain(err);
  }
  const requestId = randomUUID();
  ctx.log.error({ method: ctx.method, requestId, err }, 'internal error');
  return { code: status.INTERNAL, details: `internal error (request id ${requestId})` };
}

/** The status name for metrics labels, e.g. INVALID_ARGUMENT. */
export function statusName(code: status): string {
  return status[code] ?? 'UNKNOWN';
}
