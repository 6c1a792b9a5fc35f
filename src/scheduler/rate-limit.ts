/**
 * Per-tenant enqueue rate limits: the seam the Scheduler calls, and the error it throws. The
 * budget must be shared by every replica, so the implementation lives in the store's backend
 * (./redis/rate-limiter.ts); the domain only asks for tokens.
 */
import { SchedulerError } from './errors';

export interface RateGrant {
  /** Tokens taken: at most what was asked for, fewer when the budget ran out. */
  granted: number;
  /** When `granted` fell short: ms until the next token is due. Otherwise 0. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Takes up to `wanted` tokens from the tenant's budget, atomically across replicas. */
  take(tenant: string, wanted: number): Promise<RateGrant>;
}

/** The error of a request over its tenant's rate. Not a bad field: the same request succeeds later. */
export function rateLimited(tenant: string, retryAfterMs: number): SchedulerError {
  return new SchedulerError(
    'resource_exhausted',
    `tenant ${tenant} is over its enqueue rate limit; retry after ${retryAfterMs} ms`,
    { op: 'enqueue', retryAfterMs },
  );
}
